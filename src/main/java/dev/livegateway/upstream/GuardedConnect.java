package dev.livegateway.upstream;

import dev.livegateway.wire.Setup;
import io.smallrye.faulttolerance.api.CircuitBreakerName;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

/**
 * One guarded attempt at opening a connection: SmallRye Fault Tolerance gives each try a timeout,
 * retries transient failures (connect errors, HTTP 429/5xx upgrades, unexpected closes, no
 * setupComplete in time) with exponential backoff and jitter, and keeps a circuit breaker for the
 * upstream endpoint so a dead region fails fast. Every limit is configurable with the standard
 * properties, e.g. {@code dev.livegateway.upstream.GuardedConnect/attempt/Retry/maxRetries=5}
 * (see the README's reliability section).
 */
@ApplicationScoped
public class GuardedConnect {

    public static final String BREAKER = "live-api";

    private final LiveConnector connector;

    GuardedConnect(LiveConnector connector) {
        this.connector = connector;
    }

    /** A connection, or the upstream's refusal of the request (not a fault of the endpoint). */
    public record Attempt(LiveConnection connection, UpstreamException refusal) {}

    @Timeout(30_000)
    @Retry(maxRetries = 3, delay = 200, jitter = 100, maxDuration = 60_000, abortOn = CircuitBreakerOpenException.class)
    @ExponentialBackoff(factor = 2, maxDelay = 5_000)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.8, delay = 15_000, successThreshold = 1)
    @CircuitBreakerName(BREAKER)
    public Uni<Attempt> attempt(Setup setup, Context context) {
        return connector.open(setup, context)
                .map(connection -> new Attempt(connection, null))
                .onFailure(failure -> failure instanceof UpstreamException u && !u.retryable())
                .recoverWithItem(failure -> new Attempt(null, (UpstreamException) failure));
    }
}
