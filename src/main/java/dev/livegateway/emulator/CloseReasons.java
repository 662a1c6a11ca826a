package dev.livegateway.emulator;

import java.nio.charset.StandardCharsets;

/** Close codes and the reason strings the real Live API servers use (docs/emulator.md, "Protocol rules"). */
public final class CloseReasons {

    public static final short NORMAL = 1000;
    public static final short INVALID_PAYLOAD = 1007;
    public static final short POLICY_VIOLATION = 1008;
    public static final short INTERNAL_ERROR = 1011;

    public static final String INVALID_ARGUMENT = "Request contains an invalid argument.";
    public static final String NOT_FOUND = "Requested entity was not found.";
    public static final String INTERNAL = "Internal error occurred.";
    public static final String UNAVAILABLE = "The service is currently unavailable.";
    public static final String DEADLINE_EXCEEDED = "Deadline expired before operation could complete.";

    /** RFC 6455 caps a close reason at 123 bytes of UTF-8. */
    public static final int MAX_REASON_BYTES = 123;

    private CloseReasons() {}

    /** The Vertex concurrent-session quota close reason, truncated the way it arrives. */
    public static String resourceExhausted(String traceId) {
        return truncate("Request trace id: " + traceId + ", [ORIGINAL ERROR] generic::resource_exhausted: "
                + "RESOURCE_EXHAUSTED: Maximum concurrent sessions exceeded for this project and model.");
    }

    /** Truncates to at most 123 UTF-8 bytes without splitting a character. */
    public static String truncate(String reason) {
        byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_REASON_BYTES) {
            return reason;
        }
        int end = reason.length();
        while (reason.substring(0, end).getBytes(StandardCharsets.UTF_8).length > MAX_REASON_BYTES) {
            end--;
        }
        return reason.substring(0, end);
    }
}
