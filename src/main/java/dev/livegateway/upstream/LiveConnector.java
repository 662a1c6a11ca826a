package dev.livegateway.upstream;

import dev.livegateway.config.UpstreamConfig;
import dev.livegateway.wire.ClientMessage;
import dev.livegateway.wire.ServerMessage;
import dev.livegateway.wire.Setup;
import dev.livegateway.wire.Wire;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.faulttolerance.api.TypedGuard;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.net.PemTrustOptions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.util.TypeLiteral;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.jboss.logging.Logger;

/**
 * Opens Live API connections, for new sessions and resumptions alike: WebSocket upgrade with the
 * endpoint's credentials, {@code setup}, and the wait for {@code setupComplete}, under the one
 * reconnection policy ({@link ReconnectConfig}, SmallRye Fault Tolerance): a timeout per attempt,
 * retries of transient failures (connect errors, HTTP 408/429/5xx upgrades, unexpected closes, no
 * setupComplete in time) with exponential backoff, jitter and a deadline, and a circuit breaker per
 * target ({@link TargetBreaker}: {@value #BREAKER} for the single upstream) so a dead region fails
 * fast. Refusals of the request itself (1007, 1008, HTTP 4xx, quota) are neither retried nor held
 * against the endpoint's health; they fail the returned Uni as they are. Which target an attempt
 * goes to is the {@link UpstreamPool}'s choice.
 */
@ApplicationScoped
public class LiveConnector {

    private static final Logger LOG = Logger.getLogger(LiveConnector.class);
    static final String USER_AGENT = "live-gateway/0.1";
    /** The name of the Live API endpoint's circuit breaker (readiness, CircuitBreakerMaintenance). */
    public static final String BREAKER = "live-api";

    private final Vertx vertx;
    private final UpstreamConfig config;
    private final ReconnectConfig reconnect;
    private final AtomicLong connections = new AtomicLong();
    /** Each target's breaker, by breaker name; kept when a target is removed, so one added again under its name shares it. */
    private final ConcurrentMap<String, TargetBreaker> breakers = new ConcurrentHashMap<>();
    private final TypedGuard<Uni<Placement>> connectRetries;
    private final TypedGuard<Uni<LiveConnection>> resumeRetries;
    private volatile WebSocketClient client;

    LiveConnector(Vertx vertx, UpstreamConfig config, ReconnectConfig reconnect) {
        this.vertx = vertx;
        this.config = config;
        this.reconnect = reconnect;
        List<String> problems = reconnect.problems();
        if (!problems.isEmpty()) {
            throw new IllegalStateException("invalid configuration: " + String.join("; ", problems));
        }
        this.connectRetries = retryGuard(new TypeLiteral<Uni<Placement>>() {}, reconnect, "Live API connect",
                reconnect.maxRetries(), reconnect.deadline(), LiveConnector::transientFailure);
        // A conversation waits out an open breaker (its delay is shorter than the resume deadline).
        this.resumeRetries = retryGuard(new TypeLiteral<Uni<LiveConnection>>() {}, reconnect, "Live API resume", -1,
                reconnect.resumeDeadline(), LiveConnector::endpointFault);
    }

    /**
     * The circuit breaker and attempt timeout of the target named {@code target} ({@value #BREAKER}
     * for the single upstream, {@code live-api/<name>} for a named target of the pool). Every attempt,
     * of a new session or of a resumption, counts once against its target's health.
     */
    TargetBreaker breakerFor(String breakerName) {
        return breakers.computeIfAbsent(breakerName, n -> new TargetBreaker(n, reconnect, LiveConnector::endpointFault));
    }

    /**
     * Retries of the failures {@code retryable} accepts, with exponential backoff and jitter: at most
     * {@code maxRetries} (-1: as many as fit) within {@code deadline}.
     */
    private static <T> TypedGuard<T> retryGuard(TypeLiteral<T> type, ReconnectConfig c, String what, int maxRetries,
            java.time.Duration deadline, java.util.function.Predicate<Throwable> retryable) {
        return TypedGuard.create(type)
                .withDescription(what)
                .withRetry()
                    .maxRetries(maxRetries)
                    .delay(c.initialDelay().toMillis(), ChronoUnit.MILLIS)
                    .jitter(c.jitter().toMillis(), ChronoUnit.MILLIS)
                    .maxDuration(deadline.toMillis(), ChronoUnit.MILLIS)
                    .whenException(retryable)
                    .withExponentialBackoff().factor(2).maxDelay(c.maxDelay().toMillis(), ChronoUnit.MILLIS).done()
                    .done()
                .build();
    }

    /** Worth another attempt: a fault of the endpoint or the network, unless the breaker is open. */
    static boolean transientFailure(Throwable failure) {
        return !(failure instanceof CircuitBreakerOpenException) && endpointFault(failure);
    }

    /** Held against the endpoint's health; a refusal of the request (not retryable) is not. */
    static boolean endpointFault(Throwable failure) {
        return !(failure instanceof UpstreamException u) || u.retryable();
    }

    /**
     * Places a new session under the reconnection policy: {@code placement} is one pass over the
     * pool's targets (each attempt under its target's breaker, see {@link #attempt}); passes are
     * retried with backoff while they fail transiently, up to {@code max-retries} within {@code deadline}.
     */
    Uni<Placement> connecting(java.util.function.Supplier<Uni<Placement>> placement) {
        return connectRetries.get(placement);
    }

    /**
     * Opens the next connection of a session that moves (goAway, drop, stall) with its handle:
     * {@code attempt} retried until {@code live-gateway.reconnect.resume-deadline} has passed.
     */
    Uni<LiveConnection> resuming(java.util.function.Supplier<Uni<LiveConnection>> attempt) {
        return resumeRetries.get(attempt);
    }

    /**
     * One attempt on {@code target} under its breaker and the attempt timeout: the upgrade with its
     * credentials, {@code setup}, and the wait for {@code setupComplete}. The connection is paused
     * until {@link LiveConnection#start} hands it a listener; it is opened on {@code context}, so
     * all its callbacks run there.
     */
    Uni<LiveConnection> attempt(UpstreamTarget target, Setup setup, Context context) {
        return target.breaker().attempt(() -> dial(target, setup, context));
    }

    /** One attempt, without retries. */
    private Uni<LiveConnection> dial(UpstreamTarget target, Setup setup, Context context) {
        LiveEndpoint endpoint = target.endpoint();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("user-agent", USER_AGENT);
        headers.put("x-goog-api-client", USER_AGENT);
        return target.credentials().addTo(headers).chain(h -> Uni.createFrom().<LiveConnection>emitter(
                emitter -> context.runOnContext(v -> connect(endpoint, h, setup, emitter))));
    }

    private void connect(LiveEndpoint endpoint, Map<String, String> headers, Setup setup,
            UniEmitter<? super LiveConnection> emitter) {
        long number = connections.incrementAndGet();
        WebSocketConnectOptions options = new WebSocketConnectOptions()
                .setHost(endpoint.uri().getHost())
                .setPort(endpoint.port())
                .setSsl(endpoint.tls())
                .setURI(endpoint.requestTarget())
                .setTimeout(config.connectTimeout().toMillis());
        headers.forEach(options::addHeader);
        client().connect(options).onComplete(result -> {
            if (result.failed()) {
                emitter.fail(translateConnectFailure(endpoint, result.cause()));
                return;
            }
            awaitSetupComplete(result.result(), setup, number, emitter);
        });
    }

    private void awaitSetupComplete(WebSocket socket, Setup setup, long number,
            UniEmitter<? super LiveConnection> emitter) {
        AtomicBoolean settled = new AtomicBoolean();
        long timer = vertx.setTimer(config.setupTimeout().toMillis(), id -> {
            if (settled.compareAndSet(false, true)) {
                socket.close((short) 1000, "setup timeout");
                emitter.fail(new UpstreamException.SetupTimeout("no setupComplete from the Live API within "
                        + config.setupTimeout().toMillis() + " ms"));
            }
        });
        java.util.function.Consumer<byte[]> firstMessage = json -> {
            if (!settled.compareAndSet(false, true)) {
                return;
            }
            vertx.cancelTimer(timer);
            ServerMessage message;
            try {
                message = Wire.readServer(json);
            } catch (IOException e) {
                socket.close((short) 1002, "not a Live API message");
                emitter.fail(new UpstreamException.ConnectFailed("the Live API's first message is not JSON", e));
                return;
            }
            if (message.setupComplete() == null) {
                socket.close((short) 1002, "expected setupComplete");
                emitter.fail(new UpstreamException.ConnectFailed(
                        "the Live API's first message was not setupComplete", null));
                return;
            }
            // Hold whatever follows until the session attaches its listener.
            socket.pause();
            // writeQueueFull() turns true at this mark and the session stops pulling caller input.
            socket.setWriteQueueMaxSize(config.writeQueueBytes());
            emitter.complete(new LiveConnection(vertx, socket, message.setupComplete(), number, maxFrameBytes(),
                    config.maxMessageBytes()));
        };
        socket.binaryMessageHandler(buffer -> firstMessage.accept(buffer.getBytes()));
        socket.textMessageHandler(text -> firstMessage.accept(text.getBytes(StandardCharsets.UTF_8)));
        socket.closeHandler(v -> {
            if (settled.compareAndSet(false, true)) {
                vertx.cancelTimer(timer);
                Short code = socket.closeStatusCode();
                UpstreamClose close = code == null ? UpstreamClose.dropped("connection lost before setupComplete")
                        : new UpstreamClose(code, socket.closeReason(), false);
                emitter.fail(new UpstreamException.Closed(close));
            }
        });
        socket.writeTextMessage(new String(Wire.write(ClientMessage.of(setup)), StandardCharsets.UTF_8));
        LOG.debugf("upstream connection %d open, setup sent", number);
    }

    private static UpstreamException translateConnectFailure(LiveEndpoint endpoint, Throwable cause) {
        if (cause instanceof UpgradeRejectedException rejected) {
            String body = rejected.getBody() == null ? "" : rejected.getBody().toString(StandardCharsets.UTF_8);
            if (body.length() > 200) {
                body = body.substring(0, 200) + "...";
            }
            return new UpstreamException.HandshakeRejected(rejected.getStatus(), "the Live API at "
                    + endpoint.uri().getHost() + " refused the WebSocket upgrade with HTTP " + rejected.getStatus()
                    + (body.isBlank() ? "" : ": " + body.strip()));
        }
        return new UpstreamException.ConnectFailed("cannot connect to the Live API at " + endpoint.uri().getHost()
                + ":" + endpoint.port() + ": " + cause, cause);
    }

    /**
     * Creates the WebSocket client at start-up, on the main thread. Vert.x ties a client to the
     * context it is created on: created lazily by the first conversation, it belonged to the HTTP
     * server's event-loop context and was closed, with every Live API connection (close 1000), when
     * Quarkus undeployed the HTTP server at shutdown. Created here it belongs to Vert.x itself and
     * lives until {@link #shutdown()}, after the drain.
     */
    void createClient(@Observes StartupEvent event) {
        client();
    }

    private WebSocketClient client() {
        WebSocketClient current = client;
        if (current == null) {
            synchronized (this) {
                if (client == null) {
                    WebSocketClientOptions options = new WebSocketClientOptions()
                            .setConnectTimeout((int) config.connectTimeout().toMillis())
                            .setMaxMessageSize(config.maxMessageBytes())
                            .setMaxFrameSize(maxFrameBytes())
                            .setTryUsePerMessageCompression(false)
                            .setMaxConnections(Integer.MAX_VALUE / 2);
                    config.trustCertificatePem().ifPresent(path -> options.setTrustOptions(new PemTrustOptions().addCertPath(path)));
                    client = vertx.createWebSocketClient(options);
                }
                current = client;
            }
        }
        return current;
    }

    /** The WebSocket client's maximum frame size: the message size, up to 1 MiB. */
    private int maxFrameBytes() {
        return Math.min(config.maxMessageBytes(), 1 << 20);
    }

    @PreDestroy
    void shutdown() {
        WebSocketClient current = client;
        if (current != null) {
            current.close();
        }
    }
}
