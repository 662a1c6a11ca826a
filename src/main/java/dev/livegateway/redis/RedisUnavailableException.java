package dev.livegateway.redis;

/** Redis could not be reached, or did not answer within the command timeout. */
public class RedisUnavailableException extends RuntimeException {

    public RedisUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
