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

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.ofEntries(
                Map.entry("live-gateway.upstream.setup-timeout", "1s"),
                Map.entry("live-gateway.reconnect.max-retries", "2"),
                Map.entry("live-gateway.reconnect.initial-delay", "50ms"),
                Map.entry("live-gateway.reconnect.jitter", "10ms"),
                Map.entry("live-gateway.reconnect.max-delay", "200ms"),
                Map.entry("live-gateway.reconnect.deadline", "3s"),
                Map.entry("live-gateway.reconnect.resume-deadline", "3s"),
                Map.entry("live-gateway.reconnect.breaker.request-volume-threshold", "4"),
                Map.entry("live-gateway.reconnect.breaker.failure-ratio", "1.0"),
                Map.entry("live-gateway.reconnect.breaker.delay", "1500ms"),
                Map.entry("live-gateway.session.stall-timeout", "1s"),
                Map.entry("live-gateway.session.tool-response-timeout", "4s"),
                Map.entry("live-gateway.session.replay-buffer-bytes", "2048"),
                // GatewayToolRunTest: a turn budget below the tool-response timeout, secrets as files
                Map.entry("live-gateway.tool-run.turn-budget", "3s"),
                Map.entry("live-gateway.tool-run.secrets-directory", "target/test-tool-secrets"),
                Map.entry("quarkus.otel.sdk.disabled", "false"),
                Map.entry("quarkus.otel.simple", "true"),
                Map.entry("quarkus.otel.traces.exporter", "cdi"));
    }
}
