package dev.livegateway.toolrun;

/** How a gateway-run call ended (the proto's {@code GatewayToolOutcome}); the error kinds are metric tags. */
public enum CallOutcome {
    OK,
    ERROR_RESPONSE,
    TIMEOUT,
    UNAVAILABLE,
    CIRCUIT_OPEN,
    RESPONSE_TOO_LARGE,
    CANCELLED,
    LIMITED,
    MISCONFIGURED;

    /** The metric tag and the {@code error.kind} the model reads. */
    public String tag() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
