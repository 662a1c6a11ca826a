package dev.livegateway.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.livegateway.wire.ClientMessage;
import dev.livegateway.wire.Flavour;
import dev.livegateway.wire.ServerMessage;
import dev.livegateway.wire.Setup;
import dev.livegateway.wire.Wire;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.net.impl.ConnectionBase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One WebSocket connection: reads frames and enforces the protocol (setup first, one field per
 * message), starts or resumes the Live session in the {@link SessionBook}, hands input to the
 * {@link TurnDetector} and tool results to the {@link ScriptedConversation}, sends resumption
 * updates, applies the faults its {@link FaultInjector.Schedule} names, and sends and closes. Every method runs on the connection's event loop, so no locking is needed for the
 * connection's own state.
 */
final class EmulatorConnection {

    // JDK logging (routed to the Quarkus log when embedded): the stand-alone classpath has no jboss-logging.
    private static final System.Logger LOG = System.getLogger(EmulatorConnection.class.getName());

    private final SessionBook sessions;
    private final FaultInjector faults;
    private final Vertx vertx;
    private final HttpServerRequest request;
    private final ServerWebSocket ws;
    private final Flavour flavour;
    private final RecordedConnection record;
    private final EmulatorOptions options;
    private final long openedAtMillis = System.currentTimeMillis();
    private final List<Long> timers = new ArrayList<>();

    private int nextIndex;
    private long lastConsumedIndex = -1;
    private int consumedOnConnection;
    private Setup setup;
    private EmulatedSession session;
    private boolean setupCompleteSent;
    private boolean closed;
    private boolean stalled;
    private boolean admitted;

    // Set at setup, with the session.
    private TurnDetector turns;
    private ScriptedConversation conversation;
    private FaultInjector.Schedule faultSchedule;
    private int consumedSinceUpdate;
    private long lastUpdateMillis = System.currentTimeMillis();

    EmulatorConnection(SessionBook sessions, FaultInjector faults, EmulatorOptions options, Vertx vertx,
            HttpServerRequest request, ServerWebSocket ws, Flavour flavour, RecordedConnection record) {
        this.sessions = sessions;
        this.faults = faults;
        this.options = options;
        this.vertx = vertx;
        this.request = request;
        this.ws = ws;
        this.flavour = flavour;
        this.record = record;
    }

    void start() {
        ws.textMessageHandler(text -> onFrame(text.getBytes(StandardCharsets.UTF_8)));
        ws.binaryMessageHandler(buffer -> onFrame(buffer.getBytes()));
        ws.closeHandler(v -> onClosed());
        ws.exceptionHandler(e -> LOG.log(System.Logger.Level.DEBUG, () -> String.format("connection %d: %s", record.number(), e.getMessage())));
    }

    // ---- inbound ------------------------------------------------------------------------------

    private void onFrame(byte[] bytes) {
        if (closed) {
            return;
        }
        int index = nextIndex++;
        // The JSON tree is for the record (and the raw setup); a load test without recording reads
        // each message once, with the data binding only.
        JsonNode raw = null;
        int recordedBytes = bytes.length;
        if (options.recording() || setup == null) {
            try {
                raw = Wire.mapper().readTree(bytes);
            } catch (IOException e) {
                String text = new String(bytes, StandardCharsets.UTF_8);
                int max = options.recordingMaxPayloadChars();
                record.recordMessage(Wire.mapper().getNodeFactory().textNode(text.length() <= max ? text
                        : text.substring(0, max) + "... [" + (text.length() - max) + " characters not recorded]"),
                        Math.min(bytes.length, max));
                closeWith(CloseReasons.INVALID_PAYLOAD, "Invalid JSON payload received.");
                return;
            }
            if (setup != null && bytes.length > options.recordingMaxPayloadChars()) {
                // What the record keeps of base64 audio or video: its length, not the data. The
                // setup (index 0) stays whole: fault rules match on it.
                recordedBytes -= RecordLog.summariseLongStrings(raw, options.recordingMaxPayloadChars());
            }
            record.recordMessage(raw, recordedBytes);
        }
        if (stalled) {
            return;
        }
        ClientMessage message;
        try {
            message = Wire.readClient(bytes, options.strictFields());
        } catch (UnrecognizedPropertyException e) {
            closeWith(CloseReasons.INVALID_PAYLOAD, "Invalid JSON payload received. Unknown name \"" + e.getPropertyName()
                    + "\" at '" + pathOf(e) + "': Cannot find field.");
            return;
        } catch (IOException e) {
            // Not JSON at all gets the same reason as when the tree was read first.
            closeWith(CloseReasons.INVALID_PAYLOAD, raw == null && !isJson(bytes) ? "Invalid JSON payload received."
                    : "Invalid JSON payload received. " + firstLine(e.getMessage()));
            return;
        }
        if (message.fieldCount() != 1) {
            closeWith(CloseReasons.INVALID_PAYLOAD,
                    "A client message must set exactly one of setup, clientContent, realtimeInput, toolResponse, contextUpdate.");
            return;
        }
        if (setup == null) {
            if (message.setup() == null) {
                closeWith(CloseReasons.INVALID_PAYLOAD, "The first client message must be setup.");
                return;
            }
            onSetup(raw.get("setup"), message.setup());
            return;
        }
        if (message.setup() != null) {
            closeWith(CloseReasons.INVALID_PAYLOAD, "setup may only be sent once, as the first client message.");
            return;
        }
        if (!setupCompleteSent) {
            // Clients must wait for setupComplete; the real server tolerates early input, so do we.
            LOG.log(System.Logger.Level.DEBUG, () -> String.format("connection %d: client message before setupComplete", record.number()));
        }
        lastConsumedIndex = index;
        consumedOnConnection++;
        consumedSinceUpdate++;
        session.record.consume(raw, recordedBytes);
        dispatch(message);
        if (closed) {
            return;
        }
        faultSchedule.dueAfterMessages(consumedOnConnection).forEach(this::apply);
        if (!closed && resumptionEnabled() && consumedSinceUpdate >= options.resumptionUpdateEveryMessages()) {
            sendResumptionUpdate();
        }
    }

    private static boolean isJson(byte[] bytes) {
        try {
            Wire.mapper().readTree(bytes);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String pathOf(UnrecognizedPropertyException e) {
        StringBuilder path = new StringBuilder();
        for (var ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private void onSetup(JsonNode rawSetup, Setup parsed) {
        setup = parsed;
        record.recordSetup(rawSetup, parsed);
        if (!knownModel(parsed.model())) {
            closeWith(CloseReasons.POLICY_VIOLATION, CloseReasons.NOT_FOUND);
            return;
        }
        String refusal = EmulatedModel.of(parsed.model()).refusal(parsed);
        if (refusal != null) {
            // What the model does not take (docs/emulator.md, "Models"): the real server's generic 1007.
            LOG.log(System.Logger.Level.DEBUG, () -> String.format("connection %d: setup refused: %s", record.number(), refusal));
            closeWith(CloseReasons.INVALID_PAYLOAD, CloseReasons.INVALID_ARGUMENT);
            return;
        }
        String handle = parsed.sessionResumption() == null ? null : parsed.sessionResumption().handle();
        if (handle != null && !handle.isEmpty()) {
            EmulatedSession.Snapshot snapshot = sessions.resume(handle);
            if (snapshot == null) {
                closeWith(CloseReasons.POLICY_VIOLATION,
                        "Session resumption handle is unknown or expired; start a new session without a handle.");
                return;
            }
            session = snapshot.session();
            session.record.truncate(snapshot.consumedSize(), snapshot.historySize());
            session.input = snapshot.input().copy();
            session.model = snapshot.model().copy();
            record.recordSession(session.id, true);
        } else {
            session = sessions.open(flavour);
            record.recordSession(session.id, false);
        }
        session.record.addConnection(record);
        conversation = new ScriptedConversation(vertx, options, flavour, setup, session, record.number(), new Link());
        turns = new TurnDetector(setup, options, session, conversation);
        if (!sessions.admit(this)) {
            closeWith(CloseReasons.INTERNAL_ERROR, FaultRule.LiveError.RESOURCE_EXHAUSTED.reason());
            return;
        }
        admitted = true;
        faultSchedule = faults.schedule(record.number(), session.id, rawSetup == null ? "" : rawSetup.toString(), options);
        for (FaultRule rule : faultSchedule.afterAge()) {
            long wait = Math.max(1, rule.afterMs() - (System.currentTimeMillis() - openedAtMillis));
            timers.add(vertx.setTimer(wait, id -> apply(rule)));
        }
        if (faultSchedule.atSetup() != null) {
            apply(faultSchedule.atSetup());
            return;
        }
        Runnable complete = () -> {
            if (closed || stalled) {
                return;
            }
            send(ServerMessage.of(new ServerMessage.SetupComplete(flavour == Flavour.VERTEX ? session.id : null,
                    VoiceConsent.signatureFor(setup))));
            setupCompleteSent = true;
            faultSchedule.afterSetupComplete().forEach(this::apply);
            if (resumptionEnabled()) {
                long interval = Math.max(1, options.resumptionUpdateInterval().toMillis());
                timers.add(vertx.setPeriodic(interval, id -> {
                    if (consumedSinceUpdate > 0 && System.currentTimeMillis() - lastUpdateMillis >= interval) {
                        sendResumptionUpdate();
                    }
                }));
            }
        };
        if (faultSchedule.setupDelayMs() > 0) {
            timers.add(vertx.setTimer(faultSchedule.setupDelayMs(), id -> complete.run()));
        } else {
            complete.run();
        }
    }

    private boolean knownModel(String model) {
        if (model == null || model.isBlank()) {
            return false;
        }
        String id = model.substring(model.lastIndexOf('/') + 1);
        boolean shape = model.matches("projects/[^/]+/locations/[^/]+/publishers/google/models/[^/]+")
                || model.matches("publishers/google/models/[^/]+") || model.matches("models/[^/]+")
                || !model.contains("/");
        return shape && options.modelPattern().matcher(id).matches();
    }

    private void dispatch(ClientMessage message) {
        if (message.clientContent() != null) {
            turns.onClientContent(message.clientContent());
        } else if (message.realtimeInput() != null) {
            turns.onRealtimeInput(message.realtimeInput());
        } else if (message.toolResponse() != null) {
            conversation.onToolResponse(message.toolResponse().functionResponses() == null
                    ? List.of() : message.toolResponse().functionResponses());
        } else if (message.contextUpdate() != null) {
            conversation.onContextUpdate(message.contextUpdate());
        }
    }

    /** The connection as the scripted conversation sees it. */
    private final class Link implements ScriptedConversation.Connection {
        @Override
        public void send(ServerMessage message) {
            EmulatorConnection.this.send(message);
        }

        @Override
        public boolean live() {
            return !closed && !stalled;
        }

        @Override
        public void reject(String reason) {
            closeWith(CloseReasons.INVALID_PAYLOAD, reason);
        }

        @Override
        public void turnComplete() {
            if (resumptionEnabled()) {
                sendResumptionUpdate();
            }
        }
    }

    // ---- resumption ---------------------------------------------------------------------------

    private boolean resumptionEnabled() {
        return setup != null && setup.sessionResumption() != null && setupCompleteSent;
    }

    /**
     * Sends {@code sessionResumptionUpdate}. Resumable only when idle (no reply in flight, no
     * blocking tool call pending); the index is the last consumed client message of this
     * connection (0-based, setup = 0), sent only with {@code transparent: true}.
     */
    private void sendResumptionUpdate() {
        if (closed || stalled) {
            return;
        }
        boolean idle = conversation.idle();
        String handle = idle ? sessions.issueHandle(session) : "";
        Long index = Boolean.TRUE.equals(setup.sessionResumption().transparent()) ? Math.max(0, lastConsumedIndex) : null;
        send(ServerMessage.of(new ServerMessage.SessionResumptionUpdate(handle, idle, index)));
        consumedSinceUpdate = 0;
        lastUpdateMillis = System.currentTimeMillis();
    }

    // ---- faults, output, close ----------------------------------------------------------------

    /** The Live session this connection serves, or null before setup. */
    String liveSessionId() {
        return session == null ? null : session.id;
    }

    /** Applies a fault now, on this connection's event loop (tests and the admin endpoint). */
    void applyNow(FaultRule rule) {
        if (request.connection() instanceof ConnectionBase base) {
            base.getContext().runOnContext(v -> apply(rule));
        } else {
            apply(rule);
        }
    }

    private void apply(FaultRule rule) {
        if (closed) {
            return;
        }
        LOG.log(System.Logger.Level.DEBUG, () -> String.format("connection %d: fault %s", record.number(), rule.action()));
        switch (rule.action()) {
            case GO_AWAY -> {
                int seconds = rule.goAwaySeconds() == null ? 10 : rule.goAwaySeconds();
                send(ServerMessage.of(new ServerMessage.GoAway(seconds + "s")));
                timers.add(vertx.setTimer(Math.max(1, seconds * 1000L),
                        id -> closeWith(CloseReasons.NORMAL, "")));
            }
            case CLOSE -> closeWith(rule.effectiveCloseCode(), rule.effectiveCloseReason());
            case DROP -> drop();
            case STALL -> {
                stalled = true;
                if (conversation != null) {
                    conversation.halt();
                }
            }
            case DELAY_SETUP, REFUSE_UPGRADE -> { }
        }
    }

    private void send(ServerMessage message) {
        if (closed || stalled) {
            return;
        }
        byte[] json = Wire.write(message, options.pretty());
        if (options.binaryFrames()) {
            ws.writeBinaryMessage(Buffer.buffer(json));
        } else {
            ws.writeTextMessage(new String(json, StandardCharsets.UTF_8));
        }
    }

    /** Closes with a code and reason (at most 123 bytes). */
    void closeWith(short code, String reason) {
        if (closed) {
            return;
        }
        String truncated = CloseReasons.truncate(reason);
        record.recordServerClose(code, truncated);
        shutdown();
        ws.close(code, truncated);
    }

    /** Drops the TCP connection without a close frame: the client sees 1006. */
    private void drop() {
        record.recordServerClose(1006, "dropped without close frame");
        shutdown();
        if (request.connection() instanceof ConnectionBase base) {
            // Vert.x's own close path would send a close frame first; closing from the first
            // pipeline context skips it, and linger 0 resets the TCP connection.
            base.channel().config().setOption(io.netty.channel.ChannelOption.SO_LINGER, 0);
            base.channel().pipeline().firstContext().close();
        } else {
            request.connection().close();
        }
    }

    private void shutdown() {
        closed = true;
        if (conversation != null) {
            conversation.stop();
        }
        timers.forEach(vertx::cancelTimer);
        timers.clear();
        if (admitted) {
            sessions.release(this);
            admitted = false;
        }
    }

    private void onClosed() {
        shutdown();
        record.markClosed();
    }
}
