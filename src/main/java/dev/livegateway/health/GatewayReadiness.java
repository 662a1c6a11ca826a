package dev.livegateway.health;

import dev.livegateway.api.v1.LiveGatewayGrpc;
import dev.livegateway.session.SessionRegistry;
import dev.livegateway.upstream.LiveConnector;
import dev.livegateway.upstream.UpstreamPool;
import dev.livegateway.upstream.UpstreamTarget;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus;
import io.quarkus.grpc.runtime.health.GrpcHealthStorage;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness: DOWN while the replica drains, while the {@code live-api} connect circuit breaker is
 * open (in a pool of named targets: while every target's breaker is open), or when the Live API host stopped answering {@link UpstreamReachability}'s checks. Reads
 * state only; a probe never calls the Live API. The gRPC health service ({@code grpc.health.v1.Health},
 * for the whole server and for {@code livegateway.v1.LiveGateway}) reports the same, refreshed
 * every second and on every readiness probe.
 */
@Readiness
@ApplicationScoped
public class GatewayReadiness implements HealthCheck {

    static final String NAME = "live-gateway";
    private static final long GRPC_REFRESH_MS = 1000;

    private final SessionRegistry sessions;
    private final CircuitBreakerMaintenance breakers;
    private final UpstreamReachability reachability;
    private final UpstreamPool pool;
    private final Instance<GrpcHealthStorage> grpcHealth;
    private final Vertx vertx;
    private long timer = -1;

    GatewayReadiness(SessionRegistry sessions, CircuitBreakerMaintenance breakers, UpstreamReachability reachability,
            UpstreamPool pool, Instance<GrpcHealthStorage> grpcHealth, Vertx vertx) {
        this.pool = pool;
        this.sessions = sessions;
        this.breakers = breakers;
        this.reachability = reachability;
        this.grpcHealth = grpcHealth;
        this.vertx = vertx;
    }

    /** Why the replica is not ready; empty when it is. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (sessions.draining()) {
            problems.add("draining: the replica is shutting down and admits no new sessions");
        }
        if (pool.pooled()) {
            List<UpstreamTarget> targets = pool.targets();
            if (!targets.isEmpty() && targets.stream().allMatch(t -> t.breaker().state() == CircuitBreakerState.OPEN)) {
                problems.add("the connect circuit breaker of every upstream target is open ("
                        + targets.stream().map(UpstreamTarget::name).toList() + ")");
            }
        } else if (breakerState() == CircuitBreakerState.OPEN) {
            problems.add("the Live API connect circuit breaker '" + LiveConnector.BREAKER + "' is open");
        }
        // In a pool a host that does not answer is one target's trouble: its breaker and health move
        // sessions to the others, and readiness follows the breakers above.
        if (!pool.pooled() && !reachability.reachable()) {
            UpstreamReachability.Check check = reachability.last();
            problems.add("the Live API host " + check.target() + " did not answer " + check.consecutiveFailures()
                    + " checks in a row: " + check.error());
        }
        return problems;
    }

    public boolean ready() {
        return problems().isEmpty();
    }

    @Override
    public HealthCheckResponse call() {
        List<String> problems = problems();
        if (grpcHealth.isResolvable()) {
            publishToGrpc(problems.isEmpty());
        }
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME).status(problems.isEmpty())
                .withData("draining", sessions.draining())
                .withData("activeSessions", sessions.size())
                .withData("circuitBreaker", pool.pooled() ? String.join(", ", pool.targets().stream()
                        .map(t -> t.name() + "=" + t.breaker().state().name()).toList()) : breakerState().name());
        UpstreamReachability.Check check = reachability.last();
        if (check != null) {
            response.withData("upstream", check.target())
                    .withData("upstreamAnswered", check.answered())
                    .withData("upstreamCheckedAt", check.at().toString());
        }
        if (!problems.isEmpty()) {
            response.withData("reason", String.join("; ", problems));
        }
        return response.build();
    }

    private CircuitBreakerState breakerState() {
        try {
            return breakers.currentState(LiveConnector.BREAKER);
        } catch (IllegalArgumentException e) {
            return CircuitBreakerState.CLOSED; // not used yet
        }
    }

    void start(@Observes StartupEvent event) {
        if (grpcHealth.isResolvable()) {
            publishToGrpc();
            timer = vertx.setPeriodic(GRPC_REFRESH_MS, id -> publishToGrpc());
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** Mirrors readiness into the gRPC health service, for the server ("") and the gateway service. */
    void publishToGrpc() {
        publishToGrpc(ready());
    }

    private void publishToGrpc(boolean ready) {
        GrpcHealthStorage storage = grpcHealth.get();
        ServingStatus status = ready ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
        for (String service : List.of(GrpcHealthStorage.DEFAULT_SERVICE_NAME, LiveGatewayGrpc.SERVICE_NAME)) {
            if (storage.getStatuses().get(service) != status) {
                storage.setStatus(service, status);
            }
        }
    }
}
