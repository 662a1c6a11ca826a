package dev.livegateway.session;

import dev.livegateway.upstream.LiveConnection;
import dev.livegateway.upstream.Placement;
import dev.livegateway.upstream.PlacementRequest;
import dev.livegateway.upstream.UpstreamPool;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * The session's place in the {@link UpstreamPool} and its opening there (CONNECTING → OPEN), as
 * {@link ConnectionHandover} is its moves: the pool places it on a target with its first
 * connection (the resume token learns the target, the observer the time it took), the session
 * opens on it and the caller gets SessionStarted (the target, the model; a session resumed with a
 * handle saves its new token first; a drain under way is told right after). Every move reopens on
 * that same target ({@link UpstreamPool#resume}, with the newest handle); the target's capacity
 * goes back when the session ends, or at once if it ended while being placed. The state itself
 * stays with {@link LiveSession}, whose transitions it calls. Used on the session's context only
 * ({@link #targetName()} also off it).
 */
final class SessionPlacement {

    /** The session's own lines (session started): they keep its logging category. */
    private static final Logger LOG = Logger.getLogger(LiveSession.class);

    private final LiveSession session;
    private final SessionContext context;
    private final UpstreamPool pool;
    private final ResumptionHandle handle;
    private final ResumeToken token;
    private final SessionObserver observer;
    private final DrainNotice drain;
    /** Where the pool placed the session: its conversation stays on that target; null until placed. */
    private Placement placement;

    SessionPlacement(LiveSession session, SessionContext context, UpstreamPool pool, ResumptionHandle handle,
            ResumeToken token, SessionObserver observer, DrainNotice drain) {
        this.session = session;
        this.context = context;
        this.pool = pool;
        this.handle = handle;
        this.token = token;
        this.observer = observer;
        this.drain = drain;
    }

    /** Places the session and opens it on its first connection; the session ends if it cannot be placed. */
    void open() {
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
            opened(placed.connection());
        }, session::end);
    }

    private void opened(LiveConnection conn) {
        if (!session.openOn(conn)) {
            return;
        }
        SessionPlan plan = session.plan();
        if (handle.value() != null) {
            token.mint();
            token.save(handle.value(), true);
        }
        String upstreamSessionId = conn.upstreamSessionId() != null ? conn.upstreamSessionId() : "";
        session.send(SessionEvents.started(plan, upstreamSessionId, token.value(), conn.voiceConsentSignature(),
                placement.targetName(), placement.model()));
        drain.sessionStarted();
        LOG.infof("session started: tenant=%s model=%s target=%s upstream=%s connection=%d resumed=%s", plan.tenant(),
                placement.model(), placement.targetName(), upstreamSessionId, conn.connectionNumber(),
                plan.resumedFromToken());
        session.pullInput(0);
    }

    /** The session's next connection: on its own target, with the newest handle, under the reconnection policy. */
    Uni<LiveConnection> reopen() {
        return pool.resume(placement, handle.applyTo(session.plan().setup()), context.context());
    }

    /** The target the session is on, or null while it is being placed (metrics, logs). */
    String targetName() {
        Placement placed = placement;
        return placed == null ? null : placed.targetName();
    }

    /** The session ended: the target's capacity goes back (if it was placed at all). */
    void release() {
        if (placement != null) {
            placement.release();
        }
    }
}
