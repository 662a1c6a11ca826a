package dev.livegateway.session;

import java.time.Duration;

/**
 * A new stream was refused because this replica already carries {@code live-gateway.limits.max-sessions}
 * sessions. Maps to RESOURCE_EXHAUSTED with a {@code google.rpc.RetryInfo}: another replica (or this
 * one a moment later) can take it.
 */
public class ReplicaFullException extends RuntimeException {

    private final int maxSessions;
    private final Duration retryAfter;

    public ReplicaFullException(int maxSessions, Duration retryAfter) {
        super("this gateway replica carries its maximum of " + maxSessions
                + " sessions (live-gateway.limits.max-sessions)");
        this.maxSessions = maxSessions;
        this.retryAfter = retryAfter;
    }

    public int maxSessions() {
        return maxSessions;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
