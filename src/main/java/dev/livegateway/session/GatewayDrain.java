package dev.livegateway.session;

import dev.livegateway.config.SessionSettings;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Graceful shutdown: stop admitting (readiness goes DOWN, new streams get UNAVAILABLE), tell every
 * caller the replica is going away with its resume token and the time left, let conversations end
 * or move, then end the rest with UNAVAILABLE and a resume token. Quarkus waits only for HTTP
 * requests on its own, so the long-lived streams are drained here.
 *
 * <p>The drain must run before Quarkus closes anything: on SIGTERM it first runs its pre-shutdown
 * listeners, then its shutdown tasks, which undeploy the HTTP server (the port closes, and with it
 * everything created on the server's event-loop contexts) before {@link ShutdownEvent} observers
 * run. So the drain runs on {@link ShutdownDelayInitiatedEvent}, fired in the pre-shutdown phase
 * because {@code quarkus.shutdown.delay-enabled=true} (a build-time key, set in
 * application.properties): the port stays open, new streams get the gateway's own UNAVAILABLE, and
 * the Live API connections stay up while sessions finish or move. {@link ShutdownEvent} still
 * drains when the pre-shutdown phase did not run (dev mode).
 */
@ApplicationScoped
public class GatewayDrain {

    private static final Logger LOG = Logger.getLogger(GatewayDrain.class);

    private final SessionRegistry registry;
    private final SessionSettings settings;
    private final AtomicBoolean drained = new AtomicBoolean();

    GatewayDrain(SessionRegistry registry, SessionSettings settings) {
        this.registry = registry;
        this.settings = settings;
    }

    /** SIGTERM, pre-shutdown phase: the HTTP server and the Live API connections are still up. */
    void onShutdownRequested(@Observes @Priority(1) ShutdownDelayInitiatedEvent event) {
        drainOnce();
    }

    /** Fallback when no pre-shutdown phase ran; before the quota leases and the emulator go away. */
    void onShutdown(@Observes @Priority(1) ShutdownEvent event) {
        drainOnce();
    }

    private void drainOnce() {
        if (drained.compareAndSet(false, true)) {
            drain(settings.drainTimeout());
        }
    }

    /** Drains this replica; blocks the calling (non event-loop) thread for at most {@code timeout} plus a second. */
    public void drain(Duration timeout) {
        registry.startDraining();
        long deadline = System.nanoTime() + timeout.toNanos();
        List<LiveSession> sessions = List.copyOf(registry.all());
        if (sessions.isEmpty()) {
            return;
        }
        LOG.infof("draining %d sessions for up to %d s", sessions.size(), timeout.toSeconds());
        Set<String> told = new HashSet<>();
        sessions.forEach(s -> {
            told.add(s.id());
            s.goingAway(timeout);
        });
        while (registry.size() > 0 && System.nanoTime() < deadline) {
            sleep(100);
            // A stream admitted just as the drain began registers after the first round: tell it too.
            for (LiveSession late : List.copyOf(registry.all())) {
                if (told.add(late.id())) {
                    late.goingAway(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
                }
            }
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
