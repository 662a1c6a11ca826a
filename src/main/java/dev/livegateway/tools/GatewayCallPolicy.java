package dev.livegateway.tools;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * How the gateway calls a tool it runs itself (an {@code http} or {@code mcp} entry): the time an
 * attempt may take, retries, the circuit breaker, the largest response read, and how a NON_BLOCKING
 * function's response is scheduled. Every field is optional; {@link #DEFAULTS} fills the gaps.
 *
 * @param timeout one attempt's time limit, e.g. {@code 5s} or {@code 800ms} (default 10s)
 * @param retries attempts after the first on a connection error, a timeout, 429 or 5xx (default 0, at most 5)
 * @param retryDelay the wait before a retry, doubled at each one (default 200ms)
 * @param circuitBreaker the entry's breaker; absent: the defaults of {@link CircuitBreaker}
 * @param maxResponseBytes the largest response body read; a larger one is an error (default 1 MiB)
 * @param scheduling for NON_BLOCKING functions: {@code SILENT}, {@code WHEN_IDLE} (default) or {@code INTERRUPT}
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"timeout", "retries", "retryDelay", "circuitBreaker", "maxResponseBytes", "scheduling"})
public record GatewayCallPolicy(String timeout, Integer retries, String retryDelay, CircuitBreaker circuitBreaker,
        Integer maxResponseBytes, String scheduling) {

    public static final GatewayCallPolicy DEFAULTS = new GatewayCallPolicy("10s", 0, "200ms",
            CircuitBreaker.DEFAULTS, 1 << 20, "WHEN_IDLE");

    /**
     * The entry's circuit breaker: it opens when {@code failureRatio} of the last {@code requestVolume}
     * calls failed, refuses calls for {@code delay}, then lets {@code successThreshold} trial calls through.
     */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"requestVolume", "failureRatio", "delay", "successThreshold"})
    public record CircuitBreaker(Integer requestVolume, Double failureRatio, String delay, Integer successThreshold) {

        public static final CircuitBreaker DEFAULTS = new CircuitBreaker(10, 0.5, "30s", 1);

        /** This breaker with the defaults for what it leaves out. */
        public CircuitBreaker orDefaults() {
            return new CircuitBreaker(requestVolume != null ? requestVolume : DEFAULTS.requestVolume,
                    failureRatio != null ? failureRatio : DEFAULTS.failureRatio,
                    delay != null ? delay : DEFAULTS.delay,
                    successThreshold != null ? successThreshold : DEFAULTS.successThreshold);
        }
    }

    /** This policy with {@link #DEFAULTS} for what it leaves out. */
    public GatewayCallPolicy orDefaults() {
        return new GatewayCallPolicy(timeout != null ? timeout : DEFAULTS.timeout,
                retries != null ? retries : DEFAULTS.retries,
                retryDelay != null ? retryDelay : DEFAULTS.retryDelay,
                circuitBreaker != null ? circuitBreaker.orDefaults() : DEFAULTS.circuitBreaker,
                maxResponseBytes != null ? maxResponseBytes : DEFAULTS.maxResponseBytes,
                scheduling != null ? scheduling : DEFAULTS.scheduling);
    }
}
