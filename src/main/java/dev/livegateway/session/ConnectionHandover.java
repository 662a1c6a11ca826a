package dev.livegateway.session;

import dev.livegateway.api.v1.GoingAwayReason;
import dev.livegateway.api.v1.ResumeReason;
import dev.livegateway.upstream.LiveConnection;
import dev.livegateway.upstream.UpstreamClose;
import dev.livegateway.upstream.UpstreamException;
import dev.livegateway.wire.ServerMessage;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Moving a session from one Live API connection to the next (OPEN → MOVING → OPEN): when a move
 * may and must happen (a goAway once there is a usable handle, a connection lost while the
 * conversation is resumable, a stalled answer), opening the new connection through
 * {@link SessionPlacement#reopen} (on the session's own target, with the newest handle), replaying
 * the {@link ReplayBuffer} onto it and telling the caller (SessionResumed). It follows the Live
 * API's resumption updates: the handle, the input they confirm, the resume token saved with them.
 * The state itself stays with {@link LiveSession}, whose transitions it calls. Used on the
 * session's context only.
 */
final class ConnectionHandover {

    private static final Logger LOG = Logger.getLogger(ConnectionHandover.class);

    private final LiveSession session;
    private final SessionContext context;
    private final SessionPlacement placement;
    private final SessionObserver observer;
    private final ResumptionHandle handle;
    private final ReplayBuffer replay;
    private final ResumeToken token;
    private final ToolCalls toolCalls;

    private boolean goAwayPending;
    private int resumptions;
    private long moveStartedNanos;

    ConnectionHandover(LiveSession session, SessionContext context, SessionPlacement placement,
            SessionObserver observer, ResumptionHandle handle, ReplayBuffer replay, ResumeToken token,
            ToolCalls toolCalls) {
        this.session = session;
        this.context = context;
        this.placement = placement;
        this.observer = observer;
        this.handle = handle;
        this.replay = replay;
        this.token = token;
        this.toolCalls = toolCalls;
    }

    /** Moves so far (SessionResumed events sent). */
    int resumptions() {
        return resumptions;
    }

    /** The conversation can be continued on a new connection: with the handle, or by replaying all input. */
    private boolean resumableNow() {
        return handle.value() != null || replay.coversWholeSession();
    }

    // ---- what the Live API says -----------------------------------------------------------------

    /** A new handle: confirmed input is released, the token saved, and a pending goAway handed over. */
    void onResumptionUpdate(ServerMessage.SessionResumptionUpdate update) {
        if (!handle.update(update)) {
            return;
        }
        long confirmed = update.lastConsumedClientMessageIndex() != null ? update.lastConsumedClientMessageIndex()
                : Long.MAX_VALUE; // no index (Developer API): everything sent so far is in the handle
        if (replay.confirmed(confirmed)) {
            session.pullInput(0);
        }
        boolean first = token.mint();
        token.save(handle.value(), first);
        if (first) {
            session.send(SessionEvents.resumeToken(token.value(), token.expiry()));
        }
        if (goAwayPending && session.mayMove()) {
            move(ResumeReason.RESUME_REASON_GO_AWAY);
        }
    }

    /** The connection will end soon: tell the caller, and move now if the handle allows (else at the next update). */
    void onGoAway(ServerMessage.GoAway goAway) {
        goAwayPending = true;
        observer.goAway(session);
        LOG.debugf("goAway received (time left %s), resumable=%s pendingToolCalls=%d (non-blocking %d)",
                goAway.timeLeft(), handle.resumable(), toolCalls.count(), toolCalls.nonBlockingCount());
        session.send(SessionEvents.goingAway(GoingAwayReason.GOING_AWAY_REASON_UPSTREAM_GO_AWAY,
                SessionEvents.parseDuration(goAway.timeLeft()), token.value()));
        if (handle.resumable() && handle.value() != null && session.mayMove()) {
            move(ResumeReason.RESUME_REASON_GO_AWAY);
        }
    }

    /** The model finished the background work a pending goAway handover waited for (see ModelActivity). */
    void onBackgroundWorkDone() {
        if (goAwayPending && handle.resumable() && handle.value() != null && session.mayMove()) {
            move(ResumeReason.RESUME_REASON_GO_AWAY);
        }
    }

    /** The open connection ended while the caller still expects something: move, or end the stream. */
    void onConnectionLost(UpstreamClose close) {
        boolean resume = close.retryable() && resumableNow();
        LOG.infof("upstream connection ended: %s; %s", close.describe(), resume ? "resuming" : "ending the stream");
        if (resume) {
            move(goAwayPending ? ResumeReason.RESUME_REASON_GO_AWAY : ResumeReason.RESUME_REASON_CONNECTION_LOST);
        } else {
            session.end(new UpstreamException.Closed(close));
        }
    }

    /**
     * No answer within the stall timeout: move if resumable. Not called while a tool call is
     * pending: the model then waits for the caller, and moving the session would make it issue the
     * call again under a new id (the tool would run twice); the tool-response timeout watches that
     * wait instead.
     */
    void onStalled(Duration timeout) {
        LOG.warnf("no answer from the Live API %d ms after the end of the user turn; resuming", timeout.toMillis());
        observer.stalled(session);
        if (resumableNow()) {
            move(ResumeReason.RESUME_REASON_STALLED);
        }
    }

    // ---- the move -------------------------------------------------------------------------------

    /** Moves the session to a new connection: holds input, reconnects with the handle, replays. */
    private void move(ResumeReason reason) {
        if (session.isEnded()) {
            return;
        }
        moveStartedNanos = System.nanoTime();
        session.startMoving();
        observer.moving(session, reason);
        // One resumption is one call under the reconnection policy (retries, backoff, resume deadline).
        context.subscribe(placement.reopen(), conn -> onMoved(conn, reason), failure -> {
            if (!session.isEnded()) {
                LOG.warnf("could not resume the session: %s", failure.getMessage());
                session.end(failure);
            }
        });
    }

    private void onMoved(LiveConnection conn, ResumeReason reason) {
        if (!session.openOn(conn)) {
            return;
        }
        resumptions++;
        goAwayPending = false;
        int held = replay.heldCount();
        int replayed = replay.replayOnto(conn, toolCalls.anyBlocking());
        observer.resumed(session, reason, replayed, Duration.ofNanos(System.nanoTime() - moveStartedNanos));
        LOG.infof("session moved to connection %d (%s), replayed %d unconfirmed and %d held messages",
                conn.connectionNumber(), reason, replayed, held);
        session.send(SessionEvents.resumed(reason, replayed, resumptions));
        session.settleAfterMove();
    }
}
