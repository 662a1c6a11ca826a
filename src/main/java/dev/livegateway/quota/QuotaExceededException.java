package dev.livegateway.quota;

import java.time.Duration;

/**
 * A session was refused because a limit is full. Maps to gRPC RESOURCE_EXHAUSTED with a
 * {@code google.rpc.RetryInfo} of {@link #retryAfter()}.
 */
public class QuotaExceededException extends RuntimeException {

    private final String limit;
    private final Duration retryAfter;

    /**
     * @param limit      the full limit, e.g. {@code tenant team-a: 10 concurrent sessions}
     * @param retryAfter when a retry may succeed
     */
    public QuotaExceededException(String limit, Duration retryAfter) {
        super("Session quota exhausted (" + limit + "); retry in " + retryAfter.toSeconds() + " s");
        this.limit = limit;
        this.retryAfter = retryAfter;
    }

    /** The limit that is full, e.g. {@code tenant team-a: 10 concurrent sessions}. */
    public String limit() {
        return limit;
    }

    /** When a retry may succeed. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
