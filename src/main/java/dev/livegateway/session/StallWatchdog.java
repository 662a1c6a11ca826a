package dev.livegateway.session;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Expects a server message within {@code live-gateway.session.stall-timeout} of the end of a user
 * turn (or of the last server message while the answer streams). One timer per session, moved
 * lazily: each {@link #arm()} only pushes the deadline, and a timer that fires before it re-arms
 * itself for the rest, instead of a cancel and a new timer for every message of a streamed answer.
 * Used on the session's context only.
 */
final class StallWatchdog {

    private final Vertx vertx;
    private final Duration timeout;
    /** Whether a stall still matters when the timer fires (an answer is awaited, nothing else explains the wait). */
    private final BooleanSupplier watching;
    private final Runnable stalled;
    private long timer = -1;
    private long deadlineNanos;

    StallWatchdog(Vertx vertx, Duration timeout, BooleanSupplier watching, Runnable stalled) {
        this.vertx = vertx;
        this.timeout = timeout;
        this.watching = watching;
        this.stalled = stalled;
    }

    Duration timeout() {
        return timeout;
    }

    /** Expects a server message within the timeout from now. */
    void arm() {
        deadlineNanos = System.nanoTime() + timeout.toNanos();
        if (timer < 0) {
            schedule(timeout.toMillis());
        }
    }

    void cancel() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }

    private void schedule(long delayMillis) {
        timer = vertx.setTimer(Math.max(1, delayMillis), id -> {
            timer = -1;
            if (!watching.getAsBoolean()) {
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
