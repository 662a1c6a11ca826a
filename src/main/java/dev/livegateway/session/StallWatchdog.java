package dev.livegateway.session;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The answer the caller awaits (from the end of its turn to the model's turnComplete) and the watch
 * on it: a server message is expected within {@code live-gateway.session.stall-timeout} of the end
 * of a user turn (or of the last server message while the answer streams), as long as the session
 * can act on a stall ({@code watchable}: never while a tool call is pending, the model then waits
 * for the caller). One timer per session, moved lazily: each {@link #watch()} only pushes the
 * deadline, and a timer that fires before it re-arms itself for the rest, instead of a cancel and a
 * new timer for every message of a streamed answer. Used on the session's context only.
 */
final class StallWatchdog {

    private final Vertx vertx;
    private final Duration timeout;
    /** Whether the session can act on a stall now (besides an answer being awaited). */
    private final BooleanSupplier watchable;
    private final Runnable stalled;
    private boolean awaiting;
    private long timer = -1;
    private long deadlineNanos;

    StallWatchdog(Vertx vertx, Duration timeout, BooleanSupplier watchable, Runnable stalled) {
        this.vertx = vertx;
        this.timeout = timeout;
        this.watchable = watchable;
        this.stalled = stalled;
    }

    Duration timeout() {
        return timeout;
    }

    /** Whether the caller awaits an answer: its turn ended and the model's turn is not complete. */
    boolean awaiting() {
        return awaiting;
    }

    /** The caller ended its turn: an answer is awaited from now. */
    void turnEnded() {
        awaiting = true;
        watch();
    }

    /** The model completed its turn: nothing is awaited (the next {@link #watch()} stops the timer). */
    void turnComplete() {
        awaiting = false;
    }

    /** Expects a server message within the timeout from now if an answer is awaited and the session can act on a stall; else stops. */
    void watch() {
        if (awaiting && watchable.getAsBoolean()) {
            arm();
        } else {
            cancel();
        }
    }

    private void arm() {
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
            if (!awaiting || !watchable.getAsBoolean()) {
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
