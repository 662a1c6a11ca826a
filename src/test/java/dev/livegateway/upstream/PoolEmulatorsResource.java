package dev.livegateway.upstream;

import dev.livegateway.emulator.EmulatorOptions;
import dev.livegateway.emulator.LiveApiEmulator;
import dev.livegateway.testing.ChildProcesses;
import dev.livegateway.testing.LocalOAuthServer;
import dev.livegateway.testing.RedisTestServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A pool of three real emulators as upstream targets, on one real Redis shared by the gateway and
 * the test's second replica: {@code a} Vertex AI (project proj-a in europe-west4, OAuth tokens from
 * a local token endpoint, the emulator accepting any bearer), weight 3, max 3 sessions;
 * {@code b} the Developer API (its API key checked exactly by the emulator), weight 1; {@code c} a
 * plain endpoint (Vertex dialect, no credentials), weight 1, serving one model to tenant default.
 * The test gets the emulators in a field marked {@link InjectPool} to refuse, stop and restart them.
 */
public class PoolEmulatorsResource implements QuarkusTestResourceLifecycleManager {

    static final String DEVELOPER_KEY = "developer-key-b";

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface InjectPool {}

    /** The emulators by target name, the Redis, and the token endpoint's count. */
    public record Pool(Map<String, LiveApiEmulator> emulators, Map<String, Integer> ports, Vertx vertx,
            RedisTestServer redis, AtomicInteger tokensIssued) {

        public LiveApiEmulator emulator(String target) {
            return emulators.get(target);
        }

        void stop(String target) throws Exception {
            emulator(target).stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }

        void start(String target) throws Exception {
            emulator(target).start(vertx).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private Pool pool;
    private LocalOAuthServer tokenServer;

    @Override
    public Map<String, String> start() {
        try {
            AtomicInteger tokens = new AtomicInteger();
            tokenServer = new LocalOAuthServer("pool-token-", tokens, new CopyOnWriteArrayList<>());
            Path credentials = tokenServer.serviceAccount("proj-a");

            Vertx vertx = Vertx.vertx();
            Map<String, LiveApiEmulator> emulators = new HashMap<>();
            Map<String, Integer> ports = new HashMap<>();
            for (String name : new String[] {"a", "b", "c"}) {
                int port = ChildProcesses.freePort();
                EmulatorOptions options = EmulatorOptions.defaults().port(port).chunkDelay(Duration.ofMillis(2));
                if (name.equals("a")) {
                    options.authMode(EmulatorOptions.AuthMode.ANY);
                } else if (name.equals("b")) {
                    options.authMode(EmulatorOptions.AuthMode.EXACT).expectedCredential(DEVELOPER_KEY);
                }
                LiveApiEmulator emulator = new LiveApiEmulator(options);
                emulator.start(vertx).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
                emulators.put(name, emulator);
                ports.put(name, port);
            }
            RedisTestServer redis = RedisTestServer.start();
            pool = new Pool(emulators, ports, vertx, redis, tokens);

            String vertexPath = "/ws/google.cloud.aiplatform.v1beta1.LlmBidiService/BidiGenerateContent";
            String developerPath = "/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent";
            String t = "live-gateway.upstream.targets.";
            Map<String, String> config = new HashMap<>();
            config.put("live-gateway.emulator.enabled", "false");
            config.put(t + "a.flavour", "vertex");
            config.put(t + "a.project", "proj-a");
            config.put(t + "a.location", "europe-west4");
            config.put(t + "a.credentials-file", credentials.toString());
            config.put(t + "a.endpoint", "ws://127.0.0.1:" + ports.get("a") + vertexPath);
            config.put(t + "a.weight", "3");
            config.put(t + "a.max-sessions", "3");
            config.put(t + "b.flavour", "developer");
            config.put(t + "b.api-key", DEVELOPER_KEY);
            config.put(t + "b.endpoint", "ws://127.0.0.1:" + ports.get("b") + developerPath);
            config.put(t + "c.flavour", "endpoint");
            config.put(t + "c.endpoint", "ws://127.0.0.1:" + ports.get("c") + vertexPath);
            config.put(t + "c.models", "gemini-live-2.5-flash");
            config.put(t + "c.tenants", "default");
            // A target that is gone gives its conversations up after 3 s.
            config.put("live-gateway.reconnect.resume-deadline", "3s");
            config.put("live-gateway.reconnect.max-delay", "500ms");
            config.put("live-gateway.store", "redis");
            config.put("live-gateway.redis.uri", redis.uri());
            config.put("live-gateway.redis.command-timeout", "2s");
            config.put("live-gateway.quota.heartbeat-interval", "0.2s");
            config.put("live-gateway.quota.lease-ttl", "1s");
            return config;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(pool, new TestInjector.AnnotatedAndMatchesType(InjectPool.class, Pool.class));
    }

    @Override
    public void stop() {
        if (pool != null) {
            pool.emulators().values().forEach(LiveApiEmulator::stop);
            pool.vertx().close();
            pool.redis().stop();
        }
        if (tokenServer != null) {
            tokenServer.close();
        }
    }
}
