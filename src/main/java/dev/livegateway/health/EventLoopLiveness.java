package dev.livegateway.health;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/** Liveness: DOWN when a Vert.x event loop has been blocked longer than {@code live-gateway.health.event-loop.blocked-after}. */
@Liveness
@ApplicationScoped
public class EventLoopLiveness implements HealthCheck {

    private final Vertx vertx;
    private final HealthConfig config;
    private volatile EventLoopHeartbeat heartbeat;

    EventLoopLiveness(Vertx vertx, HealthConfig config) {
        this.vertx = vertx;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        heartbeat = new EventLoopHeartbeat(vertx.nettyEventLoopGroup(), config.eventLoop().heartbeatInterval());
    }

    void stop(@Observes ShutdownEvent event) {
        EventLoopHeartbeat running = heartbeat;
        if (running != null) {
            running.close();
        }
    }

    @Override
    public HealthCheckResponse call() {
        EventLoopHeartbeat running = heartbeat;
        if (running == null) {
            return HealthCheckResponse.named("event-loops").up().withData("loops", "starting").build();
        }
        return running.blocked(config.eventLoop().blockedAfter())
                .map(b -> HealthCheckResponse.named("event-loops").down()
                        .withData("loops", running.loops())
                        .withData("blockedLoop", b.index())
                        .withData("blockedForMs", b.silentFor().toMillis()).build())
                .orElseGet(() -> HealthCheckResponse.named("event-loops").up()
                        .withData("loops", running.loops()).build());
    }
}
