package dev.livegateway.session;

import java.time.Duration;

/**
 * Watches the caller leaving without the session noticing otherwise: every two seconds it looks
 * for a connection that vanished (the transport does not always report it), and after a
 * half-close it waits {@code live-gateway.session.half-close-grace} for the model's pending answer.
 * The callbacks run on the session's context; used there only.
 */
final class CallerWatch {

    private static final long GONE_CHECK_MILLIS = 2000;

    private final SessionContext context;
    private final CallerChannel caller;
    private final Duration halfCloseGrace;
    private final Runnable gone;
    private final Runnable graceElapsed;
    private long goneCheck = -1;
    private long grace = -1;

    CallerWatch(SessionContext context, CallerChannel caller, Duration halfCloseGrace, Runnable gone,
            Runnable graceElapsed) {
        this.context = context;
        this.caller = caller;
        this.halfCloseGrace = halfCloseGrace;
        this.gone = gone;
        this.graceElapsed = graceElapsed;
    }

    /** Starts looking for a vanished caller connection. */
    void start() {
        goneCheck = context.vertx().setPeriodic(GONE_CHECK_MILLIS, id -> context.run(() -> {
            if (caller.gone()) {
                gone.run();
            }
        }));
    }

    /** The caller half-closed: the grace starts. */
    void halfClosed() {
        grace = context.vertx().setTimer(halfCloseGrace.toMillis(), id -> context.run(() -> {
            grace = -1;
            graceElapsed.run();
        }));
    }

    void cancel() {
        if (goneCheck >= 0) {
            context.vertx().cancelTimer(goneCheck);
        }
        if (grace >= 0) {
            context.vertx().cancelTimer(grace);
        }
    }
}
