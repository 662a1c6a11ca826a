package dev.livegateway.emulator;

import dev.livegateway.wire.Flavour;
import dev.livegateway.wire.LocalLiveApi;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The emulator inside the gateway: started on {@link StartupEvent} (before the gRPC server takes
 * callers) when {@code live-gateway.emulator.enabled=true}, on the Quarkus-managed Vert.x. The
 * upstream client finds it as the {@link LocalLiveApi} bean.
 */
@ApplicationScoped
public class EmbeddedEmulator implements LocalLiveApi {

    private final EmulatorConfig config;
    private final Vertx vertx;
    private volatile LiveApiEmulator emulator;

    public EmbeddedEmulator(EmulatorConfig config, Vertx vertx) {
        this.config = config;
        this.vertx = vertx;
    }

    void onStart(@Observes @Priority(10) StartupEvent event) throws Exception {
        if (!config.enabled()) {
            return;
        }
        LiveApiEmulator started = new LiveApiEmulator(toOptions(config));
        // The observer runs on the main thread, so waiting for the bind blocks no event loop.
        started.start(vertx).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        emulator = started;
    }

    void onStop(@Observes ShutdownEvent event) throws Exception {
        LiveApiEmulator running = emulator;
        if (running != null) {
            running.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            emulator = null;
        }
    }

    /** Whether the emulator is running. */
    public boolean running() { return emulator != null; }

    /** {@code ws://127.0.0.1:PORT} (or wss); append a Live API path such as {@link LivePaths#VERTEX_V1BETA1}. */
    @Override
    public String baseUrl() { return require().baseUrl(); }

    public int port() { return require().port(); }

    public boolean tls() { return require().tls(); }

    public EmulatorRecorder recorder() { return require().recorder(); }

    /** Fault rules, changeable at run time. */
    public FaultInjector faults() { return require().faults(); }

    /** The underlying emulator. */
    public LiveApiEmulator emulator() { return require(); }

    private LiveApiEmulator require() {
        LiveApiEmulator running = emulator;
        if (running == null) {
            throw new IllegalStateException("the embedded Live API emulator is not running: "
                    + "set live-gateway.emulator.enabled=true");
        }
        return running;
    }

    /** Maps the configuration to options, failing with messages that name the key. */
    static EmulatorOptions toOptions(EmulatorConfig c) {
        String p = "live-gateway.emulator.";
        EmulatorOptions o = EmulatorOptions.defaults()
                .host(c.host())
                .port(c.port())
                .pathPrefix(c.pathPrefix().orElse(""))
                .strictFields(c.strictFields())
                .pretty(c.pretty())
                .chunkDelay(c.chunkDelay())
                .defaultSilenceDurationMs(c.silenceDurationMs())
                .speechRmsThreshold(c.speechRmsThreshold())
                .resumptionUpdateEveryMessages(c.resumptionUpdateEveryMessages())
                .resumptionUpdateInterval(c.resumptionUpdateInterval())
                .handleTtl(c.handleTtl())
                .audioEcho(c.audioEcho())
                .recording(c.recording())
                .recordingMaxSessionBytes(c.recordingLimits().maxSessionBytes())
                .recordingMaxTotalBytes(c.recordingLimits().maxTotalBytes())
                .recordingMaxPayloadChars(c.recordingLimits().maxPayloadChars())
                .adminEnabled(c.admin())
                .maxConcurrentSessions(c.faults().maxConcurrentSessions())
                .goAwayAfter(c.faults().goAwayAfter().orElse(null))
                .goAwayTimeLeftSeconds(c.faults().goAwayTimeLeftSeconds())
                .setupCompleteDelay(c.faults().setupCompleteDelay());
        try {
            o.modelPattern(c.modelPattern());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(p + "model-pattern is not a valid regex: " + e.getMessage(), e);
        }
        if (c.tls().enabled()) {
            o.tls(c.tls().certPath().orElseThrow(() -> new IllegalArgumentException(
                            p + "tls.cert-path is required when " + p + "tls.enabled=true")),
                    c.tls().keyPath().orElseThrow(() -> new IllegalArgumentException(
                            p + "tls.key-path is required when " + p + "tls.enabled=true")));
        }
        c.flavour().ifPresent(f -> o.forcedFlavour(wrap(p + "flavour", () -> Flavour.parse(f))));
        o.authMode(wrap(p + "auth", () -> enumOf(EmulatorOptions.AuthMode.class, c.auth())));
        o.authRejection(wrap(p + "auth-rejection", () -> enumOf(EmulatorOptions.AuthRejection.class, c.authRejection())));
        c.expectedCredential().ifPresent(o::expectedCredential);
        switch (c.frameType().toLowerCase(Locale.ROOT)) {
            case "binary" -> o.binaryFrames(true);
            case "text" -> o.binaryFrames(false);
            default -> throw new IllegalArgumentException(
                    p + "frame-type must be binary or text, was '" + c.frameType() + "'");
        }
        FaultInjector parser = new FaultInjector();
        for (String json : c.faults().rules().orElse(java.util.List.of())) {
            o.addFault(wrap(p + "faults.rules", () -> parser.addJson(json)));
        }
        try {
            return o.validate();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid " + p + "* configuration: " + e.getMessage(), e);
        }
    }

    static <E extends Enum<E>> E enumOf(Class<E> type, String value) {
        String name = value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        try {
            return Enum.valueOf(type, name);
        } catch (IllegalArgumentException e) {
            StringBuilder allowed = new StringBuilder();
            for (E constant : type.getEnumConstants()) {
                allowed.append(allowed.length() == 0 ? "" : ", ").append(constant.name().toLowerCase(Locale.ROOT).replace('_', '-'));
            }
            throw new IllegalArgumentException("'" + value + "' is not allowed; allowed: " + allowed);
        }
    }

    private static <T> T wrap(String key, java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
        }
    }
}
