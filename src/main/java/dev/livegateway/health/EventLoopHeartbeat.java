package dev.livegateway.health;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A task scheduled on every event loop of a group records when it last ran. A loop whose
 * heartbeat is older than a threshold has been blocked that long (a stuck handler, a deadlock):
 * the honest signal for liveness, since everything the gateway does runs on these loops.
 */
public final class EventLoopHeartbeat implements AutoCloseable {

    private final List<EventExecutor> loops = new ArrayList<>();
    private final AtomicLongArray lastBeat;
    private final List<ScheduledFuture<?>> tasks = new ArrayList<>();

    public EventLoopHeartbeat(EventExecutorGroup group, Duration interval) {
        group.forEach(loops::add);
        lastBeat = new AtomicLongArray(loops.size());
        long now = System.nanoTime();
        for (int i = 0; i < loops.size(); i++) {
            int index = i;
            lastBeat.set(i, now);
            tasks.add(loops.get(i).scheduleAtFixedRate(() -> lastBeat.set(index, System.nanoTime()),
                    0, interval.toMillis(), TimeUnit.MILLISECONDS));
        }
    }

    /** The number of event loops watched. */
    public int loops() {
        return loops.size();
    }

    /** The loop that has not run its heartbeat for longer than {@code threshold}, if any, and for how long. */
    public Optional<Blocked> blocked(Duration threshold) {
        long now = System.nanoTime();
        Blocked worst = null;
        for (int i = 0; i < loops.size(); i++) {
            long silent = now - lastBeat.get(i);
            if (silent > threshold.toNanos() && (worst == null || silent > worst.silentFor().toNanos())) {
                worst = new Blocked(i, Duration.ofNanos(silent));
            }
        }
        return Optional.ofNullable(worst);
    }

    /** Event loop {@code index} (0-based) has not run for {@code silentFor}. */
    public record Blocked(int index, Duration silentFor) {}

    @Override
    public void close() {
        tasks.forEach(t -> t.cancel(false));
    }
}
