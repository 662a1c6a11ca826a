package dev.livegateway.toolrun;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livegateway.tools.DurationText;
import dev.livegateway.tools.GatewayCallPolicy;
import dev.livegateway.tools.ToolEntry;
import io.smallrye.faulttolerance.api.TypedGuard;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.util.TypeLiteral;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Each entry version's retries and circuit breaker (SmallRye Fault Tolerance's programmatic
 * {@link TypedGuard} on {@code Uni}), built from its {@link GatewayCallPolicy} on first use.
 * Retried and held against the breaker: failures another attempt may cure (connection errors,
 * timeouts, 429, 5xx), never a refusal of the request, an oversize answer or an abort. The attempt
 * timeout is the attempt's own (it resets its request), not a guard's.
 */
final class EntryGuards {

    private final ConcurrentMap<String, TypedGuard<Uni<JsonNode>>> guards = new ConcurrentHashMap<>();

    /** The guard of {@code entry} at its version. */
    TypedGuard<Uni<JsonNode>> of(ToolEntry entry, GatewayCallPolicy policy) {
        String key = entry.name() + "@" + entry.version();
        return guards.computeIfAbsent(key, k -> {
            guards.keySet().removeIf(other -> other.startsWith(entry.name() + "@") && !other.equals(k));
            return build(entry.name(), policy);
        });
    }

    private static TypedGuard<Uni<JsonNode>> build(String name, GatewayCallPolicy policy) {
        GatewayCallPolicy.CircuitBreaker breaker = policy.circuitBreaker();
        var builder = TypedGuard.create(new TypeLiteral<Uni<JsonNode>>() {})
                .withDescription("gateway-run tool " + name);
        if (policy.retries() > 0) {
            builder = builder.withRetry()
                    .maxRetries(policy.retries())
                    .delay(DurationText.of(policy.retryDelay()).toMillis(), ChronoUnit.MILLIS)
                    .whenException(EntryGuards::retryable)
                    .withExponentialBackoff().factor(2).maxDelay(60_000, ChronoUnit.MILLIS).done()
                    .done();
        }
        return builder.withCircuitBreaker()
                    .requestVolumeThreshold(breaker.requestVolume())
                    .failureRatio(breaker.failureRatio())
                    .delay(DurationText.of(breaker.delay()).toMillis(), ChronoUnit.MILLIS)
                    .successThreshold(breaker.successThreshold())
                    .when(EntryGuards::retryable)
                    .done()
                .build();
    }

    /** Another attempt may cure it, and the call was not aborted. */
    static boolean retryable(Throwable failure) {
        return failure instanceof CallFailure f && f.retryable();
    }
}
