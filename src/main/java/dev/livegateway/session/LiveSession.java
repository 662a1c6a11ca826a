package dev.livegateway.session;

import dev.livegateway.api.v1.ClientEvent;
import dev.livegateway.api.v1.ServerEvent;
import dev.livegateway.config.SessionSettings;
import dev.livegateway.tools.GatewayFunction;
import dev.livegateway.upstream.LiveConnection;
import dev.livegateway.upstream.UpstreamPool;
import dev.livegateway.upstream.UpstreamClose;
import dev.livegateway.wire.ClientMessage;
import dev.livegateway.wire.ServerMessage;
import io.vertx.core.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * One conversation: a caller stream on one side, a Live API session on the other, possibly over
 * a succession of WebSocket connections. The state machine CONNECTING → OPEN ⇄ MOVING → ENDED and
 * its transitions; its other jobs have rooms of their own (the README's package table lists them),
 * the opening on a pool target in {@link SessionPlacement}, the move to a new connection in
 * {@link ConnectionHandover}. Everything runs on one Vert.x context (the caller's event loop, see
 * {@link SessionContext}), so the state needs no locks.
 */
public final class LiveSession implements LiveConnection.Listener {

    private static final Logger LOG = Logger.getLogger(LiveSession.class);

    enum State { CONNECTING, OPEN, MOVING, ENDED }

    private final SessionPlan plan;
    private final SessionContext context;
    private final CallerChannel caller;
    private final ClientEventTranslator translator;
    private final SessionSettings settings;
    private final SessionObserver observer;
    private final InputBudget.Account budget;
    private final CallerInput input;
    private final CallerOutbox outbox;
    private final ToolCalls toolCalls;
    private final StallWatchdog stall;
    private final ResumeToken token;
    private final ResumptionHandle handle;
    private final CallerWatch callerWatch;
    private final InputRelay relay;
    private final DrainNotice drain;
    private final SessionPlacement placement;
    private final ConnectionHandover handover;
    private final ModelActivity activity;
    private final GatewayToolRunner gatewayTools;
    private final OutputRelay output;
    private final EndNotice endNotice;
    private final Instant startedAt = Instant.now();

    private State state = State.CONNECTING;
    private LiveConnection connection;
    private boolean callerHalfClosed;
    /** Its observer's own state for this session; see {@link #observerState(Object)}. */
    private Object observerState;

    public LiveSession(SessionPlan plan, Context context, CallerChannel caller, UpstreamPool pool,
            ResumeTokenStore tokens, ClientEventTranslator translator, SessionSettings settings, int callerBufferEvents,
            int inboundWindow, SessionObserver observer, InputBudget inputBudget, GatewayTools gatewayTools) {
        this.plan = plan;
        this.context = new SessionContext(context, plan.gatewaySessionId());
        this.caller = caller;
        this.translator = translator;
        this.settings = settings;
        this.observer = observer;
        this.endNotice = new EndNotice(observer);
        this.budget = inputBudget.open(() -> this.context.later(() -> pullInput(0)));
        this.input = new CallerInput(caller, budget, inboundWindow, inputBudget.largestEvent(),
                conn -> this.context.run(() -> {
                    if (connection == conn) {
                        pullInput(0);
                    }
                }));
        ReplayBuffer replay = new ReplayBuffer(budget, () -> observer.replayOverflow(this));
        this.outbox = new CallerOutbox(this, caller, observer, callerBufferEvents);
        this.toolCalls = new ToolCalls(context.owner(), settings.toolResponseTimeout(), plan.rules(),
                plan.setup().tools(), this::toolResponseTimedOut);
        this.activity = new ModelActivity(plan.rules().backgroundReasoning());
        this.token = new ResumeToken(tokens, plan, settings.resumeTokenTtl(), () -> resumedElsewhere(null));
        this.handle = new ResumptionHandle(plan.resumeHandle());
        this.drain = new DrainNotice(this::send, () -> token.forCaller(handle.value()));
        this.placement = new SessionPlacement(this, this.context, pool, handle, token, observer, drain);
        this.handover = new ConnectionHandover(this, this.context, placement, observer, handle, replay, token, toolCalls);
        this.stall = new StallWatchdog(context.owner(), settings.stallTimeout(), this::stallMatters,
                () -> this.context.withMdc(() -> handover.onStalled(settings.stallTimeout())));
        this.callerWatch = new CallerWatch(this.context, caller, settings.halfCloseGrace(), this::callerGone,
                this::halfCloseGraceElapsed);
        this.relay = new InputRelay(this, plan, input, replay, toolCalls, activity, stall, observer);
        this.gatewayTools = new GatewayToolRunner(this, this.context, gatewayTools, plan.rules(), observer,
                message -> relay.relay(message, "TOOL_RESPONSE", state == State.OPEN ? connection : null));
        this.output = new OutputRelay(this, new ServerMessageBookkeeping(this, observer, toolCalls), this.gatewayTools,
                translator.audio().toCaller(this::send), activity, handover, stall);
    }

    public String id() {
        return plan.gatewaySessionId();
    }

    public SessionPlan plan() {
        return plan;
    }

    public Instant startedAt() {
        return startedAt;
    }

    /** The upstream target the session is on, or null while it is being placed (metrics, logs). */
    public String upstreamTarget() {
        return placement.targetName();
    }

    /** Runs when the session ends, however it ends (on the session's context). */
    public void onEnd(Consumer<SessionOutcome> listener) {
        endNotice.add(listener);
    }

    /** What its {@link SessionObserver} keeps for this session (see {@link #observerState(Object)}), or null. */
    public Object observerState() {
        return observerState;
    }

    /**
     * Keeps {@code state} for the session's {@link SessionObserver}, which reads it back in its
     * per-message hooks instead of looking the session up (a map lookup per message). Set and read
     * by the observer only, on the session's context.
     */
    public void observerState(Object state) {
        this.observerState = state;
    }

    // ---- named conditions -----------------------------------------------------------------------

    /**
     * The caller half-closed and the model owes it nothing: no answer awaited, no background work
     * ({@link ModelActivity}), no BLOCKING tool call pending.
     */
    private boolean callerDoneAndNothingPending() {
        return callerHalfClosed && !activity.busy() && !toolCalls.anyBlocking();
    }

    /**
     * The session may move to a new connection now (for a goAway or a stall): open, no BLOCKING tool
     * call pending (the model would issue it again under a new id, and the tool would run twice), and
     * the model not reasoning in the background (the work would be lost). NON_BLOCKING calls do not
     * hold it: the Live session keeps them, and their responses follow the session.
     */
    boolean mayMove() {
        return state == State.OPEN && !toolCalls.anyBlocking() && !activity.reasoningInBackground();
    }

    /** A stall matters: the session may move and an answer is awaited (not while the model waits for the caller). */
    private boolean stallMatters() {
        return mayMove() && activity.answering();
    }

    // ---- lifecycle ----------------------------------------------------------------------------

    /** Opens the first upstream connection; the caller gets SessionStarted once it is ready. */
    public void start() {
        context.run(() -> {
            observer.started(this);
            caller.onReady(() -> context.run(() -> outbox.drain(connection)));
            callerWatch.start();
            placement.open();
        });
    }

    // ---- transitions (CONNECTING → OPEN called by the SessionPlacement; OPEN ⇄ MOVING by the ConnectionHandover)

    boolean isEnded() {
        return state == State.ENDED;
    }

    /** CONNECTING or MOVING → OPEN on {@code conn}; false (and {@code conn} closed) if the session ended meanwhile. */
    boolean openOn(LiveConnection conn) {
        if (state == State.ENDED) {
            conn.close((short) 1000, "caller gone");
            return false;
        }
        connection = conn;
        conn.start(this, settings.keepaliveInterval(), settings.keepaliveTimeout());
        outbox.attached();
        state = State.OPEN;
        return true;
    }

    /** OPEN → MOVING: the old connection closes; input is held until the next one is open. */
    void startMoving() {
        state = State.MOVING;
        stall.cancel();
        LiveConnection old = connection;
        connection = null;
        if (old != null) {
            old.close((short) 1000, "session moves to a new connection");
        }
    }

    /** Open again after a move (SessionResumed sent): the stall watch goes on; the session finishes or reads on. */
    void settleAfterMove() {
        stall.watch();
        if (callerDoneAndNothingPending()) {
            finish();
            return;
        }
        pullInput(0);
    }

    // ---- caller → Live API ----------------------------------------------------------------------

    /** A caller event after the config. Invalid events end the stream with INVALID_ARGUMENT. */
    public void onCallerEvent(ClientEvent event) {
        long arrived = System.nanoTime();
        context.run(() -> {
            if (state == State.ENDED) {
                return;
            }
            try {
                ClientMessage message = translator.translate(event);
                if (relay.relay(message, event.getEventCase().name(), state == State.OPEN ? connection : null)) {
                    observer.relayedToModel(System.nanoTime() - arrived);
                }
                pullInput(1);
            } catch (InvalidClientEventException refused) {
                end(refused); // a bad event, or a context update's tools the model would refuse
            } catch (RuntimeException bug) {
                // Never let it escape to the gRPC layer (UNKNOWN, session left registered): end the
                // session with a status and its resume token.
                LOG.error("relaying a caller event failed; ending the session", bug);
                end(bug);
            }
        });
    }

    /** Asks the caller for more input ({@code received} events just arrived) if there is room (see CallerInput). */
    void pullInput(int received) {
        input.received(received);
        if (state == State.ENDED || state == State.CONNECTING || callerHalfClosed) {
            return;
        }
        boolean open = state == State.OPEN;
        input.request(open ? connection : null, open && toolCalls.anyBlocking());
    }

    /** The caller half-closed: finish once the model's pending answer has been delivered. */
    public void onCallerCompleted() {
        context.run(() -> {
            if (state == State.ENDED) {
                return;
            }
            callerHalfClosed = true;
            if (callerDoneAndNothingPending() && state == State.OPEN) {
                finish();
                return;
            }
            callerWatch.halfClosed();
        });
    }

    private void halfCloseGraceElapsed() {
        if (state != State.ENDED) {
            LOG.debugf("half-close grace elapsed, ending the session");
            finish();
        }
    }

    /** The caller cancelled or the transport failed: close the Live API connection at once. */
    public void onCallerCancelled(Throwable cause) {
        context.run(() -> {
            if (state == State.ENDED) {
                return;
            }
            LOG.debugf("caller cancelled: %s", cause);
            terminate(new SessionOutcome(cause, true), false);
        });
    }

    private void callerGone() {
        if (state != State.ENDED) {
            LOG.infof("the caller's connection is gone; ending the session");
            terminate(new SessionOutcome(new IllegalStateException("caller connection closed"), true), false);
        }
    }

    // ---- Live API → caller ----------------------------------------------------------------------

    /**
     * A Live API message: translated for the caller on the session's context (normally the
     * connection's own, so no hop). Its relay time runs from the frame's arrival to here, after the
     * events were handed to the caller's stream, a hop to the session's context included.
     */
    @Override
    public void onMessage(ServerMessage message, long arrivedNanos) {
        context.run(() -> {
            if (state == State.ENDED) {
                return;
            }
            output.relay(message);
            if (callerDoneAndNothingPending() && state == State.OPEN) {
                finish();
            }
            observer.relayedToCaller(System.nanoTime() - arrivedNanos);
        });
    }

    void send(ServerEvent event) {
        outbox.send(event, connection);
    }

    /** However the connection ended: a close, a drop, or the keepalive finding it silent. */
    @Override
    public void onClosed(UpstreamClose close) {
        context.run(() -> {
            if (state == State.ENDED || state == State.MOVING) {
                return;
            }
            connection = null;
            if (callerDoneAndNothingPending()) {
                finish();
                return;
            }
            handover.onConnectionLost(close);
        });
    }

    // ---- drain and ending from outside ----------------------------------------------------------

    /**
     * The gateway is shutting down: tell the caller how long it has and how to continue, whatever
     * the session is doing. A session still connecting is told right after its SessionStarted.
     */
    public void goingAway(Duration timeLeft) {
        long deadline = System.nanoTime() + timeLeft.toNanos();
        context.run(() -> {
            if (state == State.ENDED) {
                return;
            }
            drain.draining(timeLeft, deadline, state != State.CONNECTING);
        });
    }

    /**
     * Another stream took this session's resume token: end this stream with ABORTED, without a
     * token. On this replica ({@code takerSessionId} known) before the other stream connects to the
     * Live session; on another replica when the store refuses this session's next save (null).
     */
    public void resumedElsewhere(String takerSessionId) {
        context.run(() -> {
            token.takenElsewhere();
            if (state != State.ENDED) {
                LOG.infof("%s resumed this conversation with its resume token; ending this stream",
                        takerSessionId == null ? "another stream" : "stream " + takerSessionId);
                end(new ResumeTokenTakenException(takerSessionId));
            }
        });
    }

    /** A context update's tools are resolved: these are the gateway-run functions from now on. */
    public void gatewayFunctionsDeclared(Map<String, GatewayFunction> functions) {
        context.run(() -> gatewayTools.declared(functions));
    }

    /** Ends the session from outside (an operator ended it, its quota lease was lost). */
    public void revoke(Throwable why) {
        context.run(() -> end(why));
    }

    /** Ends the session with UNAVAILABLE (and a resume token) because the replica stops. */
    public void shutDown(String why) {
        revoke(new SessionUnavailableException(why));
    }

    // ---- watchdogs ------------------------------------------------------------------------------

    /** The caller answered none of the pending tool calls in time: DEADLINE_EXCEEDED, never a move. */
    private void toolResponseTimedOut(List<String> ids) {
        context.run(() -> {
            if (state == State.ENDED) {
                return;
            }
            LOG.warnf("no tool response from the caller for %d ms; pending calls %s; ending the stream",
                    toolCalls.timeout().toMillis(), ids);
            end(new ToolResponseTimeoutException(ids, toolCalls.timeout()));
        });
    }

    // ---- ending ---------------------------------------------------------------------------------

    private void finish() {
        terminate(SessionOutcome.OK, true);
    }

    void end(Throwable error) {
        if (state == State.ENDED) {
            return;
        }
        String forCaller = (error instanceof InvalidClientEventException) ? null : token.forCaller(handle.value());
        terminate(new SessionOutcome(error, false), false);
        caller.fail(error, forCaller);
    }

    private void terminate(SessionOutcome outcome, boolean completeCaller) {
        if (state == State.ENDED) {
            return;
        }
        state = State.ENDED;
        budget.close();
        stall.close();
        toolCalls.cancelTimer();
        gatewayTools.endAll();
        callerWatch.cancel();
        if (connection != null) {
            connection.close((short) 1000, "conversation ended");
            connection = null;
        }
        placement.release();
        if (completeCaller) {
            // Whatever is still queued for the caller goes out first; gRPC buffers it.
            outbox.flush();
            caller.complete();
        }
        outbox.clear();
        endNotice.ended(this, outcome, handover.resumptions());
    }

    /** Events waiting for a slow caller (bounded by live-gateway.limits.caller-buffer-events); approximate off-context. */
    public int queuedForCaller() {
        return outbox.size();
    }

    /** Whether the gateway stopped reading the Live API because the caller reads too slowly. */
    public boolean upstreamPaused() {
        return outbox.upstreamPaused();
    }
}
