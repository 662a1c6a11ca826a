package dev.livegateway.session;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The watch on the answer the caller awaits: a server message is expected within
 * {@code live-gateway.session.stall-timeout} of the end of a user turn (or of the last server
 * message while the answer streams), as long as a stall matters ({@code watchable}: an answer is
 * awaited, see {@link ModelActivity}, and the session can act on it — never while a BLOCKING tool
 * call is pending, the model then waits for the caller). One timer per session, moved lazily: each {@link #watch()} only pushes the
 * deadline, and a timer that fires before it re-arms itself for the rest, instead of a cancel and a
 * new timer for every message of a streamed answer. Used on the session's context only.
 */
final class StallWatchdog {

    private final Vertx vertx;
    private final Duration timeout;
    /** Whether a stall matters now: an answer awaited, and the session able to act on it. */
    private final BooleanSupplier watchable;
    private final Runnable stalled;
    private long timer = -1;
    private long deadlineNanos;
    /** Whether the watch is on; a timer still set while it is off lapses by itself. */
    private boolean armed;

    StallWatchdog(Vertx vertx, Duration timeout, BooleanSupplier watchable, Runnable stalled) {
        this.vertx = vertx;
        this.timeout = timeout;
        this.watchable = watchable;
        this.stalled = stalled;
    }

    Duration timeout() {
        return timeout;
    }

    /** Expects a server message within the timeout from now if a stall matters; else stops. */
    void watch() {
        if (watchable.getAsBoolean()) {
            arm();
        } else {
            armed = false;
        }
    }

    private void arm() {
        armed = true;
        deadlineNanos = System.nanoTime() + timeout.toNanos();
        if (timer < 0) {
            schedule(timeout.toMillis());
        }
    }

    /**
     * Stops watching. The timer is left to lapse (it finds the watch off and does nothing, or
     * re-arms for the rest if the watch is on again by then): cancelling it on every server message
     * that finds no answer awaited cost 1 % of the gateway's CPU at 200 sessions of 20 ms audio.
     */
    void cancel() {
        armed = false;
    }

    /** Stops watching for good (the session ended): the timer goes too. */
    void close() {
        armed = false;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }

    private void schedule(long delayMillis) {
        timer = vertx.setTimer(Math.max(1, delayMillis), id -> {
            timer = -1;
            if (!armed || !watchable.getAsBoolean()) {
                return;
            }
            long left = deadlineNanos - System.nanoTime();
            if (left > 0) {
                schedule(TimeUnit.NANOSECONDS.toMillis(left) + 1);
                return;
            }
            stalled.run();
        });
    }
}
