package dev.livegateway.upstream;

import java.util.Locale;

/**
 * How an upstream WebSocket ended: the close code and reason, or {@code 1006} with
 * {@code abrupt = true} when the connection dropped without a close frame.
 */
public record UpstreamClose(int code, String reason, boolean abrupt) {

    public static final int NORMAL = 1000;
    public static final int ABNORMAL = 1006;
    public static final int INVALID_PAYLOAD = 1007;
    public static final int POLICY_VIOLATION = 1008;
    /** The gateway closes with this when the Live API sends a message over the configured maximum. */
    public static final int MESSAGE_TOO_BIG = 1009;
    public static final int INTERNAL_ERROR = 1011;

    public static UpstreamClose dropped(String detail) {
        return new UpstreamClose(ABNORMAL, detail, true);
    }

    public String reasonText() {
        return reason == null ? "" : reason;
    }

    /** The Vertex concurrent-session quota shows up as a 1011 close with this in the reason. */
    public boolean resourceExhausted() {
        String r = reasonText().toLowerCase(Locale.ROOT);
        return r.contains("resource_exhausted") || r.contains("resource exhausted") || r.contains("quota");
    }

    /**
     * Whether resuming or reconnecting may cure it: drops, normal closes the caller did not ask
     * for, and transient 1011 faults. Not 1007 (bad request), 1008 (not found, permission) or quota.
     */
    public boolean retryable() {
        if (code == INVALID_PAYLOAD || code == POLICY_VIOLATION || resourceExhausted()) {
            return false;
        }
        return true;
    }

    public String describe() {
        return "upstream closed the connection with " + code + (abrupt ? " (no close frame)" : "")
                + (reasonText().isEmpty() ? "" : ": " + reasonText());
    }
}
