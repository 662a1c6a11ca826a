package dev.livegateway.session;

import io.vertx.core.Context;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import java.util.function.Consumer;
import org.jboss.logging.MDC;

/**
 * The one Vert.x context a session runs on (the caller's event loop), so its state needs no locks,
 * with the session id in the logging MDC for whatever runs there.
 */
final class SessionContext {

    private static final String MDC_KEY = "session";

    private final Context context;
    private final String sessionId;

    SessionContext(Context context, String sessionId) {
        this.context = context;
        this.sessionId = sessionId;
    }

    Context context() {
        return context;
    }

    Vertx vertx() {
        return context.owner();
    }

    /** Runs {@code action} on the session's context: now if already there, else as a task there. */
    void run(Runnable action) {
        if (Vertx.currentContext() == context) {
            withMdc(action);
        } else {
            context.runOnContext(v -> withMdc(action));
        }
    }

    /** Runs {@code action} as a new task on the session's context, even if called from there. */
    void later(Runnable action) {
        context.runOnContext(v -> withMdc(action));
    }

    /** Subscribes to {@code uni}; its item or failure is handled on the session's context. */
    <T> void subscribe(Uni<T> uni, Consumer<T> item, Consumer<Throwable> failure) {
        uni.subscribe().with(value -> run(() -> item.accept(value)), error -> run(() -> failure.accept(error)));
    }

    void withMdc(Runnable action) {
        Object previous = MDC.get(MDC_KEY);
        MDC.put(MDC_KEY, sessionId);
        try {
            action.run();
        } finally {
            if (previous == null) {
                MDC.remove(MDC_KEY);
            } else {
                MDC.put(MDC_KEY, previous);
            }
        }
    }
}
