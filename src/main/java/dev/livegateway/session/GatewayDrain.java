package dev.livegateway.session;

import dev.livegateway.config.SessionConfigMapping;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Graceful shutdown: stop admitting (readiness goes DOWN, new streams get UNAVAILABLE), tell every
 * caller the replica is going away with its resume token and the time left, let conversations end
 * or move, then end the rest with UNAVAILABLE and a resume token. Quarkus waits only for HTTP
 * requests on its own, so the long-lived streams are drained here.
 */
@ApplicationScoped
public class GatewayDrain {

    private static final Logger LOG = Logger.getLogger(GatewayDrain.class);

    private final SessionRegistry registry;
    private final SessionConfigMapping settings;

    GatewayDrain(SessionRegistry registry, SessionConfigMapping settings) {
        this.registry = registry;
        this.settings = settings;
    }

    /** Runs early in shutdown, before the gRPC server and the quota leases go away. */
    void onShutdown(@Observes @Priority(1) ShutdownEvent event) {
        drain(settings.drainTimeout());
    }

    /** Drains this replica; blocks the calling (non event-loop) thread for at most {@code timeout} plus a second. */
    public void drain(Duration timeout) {
        registry.startDraining();
        List<LiveSession> sessions = List.copyOf(registry.all());
        if (sessions.isEmpty()) {
            return;
        }
        LOG.infof("draining %d sessions for up to %d s", sessions.size(), timeout.toSeconds());
        sessions.forEach(s -> s.goingAway(timeout));
        long deadline = System.nanoTime() + timeout.toNanos();
        while (registry.size() > 0 && System.nanoTime() < deadline) {
            sleep(100);
        }
        List<LiveSession> remaining = List.copyOf(registry.all());
        if (!remaining.isEmpty()) {
            LOG.infof("%d sessions still open after the drain timeout; ending them with a resume token", remaining.size());
            remaining.forEach(s -> s.shutDown("this gateway replica is shutting down"));
            long flush = System.nanoTime() + Duration.ofSeconds(1).toNanos();
            while (registry.size() > 0 && System.nanoTime() < flush) {
                sleep(20);
            }
        }
        LOG.info("drain complete");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
