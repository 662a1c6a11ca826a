package dev.livegateway.quota;

/**
 * The quota store cannot be reached, so no session can be admitted (the gateway fails closed
 * rather than exceed a limit it cannot count). Maps to gRPC UNAVAILABLE.
 */
public class QuotaUnavailableException extends RuntimeException {

    public QuotaUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
