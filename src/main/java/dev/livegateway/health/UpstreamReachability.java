package dev.livegateway.health;

import dev.livegateway.config.UpstreamConfig;
import dev.livegateway.upstream.LiveEndpoint;
import dev.livegateway.upstream.LiveEndpoints;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Whether the Live API host answers at the network level: a TCP connect (plus a TLS handshake for
 * {@code wss://}) every {@code live-gateway.health.upstream-check.interval}, never a Live API call.
 * Probes read the last result. The first check runs during start-up, so readiness is known from
 * the first probe on. In emulator mode the target is the emulator's port.
 */
@ApplicationScoped
public class UpstreamReachability {

    private static final Logger LOG = Logger.getLogger(UpstreamReachability.class);

    /** The last check: where, when, whether it answered, failures in a row, and the last error. */
    public record Check(String target, boolean answered, Instant at, int consecutiveFailures, String error) {}

    private final Vertx vertx;
    private final LiveEndpoints endpoints;
    private final UpstreamConfig upstream;
    private final HealthConfig.UpstreamCheck config;
    private volatile Check last;
    private volatile int failures;
    private ReachabilityProbe probe;
    private long timer = -1;

    UpstreamReachability(Vertx vertx, LiveEndpoints endpoints, UpstreamConfig upstream, HealthConfig health) {
        this.vertx = vertx;
        this.endpoints = endpoints;
        this.upstream = upstream;
        this.config = health.upstreamCheck();
    }

    /** Runs after the embedded emulator has bound its port (its observer has priority 10). */
    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            return;
        }
        try {
            // the main thread may wait; the check itself runs on an event loop
            check().toCompletionStage().toCompletableFuture()
                    .get(config.timeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.warnf("first upstream reachability check did not finish: %s", e.toString());
        }
        timer = vertx.setPeriodic(config.interval().toMillis(), id -> check());
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        if (probe != null) {
            probe.close();
        }
    }

    /** Whether checks are configured at all. */
    public boolean enabled() {
        return config.enabled();
    }

    /** The last result, or null before the first check finished. */
    public Check last() {
        return last;
    }

    /** Reachable unless the last {@code failures-before-down} checks in a row failed. */
    public boolean reachable() {
        Check check = last;
        return !config.enabled() || check == null || check.consecutiveFailures() < config.failuresBeforeDown();
    }

    /** Runs one check now and records its result. */
    public Future<Check> check() {
        LiveEndpoint endpoint;
        try {
            endpoint = endpoints.endpoint();
        } catch (RuntimeException e) {
            return Future.succeededFuture(record("(unconfigured)", e.getMessage()));
        }
        String host = endpoint.uri().getHost();
        int port = endpoint.port();
        String target = (endpoint.tls() ? "tls://" : "tcp://") + host + ":" + port;
        return probe().probe(host, port, endpoint.tls()).map(v -> record(target, null)).otherwise(failure -> record(target, failure.getMessage() == null
                ? failure.getClass().getSimpleName() : failure.getMessage()));
    }

    private synchronized Check record(String target, String error) {
        boolean answered = error == null;
        int previous = failures;
        failures = answered ? 0 : previous + 1;
        if (answered && previous >= config.failuresBeforeDown()) {
            LOG.infof("the Live API host %s answers again", target);
        } else if (!answered && failures == config.failuresBeforeDown()) {
            LOG.warnf("the Live API host %s did not answer %d checks in a row (%s): readiness is DOWN", target,
                    failures, error);
        }
        Check check = new Check(target, answered, Instant.now(), failures, error);
        last = check;
        return check;
    }

    private synchronized ReachabilityProbe probe() {
        if (probe == null) {
            probe = new ReachabilityProbe(vertx, config.timeout(), upstream.trustCertificatePem());
        }
        return probe;
    }
}
