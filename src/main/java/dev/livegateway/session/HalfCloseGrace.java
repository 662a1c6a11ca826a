package dev.livegateway.session;

import java.time.Duration;

/**
 * After the caller half-closed, how long the session waits for the model's pending answer
 * ({@code live-gateway.session.half-close-grace}) before it finishes anyway. Used on the session's
 * context only.
 */
final class HalfCloseGrace {

    private final SessionContext context;
    private final Duration grace;
    private final Runnable elapsed;
    private long timer = -1;

    /** {@code elapsed} runs on the session's context when the grace is over. */
    HalfCloseGrace(SessionContext context, Duration grace, Runnable elapsed) {
        this.context = context;
        this.grace = grace;
        this.elapsed = elapsed;
    }

    void start() {
        timer = context.vertx().setTimer(grace.toMillis(), id -> context.run(() -> {
            timer = -1;
            elapsed.run();
        }));
    }

    void cancel() {
        if (timer >= 0) {
            context.vertx().cancelTimer(timer);
            timer = -1;
        }
    }
}
