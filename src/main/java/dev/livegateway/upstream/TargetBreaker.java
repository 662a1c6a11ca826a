package dev.livegateway.upstream;

import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.TypedGuard;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.util.TypeLiteral;
import java.time.temporal.ChronoUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * One target's connect attempts: the attempt timeout and the target's own circuit breaker
 * (SmallRye Fault Tolerance), so a failing region fails fast while the others take its sessions.
 * The single upstream's breaker keeps its name {@value LiveConnector#BREAKER}; a named target's is
 * {@code live-api/<name>}.
 */
public final class TargetBreaker {

    private final String name;
    private final TypedGuard<Uni<LiveConnection>> guard;

    TargetBreaker(String name, ReconnectConfig c, Predicate<Throwable> endpointFault) {
        this.name = name;
        this.guard = TypedGuard.create(new TypeLiteral<Uni<LiveConnection>>() {})
                .withDescription("Live API connect attempt (" + name + ")")
                .withTimeout().duration(c.attemptTimeout().toMillis(), ChronoUnit.MILLIS).done()
                .withCircuitBreaker()
                    .name(name)
                    .requestVolumeThreshold(c.breaker().requestVolumeThreshold())
                    .failureRatio(c.breaker().failureRatio())
                    .delay(c.breaker().delay().toMillis(), ChronoUnit.MILLIS)
                    .successThreshold(c.breaker().successThreshold())
                    .when(endpointFault)
                    .done()
                .build();
    }

    /** The breaker's name (CircuitBreakerMaintenance). */
    public String name() {
        return name;
    }

    /** One attempt under the timeout and the breaker. */
    Uni<LiveConnection> attempt(Supplier<Uni<LiveConnection>> dial) {
        return guard.get(dial);
    }

    public CircuitBreakerState state() {
        try {
            return CircuitBreakerMaintenance.get().currentState(name);
        } catch (IllegalArgumentException | IllegalStateException notUsedYet) {
            return CircuitBreakerState.CLOSED;
        }
    }
}
