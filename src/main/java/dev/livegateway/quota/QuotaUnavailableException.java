package dev.livegateway.quota;

/**
 * The quota store cannot be reached, so no session can be admitted (the gateway fails closed
 * rather than exceed a limit it cannot count). Maps to gRPC UNAVAILABLE.
 */
public class QuotaUnavailableException extends RuntimeException {

    private final String callerMessage;

    /** {@code message} is both logged and told to callers: it must not name the store's address. */
    public QuotaUnavailableException(String message, Throwable cause) {
        this(message, message, cause);
    }

    /**
     * @param callerMessage what callers are told (no store address or internals)
     * @param detail the message for the log, naming the store and the failure
     */
    public QuotaUnavailableException(String callerMessage, String detail, Throwable cause) {
        super(detail, cause);
        this.callerMessage = callerMessage;
    }

    /** What a caller is told: that quotas cannot be checked, never where the store is. */
    public String callerMessage() {
        return callerMessage;
    }
}
