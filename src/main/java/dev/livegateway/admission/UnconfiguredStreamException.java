package dev.livegateway.admission;

import java.time.Duration;

/**
 * A stream that has not sent its SessionConfig ended by a limit: it waited longer than the
 * first-event timeout (DEADLINE_EXCEEDED), or its tenant already has the most such streams open
 * (RESOURCE_EXHAUSTED).
 */
public final class UnconfiguredStreamException extends RuntimeException {

    public enum Limit { FIRST_EVENT_TIMEOUT, UNCONFIGURED_STREAMS }

    private final Limit limit;

    private UnconfiguredStreamException(Limit limit, String message) {
        super(message);
        this.limit = limit;
    }

    public static UnconfiguredStreamException timedOut(Duration timeout) {
        return new UnconfiguredStreamException(Limit.FIRST_EVENT_TIMEOUT, "config: no SessionConfig within "
                + describe(timeout) + " of opening the stream (live-gateway.limits.first-event-timeout); send the"
                + " config event as soon as the stream is open");
    }

    public static UnconfiguredStreamException tooMany(String tenant, int limit) {
        return new UnconfiguredStreamException(Limit.UNCONFIGURED_STREAMS, "tenant " + tenant + " already has " + limit
                + " streams open that have not sent their SessionConfig"
                + " (live-gateway.limits.unconfigured-streams-per-tenant); send the config event as soon as a stream"
                + " is open, then retry");
    }

    public Limit limit() {
        return limit;
    }

    private static String describe(Duration timeout) {
        return timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms";
    }
}
