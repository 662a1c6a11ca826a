package dev.livegateway.session;

/**
 * Looks every two seconds for a caller whose connection vanished: the transport does not always
 * report it. Used on the session's context only.
 */
final class CallerWatch {

    private static final long PERIOD_MILLIS = 2000;

    private final SessionContext context;
    private final CallerChannel caller;
    private final Runnable gone;
    private long timer = -1;

    /** {@code gone} runs on the session's context once the caller's connection is gone. */
    CallerWatch(SessionContext context, CallerChannel caller, Runnable gone) {
        this.context = context;
        this.caller = caller;
        this.gone = gone;
    }

    void start() {
        timer = context.vertx().setPeriodic(PERIOD_MILLIS, id -> context.run(() -> {
            if (caller.gone()) {
                gone.run();
            }
        }));
    }

    void cancel() {
        if (timer >= 0) {
            context.vertx().cancelTimer(timer);
            timer = -1;
        }
    }
}
