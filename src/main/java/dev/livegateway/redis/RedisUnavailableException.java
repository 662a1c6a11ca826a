package dev.livegateway.redis;

/**
 * Redis could not be reached, or did not answer within the command timeout. The message names the
 * Redis address and the failure, for the log; callers are told only {@link #CALLER_MESSAGE}.
 */
public class RedisUnavailableException extends RuntimeException {

    /** What callers (gRPC status, REST problem) are told: never the store's address. */
    public static final String CALLER_MESSAGE = "the gateway's shared store is unavailable";

    public RedisUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
