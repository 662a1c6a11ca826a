package dev.livegateway.toolrun;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One attempt's failure, with the outcome it stands for and whether another attempt may help
 * (connection errors, timeouts, 429 and 5xx) — what the entry's retry and circuit breaker read.
 * Its message names the endpoint by host only and never carries a secret.
 */
public final class CallFailure extends RuntimeException {

    private final CallOutcome outcome;
    private final boolean retryable;
    private final transient JsonNode detail;

    public CallFailure(CallOutcome outcome, boolean retryable, String message) {
        this(outcome, retryable, message, null);
    }

    public CallFailure(CallOutcome outcome, boolean retryable, String message, JsonNode detail) {
        super(message, null, false, false);
        this.outcome = outcome;
        this.retryable = retryable;
        this.detail = detail;
    }

    public CallOutcome outcome() {
        return outcome;
    }

    public boolean retryable() {
        return retryable;
    }

    /** The endpoint's error body for the model, when it sent one. */
    public JsonNode detail() {
        return detail;
    }
}
