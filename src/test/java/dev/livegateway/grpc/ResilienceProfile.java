package dev.livegateway.grpc;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * Short limits so retries, the circuit breaker, the stall watchdog and the tool-response timeout
 * act within a test's patience; tracing on (in-memory exporter) and a tiny replay buffer for
 * {@code health.OperationsUnderShortTimeoutsTest}, which shares this profile's application (one
 * start instead of two). That test drains the replica at its end, which cannot be undone: it runs
 * after the {@code grpc} classes of this profile because Quarkus orders the classes of one profile
 * by name, so a class added to this profile must sort before it.
 */
public class ResilienceProfile implements QuarkusTestProfile {

    static final String GUARD = "dev.livegateway.upstream.GuardedConnect/attempt/";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.ofEntries(
                Map.entry("live-gateway.upstream.setup-timeout", "1s"),
                Map.entry(GUARD + "Retry/maxRetries", "2"),
                Map.entry(GUARD + "Retry/delay", "50"),
                Map.entry(GUARD + "Retry/jitter", "10"),
                Map.entry(GUARD + "ExponentialBackoff/maxDelay", "200"),
                Map.entry(GUARD + "CircuitBreaker/requestVolumeThreshold", "4"),
                Map.entry(GUARD + "CircuitBreaker/failureRatio", "1.0"),
                Map.entry(GUARD + "CircuitBreaker/delay", "1500"),
                Map.entry("live-gateway.session.stall-timeout", "1s"),
                Map.entry("live-gateway.session.tool-response-timeout", "4s"),
                Map.entry("live-gateway.session.resume-budget", "3s"),
                Map.entry("live-gateway.session.resume-initial-backoff", "50ms"),
                Map.entry("live-gateway.session.resume-max-backoff", "300ms"),
                Map.entry("live-gateway.session.replay-buffer-bytes", "2048"),
                Map.entry("quarkus.otel.sdk.disabled", "false"),
                Map.entry("quarkus.otel.simple", "true"),
                Map.entry("quarkus.otel.traces.exporter", "cdi"));
    }
}
