package dev.livegateway.session;

import dev.livegateway.upstream.LiveConnection;
import dev.livegateway.upstream.Placement;
import dev.livegateway.upstream.PlacementRequest;
import dev.livegateway.upstream.UpstreamPool;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The session's place in the {@link UpstreamPool}: placing it on a target with its first
 * connection (the resume token learns the target, the observer the time it took), reopening on
 * that same target whenever the session moves ({@link UpstreamPool#resume}, with the newest
 * handle), naming the target and model for SessionStarted, metrics and logs, and giving the
 * target's capacity back when the session ends. A placement that arrives after the session ended
 * is given back at once. Used on the session's context only ({@link #targetName()} also off it).
 */
final class SessionPlacement {

    private final LiveSession session;
    private final SessionContext context;
    private final UpstreamPool pool;
    private final ResumptionHandle handle;
    private final ResumeToken token;
    private final SessionObserver observer;
    /** Where the pool placed the session: its conversation stays on that target; null until placed. */
    private Placement placement;

    SessionPlacement(LiveSession session, SessionContext context, UpstreamPool pool, ResumptionHandle handle,
            ResumeToken token, SessionObserver observer) {
        this.session = session;
        this.context = context;
        this.pool = pool;
        this.handle = handle;
        this.token = token;
        this.observer = observer;
    }

    /** Places the session and opens its first connection, handed to {@code opened}; {@code failed} gets why not. */
    void open(Consumer<LiveConnection> opened, Consumer<Throwable> failed) {
        long started = System.nanoTime();
        SessionPlan plan = session.plan();
        PlacementRequest request = new PlacementRequest(plan.gatewaySessionId(), plan.tenant(), plan.upstreamTarget());
        context.subscribe(pool.open(request, handle.applyTo(plan.setup()), context.context()), placed -> {
            placement = placed;
            if (session.isEnded()) {
                placed.release();
                placed.connection().close((short) 1000, "caller gone");
                return;
            }
            token.placedOn(placed.targetName());
            observer.connected(session, Duration.ofNanos(System.nanoTime() - started));
            opened.accept(placed.connection());
        }, failed);
    }

    /** The session's next connection, on its own target, with the newest handle (one call under the reconnection policy). */
    Uni<LiveConnection> reopen() {
        return pool.resume(placement, handle.applyTo(session.plan().setup()), context.context());
    }

    /** The target the session is on, or null while it is being placed (metrics, logs). */
    String targetName() {
        Placement placed = placement;
        return placed == null ? null : placed.targetName();
    }

    /** The qualified model name as sent to the target (once placed). */
    String model() {
        return placement.model();
    }

    /** The session ended: the target's capacity goes back (if it was placed at all). */
    void release() {
        if (placement != null) {
            placement.release();
        }
    }
}
