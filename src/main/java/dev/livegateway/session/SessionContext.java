package dev.livegateway.session;

import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
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
    /**
     * The context is a duplicated one (a gRPC call's, a WebSocket request's): Quarkus keeps the MDC
     * of a duplicated context in its own locals (VertxMDC), so whatever runs on it sees what was put
     * there and no other stream does.
     */
    private final boolean mdcOfItsOwn;
    /** The session id is in this context's MDC (touched on the context only). */
    private boolean mdcSet;

    SessionContext(Context context, String sessionId) {
        this.context = context;
        this.sessionId = sessionId;
        this.mdcOfItsOwn = VertxContext.isDuplicatedContext(context);
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

    /**
     * Runs {@code action} with the session id in the MDC. On the session's own duplicated context the id
     * is put once and left there: a put and a restore around every task cost three lookups in the
     * context's locals each (0.9 % of the gateway's CPU at 100 sessions of 20 ms audio), and every task
     * on that context belongs to this session's stream anyway. Elsewhere it is put and restored.
     */
    void withMdc(Runnable action) {
        if (mdcOfItsOwn && Vertx.currentContext() == context) {
            if (!mdcSet) {
                MDC.put(MDC_KEY, sessionId);
                mdcSet = true;
            }
            action.run();
            return;
        }
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
