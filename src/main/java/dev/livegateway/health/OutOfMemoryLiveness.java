package dev.livegateway.health;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.jboss.logging.Logger;

/**
 * Liveness: DOWN for good once an {@link OutOfMemoryError} was seen, and while the heap is still
 * full right after a garbage collection. A JVM that failed an allocation may have lost a thread or
 * left a session half-updated; restarting it is the honest answer.
 *
 * <p>The first line of defence is the JVM's own {@code -XX:+ExitOnOutOfMemoryError} (set in the
 * container image and {@code deploy/}): it acts on every thread and whoever catches the error. This
 * check covers a JVM started without it: errors that reach Vert.x's exception handler or a thread's
 * uncaught-exception handler, and, because an error caught and logged elsewhere (Netty, gRPC) never
 * reaches either, the heap pools' usage after their last collection, which does not depend on who
 * caught what.
 */
@Liveness
@ApplicationScoped
public class OutOfMemoryLiveness implements HealthCheck {

    private static final Logger LOG = Logger.getLogger(OutOfMemoryLiveness.class);
    private static final String NAME = "heap";

    private final HealthConfig config;
    private final AtomicLong errors = new AtomicLong();
    private final AtomicReference<Instant> firstError = new AtomicReference<>();
    private final List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP && p.isCollectionUsageThresholdSupported())
            // Eden is empty and a survivor space may be full after every young collection: only the
            // pools of long-lived objects (old/tenured generation, or a single-generation heap) tell.
            .filter(p -> !p.getName().contains("Eden") && !p.getName().contains("Survivor")).toList();

    OutOfMemoryLiveness(HealthConfig config) {
        this.config = config;
        double ratio = config.heap().exhaustedAfterGcRatio();
        if (!(ratio >= 0.5 && ratio <= 1)) {
            throw new IllegalArgumentException("live-gateway.health.heap.exhausted-after-gc-ratio must be between 0.5"
                    + " and 1, was " + ratio);
        }
    }

    void start(@Observes StartupEvent event, Vertx vertx) {
        Handler<Throwable> previous = vertx.exceptionHandler();
        vertx.exceptionHandler(error -> {
            noteIfOutOfMemory(error);
            if (previous != null) {
                previous.handle(error);
            } else {
                LOG.error("uncaught exception in a Vert.x handler", error);
            }
        });
        Thread.UncaughtExceptionHandler previousDefault = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, error) -> {
            noteIfOutOfMemory(error);
            if (previousDefault != null) {
                previousDefault.uncaughtException(thread, error);
            } else {
                System.err.println("Exception in thread \"" + thread.getName() + "\" " + error);
            }
        });
        if (!exitOnOutOfMemoryError()) {
            LOG.info("the JVM runs without -XX:+ExitOnOutOfMemoryError; liveness turns DOWN after an"
                    + " OutOfMemoryError instead (the container image sets the flag)");
        }
    }

    /** Records {@code error} if it is (or was caused by) an OutOfMemoryError. */
    public void noteIfOutOfMemory(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof OutOfMemoryError) {
                errors.incrementAndGet();
                firstError.compareAndSet(null, Instant.now());
                return;
            }
        }
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME).up();
        long seen = errors.get();
        if (seen > 0) {
            response.down().withData("outOfMemoryErrors", seen).withData("firstAt", firstError.get().toString());
        }
        for (MemoryPoolMXBean pool : heapPools) {
            MemoryUsage afterGc = pool.getCollectionUsage();
            if (afterGc != null && afterGc.getMax() > 0
                    && afterGc.getUsed() >= config.heap().exhaustedAfterGcRatio() * afterGc.getMax()) {
                response.down().withData("exhaustedPool", pool.getName())
                        .withData("usedAfterGcBytes", afterGc.getUsed()).withData("maxBytes", afterGc.getMax());
            }
        }
        return response.withData("exitOnOutOfMemoryError", exitOnOutOfMemoryError()).build();
    }

    private static boolean exitOnOutOfMemoryError() {
        try {
            HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            return hotspot != null && Boolean.parseBoolean(hotspot.getVMOption("ExitOnOutOfMemoryError").getValue());
        } catch (RuntimeException | LinkageError e) {
            return false; // not HotSpot (a native image): the flag cannot be read
        }
    }
}
