package dev.livegateway.session;

import com.google.protobuf.Timestamp;
import dev.livegateway.api.v1.ClientEvent;
import dev.livegateway.api.v1.GoingAway;
import dev.livegateway.api.v1.GoingAwayReason;
import dev.livegateway.api.v1.ResolvedTool;
import dev.livegateway.api.v1.ResumeReason;
import dev.livegateway.api.v1.ResumeTokenUpdate;
import dev.livegateway.api.v1.ServerEvent;
import dev.livegateway.api.v1.SessionResumed;
import dev.livegateway.api.v1.SessionStarted;
import dev.livegateway.config.SessionConfigMapping;
import dev.livegateway.upstream.LiveConnection;
import dev.livegateway.upstream.UpstreamClose;
import dev.livegateway.upstream.UpstreamException;
import dev.livegateway.wire.ClientMessage;
import dev.livegateway.wire.Flavour;
import dev.livegateway.wire.ServerMessage;
import dev.livegateway.wire.Setup;
import dev.livegateway.wire.Wire;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * One conversation: a caller stream on one side, a Live API session on the other, possibly over
 * a succession of WebSocket connections. Owns the resumption handle, the replay buffer of input
 * the Live API has not confirmed, the goAway handover and the flow control in both directions.
 *
 * <p>Everything runs on one Vert.x context (the caller's event loop), so the state needs no locks.
 */
public final class LiveSession implements LiveConnection.Listener {

    private static final Logger LOG = Logger.getLogger(LiveSession.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long CALLER_WATCH_MILLIS = 2000;

    /** Opens Live API connections; the resilient connector with retries and circuit breaker. */
    public interface Connector {
        Uni<LiveConnection> open(Setup setup, Context context);
    }

    /** Everything fixed for the life of the session. */
    public record Plan(String gatewaySessionId, String tenant, String model, Setup setup, Flavour flavour,
            boolean manualActivity, List<ResolvedTool> tools, String resumeHandle, boolean resumedFromToken) {}

    /** How the session ended, for leases and metrics: normally, cancelled by the caller, or with an error. */
    public record Outcome(Throwable error, boolean cancelled) {
        static final Outcome OK = new Outcome(null, false);
    }

    enum State { CONNECTING, OPEN, MOVING, ENDED }

    private record Pending(long index, byte[] json) {}

    private final Plan plan;
    private final Context context;
    private final Vertx vertx;
    private final CallerChannel caller;
    private final Connector connector;
    private final ClientEventTranslator translator;
    private final ResumeTokenStore tokens;
    private final SessionConfigMapping settings;
    private final int callerBufferEvents;
    private final int inboundWindow;
    private final SessionObserver observer;
    private final InputBudget.Account budget;
    private final int largestEventEstimate;
    private final List<Consumer<Outcome>> endListeners = new ArrayList<>();
    private final Instant startedAt = Instant.now();

    private State state = State.CONNECTING;
    private LiveConnection connection;
    private String upstreamSessionId = "";
    private String handle;
    private boolean resumable;
    private boolean goAwayPending;
    private int resumptions;
    private final ArrayDeque<Pending> unconfirmed = new ArrayDeque<>();
    private long unconfirmedBytes;
    private final ArrayDeque<byte[]> held = new ArrayDeque<>();
    private long heldBytes;
    private final ArrayDeque<ServerEvent> outbound = new ArrayDeque<>();
    private boolean upstreamPaused;
    private final Set<String> pendingToolCalls = new HashSet<>();
    private boolean awaitingReply;
    private boolean callerHalfClosed;
    /** The largest caller event (Live API JSON bytes) so far; 0 before the first. */
    private int largestEvent;
    private boolean waitingForDrain;
    private String resumeToken;
    /** Another stream took {@link #resumeToken}: it is never saved or handed out again. */
    private boolean tokenTaken;
    private long lastTokenSaveNanos;
    private long stallTimer = -1;
    private long stallDeadlineNanos;
    private long toolResponseTimer = -1;
    private long halfCloseTimer = -1;
    private long keepaliveTimer = -1;
    private long moveStartedNanos;
    private long callerWatchTimer = -1;
    private long replayOverflows;
    /** Set when the replica drains: the moment the drain ends this session (System.nanoTime()). */
    private Long drainDeadlineNanos;

    public LiveSession(Plan plan, Context context, CallerChannel caller, Connector connector, ResumeTokenStore tokens,
            ClientEventTranslator translator, SessionConfigMapping settings, int callerBufferEvents, int inboundWindow,
            SessionObserver observer, InputBudget inputBudget) {
        this.plan = plan;
        this.context = context;
        this.vertx = context.owner();
        this.caller = caller;
        this.connector = connector;
        this.translator = translator;
        this.tokens = tokens;
        this.settings = settings;
        this.callerBufferEvents = callerBufferEvents;
        this.inboundWindow = inboundWindow;
        this.observer = observer;
        this.budget = inputBudget.open(() -> context.runOnContext(v -> withMdc(() -> pullInput(0))));
        this.largestEventEstimate = inputBudget.largestEvent();
        this.handle = plan.resumeHandle();
        this.resumable = plan.resumeHandle() != null;
    }

    public String id() {
        return plan.gatewaySessionId();
    }

    public Plan plan() {
        return plan;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public Context context() {
        return context;
    }

    /** Runs when the session ends, however it ends (on the session's context). */
    public void onEnd(Consumer<Outcome> listener) {
        endListeners.add(listener);
    }

    // ---- lifecycle ----------------------------------------------------------------------------

    /** Opens the first upstream connection; the caller gets SessionStarted once it is ready. */
    public void start() {
        onContext(() -> {
            observer.started(this);
            caller.onReady(() -> onContext(this::drainOutbound));
            // The transport does not always report a caller that vanished; look for it ourselves.
            callerWatchTimer = vertx.setPeriodic(CALLER_WATCH_MILLIS, id -> onContext(() -> {
                if (state != State.ENDED && caller.gone()) {
                    LOG.infof("the caller's connection is gone; ending the session");
                    terminate(new Outcome(new IllegalStateException("caller connection closed"), true), false);
                }
            }));
            Setup first = handle == null ? plan.setup() : withHandle(plan.setup(), handle);
            long started = System.nanoTime();
            connector.open(first, context).subscribe().with(
                    conn -> onContext(() -> {
                        observer.connected(this, Duration.ofNanos(System.nanoTime() - started));
                        onFirstConnection(conn);
                    }),
                    failure -> onContext(() -> end(failure)));
        });
    }

    private void onFirstConnection(LiveConnection conn) {
        if (state == State.ENDED) {
            conn.close((short) 1000, "caller gone");
            return;
        }
        attach(conn);
        state = State.OPEN;
        if (handle != null) {
            resumeToken = mintToken();
            saveToken(true);
        }
        send(ServerEvent.newBuilder().setSessionStarted(SessionStarted.newBuilder()
                .setGatewaySessionId(plan.gatewaySessionId())
                .setUpstreamSessionId(upstreamSessionId)
                .setModel(plan.model())
                .addAllTools(plan.tools())
                .setResumeToken(resumeToken == null ? "" : resumeToken)
                .setResumed(plan.resumedFromToken())
                .setTenant(plan.tenant())).build());
        if (drainDeadlineNanos != null) {
            sendGatewayGoingAway(Duration.ofNanos(Math.max(0, drainDeadlineNanos - System.nanoTime())));
        }
        LOG.infof("session started: tenant=%s model=%s upstream=%s connection=%d resumed=%s", plan.tenant(),
                plan.model(), upstreamSessionId, conn.connectionNumber(), plan.resumedFromToken());
        pullInput(0);
    }

    private void attach(LiveConnection conn) {
        connection = conn;
        if (conn.upstreamSessionId() != null) {
            upstreamSessionId = conn.upstreamSessionId();
        }
        conn.start(this);
        upstreamPaused = false;
        scheduleKeepalive();
    }

    // ---- caller → Live API ----------------------------------------------------------------------

    /** A caller event after the config. Invalid events end the stream with INVALID_ARGUMENT. */
    public void onCallerEvent(ClientEvent event) {
        onContext(() -> {
            if (state == State.ENDED) {
                return;
            }
            ClientMessage message;
            try {
                message = translator.translate(event);
            } catch (InvalidClientEventException e) {
                end(e);
                return;
            }
            try {
                noteInput(message);
                byte[] json = Wire.write(message);
                largestEvent = Math.max(largestEvent, json.length);
                forward(json);
                observer.clientMessage(this, event.getEventCase().name(), json.length);
                pullInput(1);
            } catch (RuntimeException bug) {
                // Never let it escape to the gRPC layer (UNKNOWN, session left registered): end the
                // session with a status and its resume token.
                LOG.error("relaying a caller event failed; ending the session", bug);
                end(bug);
            }
        });
    }

    private void noteInput(ClientMessage message) {
        if (message.toolResponse() != null && message.toolResponse().functionResponses() != null) {
            for (ClientMessage.FunctionResponse r : message.toolResponse().functionResponses()) {
                if (r.id() != null) {
                    pendingToolCalls.remove(r.id());
                }
            }
            // The caller is working on the calls: the tool-response timeout starts again for the rest.
            armToolResponseTimer();
        }
        boolean endsTurn = message.toolResponse() != null
                || (message.clientContent() != null && Boolean.TRUE.equals(message.clientContent().turnComplete()))
                || (message.realtimeInput() != null && (message.realtimeInput().text() != null
                        || message.realtimeInput().activityEnd() != null
                        || Boolean.TRUE.equals(message.realtimeInput().audioStreamEnd())));
        if (endsTurn) {
            awaitingReply = true;
            observer.turnEnded(this);
            armStallTimer();
        }
    }

    private void forward(byte[] json) {
        long index = state == State.OPEN && connection != null ? connection.sendJson(json) : -1;
        if (index >= 0) {
            remember(new Pending(index, json));
        } else {
            // Moving, or the connection is closing and its close handler has not run yet: hold the
            // input for the next connection, as during a handover; it is never an error for the caller.
            hold(json);
        }
    }

    private void hold(byte[] json) {
        held.add(json);
        heldBytes += json.length;
        budget.add(json.length);
    }

    private void remember(Pending pending) {
        unconfirmed.add(pending);
        unconfirmedBytes += pending.json().length;
        budget.add(pending.json().length);
        if (!pendingToolCalls.isEmpty()) {
            // The Live API confirms nothing while a call is pending, and the caller's answer may be
            // queued behind its media: input keeps flowing, the replay buffer keeps only the newest.
            long allowance = budget.allowance();
            while (budget.bytes() > allowance && unconfirmed.size() > 1) {
                Pending dropped = unconfirmed.poll();
                unconfirmedBytes -= dropped.json().length;
                budget.release(dropped.json().length);
                replayOverflows++;
                observer.replayOverflow(this);
            }
        }
    }

    /**
     * Asks the caller for more input ({@code received} events just arrived) unless the Live API's
     * side is congested or the session's buffered input is at its allowance ({@link InputBudget}).
     * Events in flight are sized as the largest the limits admit; with the defaults one at a time.
     */
    private void pullInput(int received) {
        for (int i = 0; i < received; i++) {
            budget.received();
        }
        if (state == State.ENDED || state == State.CONNECTING || callerHalfClosed) {
            return;
        }
        boolean congested = state == State.OPEN && connection != null && connection.writeQueueFull();
        if (congested) {
            if (!waitingForDrain) {
                waitingForDrain = true;
                LiveConnection conn = connection;
                conn.drainHandler(v -> onContext(() -> {
                    waitingForDrain = false;
                    if (connection == conn) {
                        pullInput(0);
                    }
                }));
            }
            return;
        }
        // A pending tool call's answer must get through (see remember): reading is never held back then.
        boolean toolCallPending = state == State.OPEN && !pendingToolCalls.isEmpty();
        long estimate = Math.max(1024, largestEvent > 0 ? largestEvent : largestEventEstimate);
        int request = budget.credits(inboundWindow, estimate, toolCallPending);
        if (request > 0) {
            caller.requestInput(request);
        }
    }

    /** The caller half-closed: finish once the model's pending answer has been delivered. */
    public void onCallerCompleted() {
        onContext(() -> {
            if (state == State.ENDED) {
                return;
            }
            callerHalfClosed = true;
            if (!awaitingReply && pendingToolCalls.isEmpty() && state == State.OPEN) {
                finish();
                return;
            }
            halfCloseTimer = vertx.setTimer(settings.halfCloseGrace().toMillis(), id -> onContext(() -> {
                halfCloseTimer = -1;
                if (state != State.ENDED) {
                    LOG.debugf("half-close grace elapsed, ending the session");
                    finish();
                }
            }));
        });
    }

    /** The caller cancelled or the transport failed: close the Live API connection at once. */
    public void onCallerCancelled(Throwable cause) {
        onContext(() -> {
            if (state == State.ENDED) {
                return;
            }
            LOG.debugf("caller cancelled: %s", cause);
            terminate(new Outcome(cause, true), false);
        });
    }

    // ---- Live API → caller ----------------------------------------------------------------------

    @Override
    public void onMessage(ServerMessage message) {
        onContext(() -> handleServerMessage(message));
    }

    private void handleServerMessage(ServerMessage message) {
        if (state == State.ENDED) {
            return;
        }
        observer.serverMessage(this);
        if (message.toolCall() != null && message.toolCall().functionCalls() != null) {
            for (ServerMessage.FunctionCall call : message.toolCall().functionCalls()) {
                if (call.id() != null) {
                    pendingToolCalls.add(call.id());
                }
            }
            armToolResponseTimer();
            // The caller's answer must be read even if the session was held back (see remember).
            pullInput(0);
        }
        if (message.toolCallCancellation() != null && message.toolCallCancellation().ids() != null) {
            pendingToolCalls.removeAll(message.toolCallCancellation().ids());
            if (pendingToolCalls.isEmpty()) {
                cancelToolResponseTimer();
            }
        }
        if (awaitingReply && (message.serverContent() != null || message.toolCall() != null)) {
            observer.firstOutput(this);
        }
        ServerEventTranslator.translate(message, this::send);
        if (message.usageMetadata() != null) {
            observer.usage(this, message.usageMetadata());
        }
        if (message.serverContent() != null && Boolean.TRUE.equals(message.serverContent().turnComplete())) {
            awaitingReply = false;
        }
        if (message.sessionResumptionUpdate() != null) {
            onResumptionUpdate(message.sessionResumptionUpdate());
        }
        if (message.goAway() != null) {
            onGoAway(message.goAway());
        }
        if (awaitingReply) {
            armStallTimer();
        } else {
            cancelStallTimer();
        }
        if (callerHalfClosed && !awaitingReply && pendingToolCalls.isEmpty() && state == State.OPEN) {
            finish();
        }
    }

    private void send(ServerEvent event) {
        if (outbound.isEmpty() && caller.isReady()) {
            caller.send(event);
            observer.serverEvent(this, event);
            return;
        }
        outbound.add(event);
        if (outbound.size() >= callerBufferEvents && !upstreamPaused && connection != null) {
            // The caller reads slower than the model speaks: stop reading the WebSocket (TCP backpressure).
            upstreamPaused = true;
            connection.pause();
        }
    }

    private void drainOutbound() {
        while (!outbound.isEmpty() && caller.isReady()) {
            ServerEvent event = outbound.poll();
            caller.send(event);
            observer.serverEvent(this, event);
        }
        if (upstreamPaused && outbound.size() <= callerBufferEvents / 2 && connection != null) {
            upstreamPaused = false;
            connection.resume();
        }
    }

    // ---- resumption -----------------------------------------------------------------------------

    private void onResumptionUpdate(ServerMessage.SessionResumptionUpdate update) {
        boolean usable = Boolean.TRUE.equals(update.resumable()) && update.newHandle() != null
                && !update.newHandle().isEmpty();
        if (!usable) {
            resumable = false;
            return;
        }
        handle = update.newHandle();
        resumable = true;
        long confirmed = update.lastConsumedClientMessageIndex() != null ? update.lastConsumedClientMessageIndex()
                : Long.MAX_VALUE; // no index (Developer API): everything sent so far is in the handle
        long before = unconfirmedBytes;
        while (!unconfirmed.isEmpty() && unconfirmed.peek().index() <= confirmed) {
            unconfirmedBytes -= unconfirmed.poll().json().length;
        }
        if (unconfirmedBytes < before) {
            budget.release(before - unconfirmedBytes);
            pullInput(0);
        }
        boolean first = resumeToken == null;
        if (first) {
            resumeToken = mintToken();
        }
        saveToken(first);
        if (first) {
            send(ServerEvent.newBuilder().setResumeTokenUpdate(ResumeTokenUpdate.newBuilder()
                    .setToken(resumeToken).setExpiresAt(timestamp(tokenExpiry()))).build());
        }
        if (goAwayPending && pendingToolCalls.isEmpty() && state == State.OPEN) {
            move(ResumeReason.RESUME_REASON_GO_AWAY);
        }
    }

    private void onGoAway(ServerMessage.GoAway goAway) {
        goAwayPending = true;
        observer.goAway(this);
        LOG.debugf("goAway received (time left %s), resumable=%s pendingToolCalls=%d", goAway.timeLeft(), resumable,
                pendingToolCalls.size());
        send(ServerEvent.newBuilder().setGoingAway(GoingAway.newBuilder()
                .setReason(GoingAwayReason.GOING_AWAY_REASON_UPSTREAM_GO_AWAY)
                .setTimeLeft(duration(parseDuration(goAway.timeLeft())))
                .setResumeToken(resumeToken == null ? "" : resumeToken)).build());
        if (resumable && handle != null && pendingToolCalls.isEmpty() && state == State.OPEN) {
            move(ResumeReason.RESUME_REASON_GO_AWAY);
        }
    }

    @Override
    public void onClosed(UpstreamClose close) {
        onContext(() -> {
            if (state == State.ENDED || state == State.MOVING) {
                return;
            }
            cancelKeepalive();
            connection = null;
            if (callerHalfClosed && !awaitingReply && pendingToolCalls.isEmpty()) {
                finish();
                return;
            }
            boolean resumeable = close.retryable() && (handle != null || replayCoversWholeSession());
            LOG.infof("upstream connection ended: %s; %s", close.describe(), resumeable ? "resuming" : "ending the stream");
            if (resumeable) {
                move(goAwayPending ? ResumeReason.RESUME_REASON_GO_AWAY : ResumeReason.RESUME_REASON_CONNECTION_LOST);
            } else {
                end(new UpstreamException.Closed(close));
            }
        });
    }

    /** Without a handle the session can only be rebuilt if no unconfirmed input was ever dropped. */
    private boolean replayCoversWholeSession() {
        return replayOverflows == 0;
    }

    /** Moves the session to a new connection: holds input, reconnects with the handle, replays. */
    private void move(ResumeReason reason) {
        if (state == State.ENDED) {
            return;
        }
        state = State.MOVING;
        moveStartedNanos = System.nanoTime();
        cancelKeepalive();
        cancelStallTimer();
        LiveConnection old = connection;
        connection = null;
        if (old != null) {
            old.close((short) 1000, "session moves to a new connection");
        }
        observer.moving(this, reason);
        reconnect(reason, 0);
    }

    private void reconnect(ResumeReason reason, int attempt) {
        Setup setup = handle == null ? plan.setup() : withHandle(plan.setup(), handle);
        connector.open(setup, context).subscribe().with(
                conn -> onContext(() -> onMoved(conn, reason)),
                failure -> onContext(() -> {
                    if (state == State.ENDED) {
                        return;
                    }
                    long elapsed = System.nanoTime() - moveStartedNanos;
                    Duration delay = backoff(attempt);
                    boolean retryable = !(failure instanceof UpstreamException u) || u.retryable();
                    if (retryable && elapsed + delay.toNanos() < settings.resumeBudget().toNanos()) {
                        LOG.debugf("resume attempt %s failed (%s); retrying in %s ms", (Object) (attempt + 1),
                                failure.getMessage(), delay.toMillis());
                        vertx.setTimer(Math.max(1, delay.toMillis()), id -> reconnect(reason, attempt + 1));
                    } else {
                        LOG.warnf("could not resume the session: %s", failure.getMessage());
                        end(failure);
                    }
                }));
    }

    private Duration backoff(int attempt) {
        long base = settings.resumeInitialBackoff().toMillis() << Math.min(attempt, 10);
        long capped = Math.min(base, settings.resumeMaxBackoff().toMillis());
        return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
    }

    private void onMoved(LiveConnection conn, ResumeReason reason) {
        if (state == State.ENDED) {
            conn.close((short) 1000, "caller gone");
            return;
        }
        attach(conn);
        state = State.OPEN;
        resumptions++;
        goAwayPending = false;
        List<byte[]> replay = new ArrayList<>(unconfirmed.size() + held.size());
        unconfirmed.forEach(p -> replay.add(p.json()));
        int replayed = unconfirmed.size();
        replay.addAll(held);
        unconfirmed.clear();
        budget.release(unconfirmedBytes + heldBytes);
        unconfirmedBytes = 0;
        held.clear();
        heldBytes = 0;
        for (byte[] json : replay) {
            long index = conn.sendJson(json);
            if (index >= 0) {
                remember(new Pending(index, json));
            } else {
                hold(json); // the new connection closed already; its close handler moves the session again
            }
        }
        observer.resumed(this, reason, replayed, Duration.ofNanos(System.nanoTime() - moveStartedNanos));
        LOG.infof("session moved to connection %d (%s), replayed %d unconfirmed and %d held messages",
                conn.connectionNumber(), reason, replayed, replay.size() - replayed);
        send(ServerEvent.newBuilder().setSessionResumed(SessionResumed.newBuilder()
                .setReason(reason).setReplayedMessages(replayed).setResumptions(resumptions)).build());
        if (awaitingReply) {
            armStallTimer();
        }
        if (callerHalfClosed && !awaitingReply && pendingToolCalls.isEmpty()) {
            finish();
            return;
        }
        pullInput(0);
    }

    private static Setup withHandle(Setup setup, String handle) {
        Setup.SessionResumption current = setup.sessionResumption();
        return setup.withSessionResumption(new Setup.SessionResumption(handle,
                current == null ? null : current.transparent()));
    }

    // ---- resume tokens --------------------------------------------------------------------------

    private static String mintToken() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return "lgrt_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private Instant tokenExpiry() {
        return Instant.now().plus(settings.resumeTokenTtl());
    }

    /**
     * Stores the newest handle under the token; at most every few seconds unless forced. The store
     * refuses once another stream took the token: this session then no longer owns the
     * conversation and ends (ABORTED), which is how a session on another replica learns of it.
     */
    private void saveToken(boolean force) {
        if (resumeToken == null || handle == null || tokenTaken) {
            return;
        }
        long now = System.nanoTime();
        if (!force && now - lastTokenSaveNanos < Duration.ofSeconds(5).toNanos()) {
            return;
        }
        lastTokenSaveNanos = now;
        tokens.save(resumeToken, new ResumeTokenStore.ResumeRecord(plan.tenant(), handle,
                new String(Wire.write(ClientMessage.of(plan.setup())), java.nio.charset.StandardCharsets.UTF_8),
                plan.tools().stream().map(t -> t.getName() + "@" + t.getVersion()).toList(),
                plan.gatewaySessionId(), tokenExpiry()))
                .subscribe().with(saved -> {
                    if (!saved) {
                        onContext(() -> {
                            tokenTaken = true;
                            if (state != State.ENDED) {
                                LOG.infof("another stream resumed this conversation with its resume token; ending this stream");
                                end(new ResumeTokenTakenException(null));
                            }
                        });
                    }
                }, e -> LOG.warnf("could not store the resume token: %s", e.getMessage()));
    }

    /** The token to give the caller when the stream ends, after saving the newest handle. */
    private String tokenForCaller() {
        if (handle == null || tokenTaken) {
            return null;
        }
        if (resumeToken == null) {
            resumeToken = mintToken();
        }
        saveToken(true);
        return resumeToken;
    }

    // ---- drain ----------------------------------------------------------------------------------

    /**
     * The gateway is shutting down: tell the caller how long it has and how to continue, whatever
     * the session is doing. A session still connecting is told right after its SessionStarted.
     */
    public void goingAway(Duration timeLeft) {
        long deadline = System.nanoTime() + timeLeft.toNanos();
        onContext(() -> {
            if (state == State.ENDED) {
                return;
            }
            drainDeadlineNanos = deadline;
            if (state != State.CONNECTING) {
                sendGatewayGoingAway(timeLeft);
            }
        });
    }

    private void sendGatewayGoingAway(Duration timeLeft) {
        String token = tokenForCaller();
        send(ServerEvent.newBuilder().setGoingAway(GoingAway.newBuilder()
                .setReason(GoingAwayReason.GOING_AWAY_REASON_GATEWAY_SHUTDOWN)
                .setTimeLeft(duration(timeLeft))
                .setResumeToken(token == null ? "" : token)).build());
    }

    /**
     * Another stream on this replica took this session's resume token: end this stream with
     * ABORTED, without a token, before the other stream connects to the Live session.
     */
    public void resumedElsewhere(String takerSessionId) {
        onContext(() -> {
            tokenTaken = true;
            if (state != State.ENDED) {
                LOG.infof("stream %s resumed this conversation with its resume token; ending this stream", takerSessionId);
                end(new ResumeTokenTakenException(takerSessionId));
            }
        });
    }

    /** Ends the session from outside (an operator ended it, its quota lease was lost). */
    public void revoke(Throwable why) {
        onContext(() -> {
            if (state != State.ENDED) {
                end(why);
            }
        });
    }

    /** Ends the session with UNAVAILABLE (and a resume token) because the replica stops. */
    public void shutDown(String why) {
        onContext(() -> {
            if (state != State.ENDED) {
                end(new SessionUnavailableException(why));
            }
        });
    }

    // ---- timers ---------------------------------------------------------------------------------

    /**
     * Expects a server message within the stall timeout from now. Not while a tool call is
     * pending: the model is then waiting for the caller, not stalled, and moving the session would
     * make it issue the call again under a new id (the tool would run twice). The tool-response
     * timeout watches that wait instead.
     */
    private void armStallTimer() {
        if (state != State.OPEN || !pendingToolCalls.isEmpty()) {
            cancelStallTimer();
            return;
        }
        stallDeadlineNanos = System.nanoTime() + settings.stallTimeout().toNanos();
        if (stallTimer < 0) {
            scheduleStallCheck(settings.stallTimeout().toMillis());
        }
    }

    // One timer per session, moved lazily: each server message only pushes the deadline, and a
    // timer that fires before it re-arms itself for the rest, instead of a cancel and a new timer
    // for every message of a streamed answer.
    private void scheduleStallCheck(long delayMillis) {
        stallTimer = vertx.setTimer(Math.max(1, delayMillis), id -> onContext(() -> {
            stallTimer = -1;
            if (state != State.OPEN || !awaitingReply || !pendingToolCalls.isEmpty()) {
                return;
            }
            long left = stallDeadlineNanos - System.nanoTime();
            if (left > 0) {
                scheduleStallCheck(TimeUnit.NANOSECONDS.toMillis(left) + 1);
                return;
            }
            LOG.warnf("no answer from the Live API %d ms after the end of the user turn; resuming",
                    settings.stallTimeout().toMillis());
            observer.stalled(this);
            if (handle != null || replayCoversWholeSession()) {
                move(ResumeReason.RESUME_REASON_STALLED);
            }
        }));
    }

    private void cancelStallTimer() {
        if (stallTimer >= 0) {
            vertx.cancelTimer(stallTimer);
            stallTimer = -1;
        }
    }

    /**
     * (Re)starts the wait for the caller's tool responses while calls are pending; stops it when
     * none is. A caller that answers none of the pending calls within
     * {@code live-gateway.session.tool-response-timeout} ends the stream with DEADLINE_EXCEEDED
     * naming the calls; the session is never moved (the model would call the tool again).
     */
    private void armToolResponseTimer() {
        cancelToolResponseTimer();
        if (pendingToolCalls.isEmpty() || state == State.ENDED) {
            return;
        }
        Duration timeout = settings.toolResponseTimeout();
        toolResponseTimer = vertx.setTimer(Math.max(1, timeout.toMillis()), id -> onContext(() -> {
            toolResponseTimer = -1;
            if (state == State.ENDED || pendingToolCalls.isEmpty()) {
                return;
            }
            List<String> ids = pendingToolCalls.stream().sorted().toList();
            LOG.warnf("no tool response from the caller for %d ms; pending calls %s; ending the stream",
                    timeout.toMillis(), ids);
            end(new ToolResponseTimeoutException(ids, timeout));
        }));
    }

    private void cancelToolResponseTimer() {
        if (toolResponseTimer >= 0) {
            vertx.cancelTimer(toolResponseTimer);
            toolResponseTimer = -1;
        }
    }

    private void scheduleKeepalive() {
        cancelKeepalive();
        LiveConnection conn = connection;
        keepaliveTimer = vertx.setPeriodic(settings.keepaliveInterval().toMillis(), id -> onContext(() -> {
            if (connection != conn || state != State.OPEN) {
                vertx.cancelTimer(id);
                return;
            }
            if (conn.silentFor().compareTo(settings.keepaliveTimeout()) > 0) {
                LOG.warnf("no frame from the Live API for %d s; treating the connection as lost",
                        conn.silentFor().toSeconds());
                conn.close((short) 1001, "keepalive timeout");
                connection = null;
                onClosedByKeepalive();
                return;
            }
            conn.ping();
        }));
    }

    private void onClosedByKeepalive() {
        if (handle != null || replayCoversWholeSession()) {
            move(ResumeReason.RESUME_REASON_CONNECTION_LOST);
        } else {
            end(new UpstreamException.Closed(UpstreamClose.dropped("keepalive timeout")));
        }
    }

    private void cancelKeepalive() {
        if (keepaliveTimer >= 0) {
            vertx.cancelTimer(keepaliveTimer);
            keepaliveTimer = -1;
        }
    }

    // ---- ending ---------------------------------------------------------------------------------

    private void finish() {
        terminate(Outcome.OK, true);
    }

    private void end(Throwable error) {
        if (state == State.ENDED) {
            return;
        }
        String token = (error instanceof InvalidClientEventException) ? null : tokenForCaller();
        terminate(new Outcome(error, false), false);
        caller.fail(error, token);
    }

    private void terminate(Outcome outcome, boolean completeCaller) {
        if (state == State.ENDED) {
            return;
        }
        state = State.ENDED;
        budget.close();
        cancelStallTimer();
        cancelToolResponseTimer();
        cancelKeepalive();
        if (callerWatchTimer >= 0) {
            vertx.cancelTimer(callerWatchTimer);
        }
        if (halfCloseTimer >= 0) {
            vertx.cancelTimer(halfCloseTimer);
        }
        if (connection != null) {
            connection.close((short) 1000, "conversation ended");
            connection = null;
        }
        if (completeCaller) {
            // Whatever is still queued for the caller goes out first; gRPC buffers it.
            while (!outbound.isEmpty()) {
                ServerEvent event = outbound.poll();
                caller.send(event);
                observer.serverEvent(this, event);
            }
            caller.complete();
        }
        outbound.clear();
        LOG.infof("session ended: %s after %d s, %d resumptions",
                outcome.cancelled() ? "cancelled by the caller" : outcome.error() == null ? "ok" : outcome.error().getMessage(),
                Duration.between(startedAt, Instant.now()).toSeconds(), resumptions);
        observer.ended(this, outcome);
        for (Consumer<Outcome> listener : endListeners) {
            try {
                listener.accept(outcome);
            } catch (RuntimeException e) {
                LOG.warn("session end listener failed", e);
            }
        }
    }

    /** Events waiting for a slow caller (bounded by live-gateway.limits.caller-buffer-events); approximate off-context. */
    public int queuedForCaller() {
        return outbound.size();
    }

    /** Whether the gateway stopped reading the Live API because the caller reads too slowly. */
    public boolean upstreamPaused() {
        return upstreamPaused;
    }

    public boolean ended() {
        return state == State.ENDED;
    }

    /** Caller input this session buffers (unconfirmed plus held while moving), in bytes; approximate off-context. */
    public long bufferedInputBytes() {
        return budget.bytes();
    }

    // ---- helpers --------------------------------------------------------------------------------

    private void onContext(Runnable action) {
        if (Vertx.currentContext() == context) {
            withMdc(action);
        } else {
            context.runOnContext(v -> withMdc(action));
        }
    }

    private void withMdc(Runnable action) {
        Object previous = MDC.get("session");
        MDC.put("session", plan.gatewaySessionId());
        try {
            action.run();
        } finally {
            if (previous == null) {
                MDC.remove("session");
            } else {
                MDC.put("session", previous);
            }
        }
    }

    static Duration parseDuration(String value) {
        if (value == null || value.isEmpty()) {
            return Duration.ZERO;
        }
        try {
            String number = value.endsWith("s") ? value.substring(0, value.length() - 1) : value;
            return Duration.ofMillis((long) (Double.parseDouble(number) * 1000));
        } catch (NumberFormatException e) {
            return Duration.ZERO;
        }
    }

    private static com.google.protobuf.Duration duration(Duration d) {
        return com.google.protobuf.Duration.newBuilder().setSeconds(d.getSeconds()).setNanos(d.getNano()).build();
    }

    private static Timestamp timestamp(Instant i) {
        return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
    }
}
