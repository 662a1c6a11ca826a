package dev.livegateway.websocket;

import dev.livegateway.admission.StatusMapper;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;

/**
 * A failure as the WebSocket close the Live API's clients understand (README, "The Live API
 * WebSocket front"): the gateway's one status mapping ({@link StatusMapper}), then its code as a
 * close code, with the reason starting with the status code's name and naming the field.
 */
final class CloseCodes {

    static final short NORMAL = 1000;
    /** Bad input: a field the gateway or the Live API refuses (the real API's code for it). */
    static final short INVALID_PAYLOAD = 1007;
    /** Authentication and permission: a missing or unknown key, a tool or token of another tenant. */
    static final short POLICY_VIOLATION = 1008;
    /** Internal errors and the Live API failing. */
    static final short INTERNAL_ERROR = 1011;
    /** Quota full, replica full or draining: retry, after the delay the reason names. */
    static final short TRY_AGAIN_LATER = 1013;

    /** RFC 6455 caps a close reason at 123 bytes of UTF-8. */
    static final int MAX_REASON_BYTES = 123;

    /** A close code and reason. */
    record Close(short code, String reason) {}

    private CloseCodes() {}

    static Close of(StatusMapper.Mapped mapped) {
        short code = switch (mapped.code()) {
            case OK, CANCELLED -> NORMAL;
            case INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE, NOT_FOUND -> INVALID_PAYLOAD;
            case UNAUTHENTICATED, PERMISSION_DENIED -> POLICY_VIOLATION;
            case RESOURCE_EXHAUSTED, UNAVAILABLE, ABORTED -> TRY_AGAIN_LATER;
            default -> INTERNAL_ERROR;
        };
        String retry = mapped.retryDelay() == null ? "" : " (retry in " + Math.max(1,
                (mapped.retryDelay().toMillis() + 999) / 1000) + "s)";
        return new Close(code, truncate(mapped.code().name() + retry + ": " + mapped.message()));
    }

    static Close of(Status.Code status, String message) {
        return of(new StatusMapper.Mapped(status, message, null, status.name()));
    }

    /** Truncates to at most 123 UTF-8 bytes without splitting a character. */
    static String truncate(String reason) {
        if (reason.getBytes(StandardCharsets.UTF_8).length <= MAX_REASON_BYTES) {
            return reason;
        }
        int end = Math.min(reason.length(), MAX_REASON_BYTES);
        while (reason.substring(0, end).getBytes(StandardCharsets.UTF_8).length > MAX_REASON_BYTES - 3) {
            end--;
        }
        return reason.substring(0, end) + "...";
    }
}
