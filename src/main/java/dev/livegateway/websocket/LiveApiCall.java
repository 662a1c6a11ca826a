package dev.livegateway.websocket;

import dev.livegateway.admission.SessionAdmission;
import dev.livegateway.admission.StatusMapper;
import dev.livegateway.admission.UnconfiguredStreamException;
import dev.livegateway.api.v1.ClientEvent;
import dev.livegateway.api.v1.SessionConfig;
import dev.livegateway.api.v1.ToolReference;
import dev.livegateway.session.CallerFront;
import dev.livegateway.session.ClientEventTranslator;
import dev.livegateway.session.InvalidClientEventException;
import dev.livegateway.session.LiveSession;
import dev.livegateway.sessiontokens.SessionToken;
import dev.livegateway.tools.ToolRef;
import dev.livegateway.wire.ClientMessage;
import dev.livegateway.wire.Flavour;
import dev.livegateway.wire.Wire;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.vertx.core.Context;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.ServerWebSocket;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * One Live API WebSocket connection, from its {@code setup} to the end of its session: the setup
 * goes through {@link SessionAdmission} like a gRPC caller's SessionConfig, then every later
 * message is a caller event of the same {@link LiveSession}. Reading follows the session's flow
 * control: the socket is paused while the session holds input back (no credit), so a fast client
 * is slowed by TCP rather than buffered. Everything runs on the socket's context.
 */
final class LiveApiCall {

    private static final Logger LOG = Logger.getLogger(LiveApiCall.class);

    private final SessionAdmission admission;
    private final ServerWebSocket ws;
    private final Context context;
    private final Flavour flavour;
    private final String tenant;
    private final StatusMapper statuses;
    private final List<ToolReference> headerTools;
    private final SessionAdmission.Ticket ticket;
    private final HttpConnection connection;
    /** The session token's allow-lists, or null for a client with a key. */
    private final SessionToken grant;
    private WebSocketCallerChannel channel;
    private LiveSession session;
    private boolean setupReceived;
    /** Events the session may take now (its requestInput credit). */
    private long credit;
    /** Events parsed but not yet taken by the session. */
    private final ArrayDeque<ClientEvent> pending = new ArrayDeque<>();
    private final LiveApiAudioInput audio = new LiveApiAudioInput();
    private boolean paused;
    /** A context update's registry tools are being resolved: the events after it wait in {@link #pending}. */
    private boolean resolvingContextTools;

    LiveApiCall(SessionAdmission admission, StatusMapper statuses, ServerWebSocket ws, HttpConnection connection,
            Context context, Flavour flavour, String tenant, List<ToolReference> headerTools, SessionToken grant) {
        this.connection = connection;
        this.grant = grant;
        this.admission = admission;
        this.statuses = statuses;
        this.ws = ws;
        this.context = context;
        this.flavour = flavour;
        this.tenant = tenant;
        this.headerTools = headerTools;
        this.ticket = admission.ticket(tenant, CallerFront.WEBSOCKET);
    }

    /** Starts reading the connection, after the gates a stream passes before its first message. */
    void start() {
        ws.textMessageHandler(text -> onFrame(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        ws.binaryMessageHandler(buffer -> onFrame(buffer.getBytes()));
        ws.exceptionHandler(e -> LOG.debugf("WebSocket of tenant %s failed: %s", tenant, e.getMessage()));
        ws.closeHandler(v -> onClientClosed());
        RuntimeException draining = admission.refuseWhileDraining(tenant, CallerFront.WEBSOCKET);
        if (draining != null) {
            fail(draining);
            return;
        }
        UnconfiguredStreamException tooMany = ticket.awaitFirstEvent(context, refusal -> {
            ticket.refuse(refusal);
            fail(refusal);
        });
        if (tooMany != null) {
            ticket.refuse(tooMany);
            fail(tooMany);
            return;
        }
    }

    private void onFrame(byte[] json) {
        if (closed()) {
            return;
        }
        ClientMessage message;
        try {
            message = Wire.readClient(json, true);
        } catch (IOException | RuntimeException e) {
            fail(new InvalidClientEventException("BidiGenerateContentClientMessage", "not a valid Live API client"
                    + " message: " + firstLine(e.getMessage())));
            return;
        }
        if (!setupReceived) {
            ticket.firstEventArrived();
            setupReceived = true;
            if (message.setup() == null || message.fieldCount() != 1) {
                ticket.refuse(new InvalidClientEventException("setup", "missing"));
                fail(new InvalidClientEventException("setup", "the first message must be setup"));
                return;
            }
            SessionConfig config;
            try {
                config = LiveApiClientTranslator.config(message.setup(), headerTools);
                checkGrant(config);
            } catch (InvalidClientEventException | StatusRuntimeException e) {
                ticket.refuse(e);
                fail(e);
                return;
            }
            boolean resumption = message.setup().sessionResumption() != null;
            channel = new WebSocketCallerChannel(ws, connection, flavour, statuses, resumption, this::requested);
            pauseReading();
            ticket.admit(config).subscribe().with(
                    admitted -> context.runOnContext(v -> begin(admitted)),
                    failure -> context.runOnContext(v -> {
                        ticket.refuse(failure);
                        fail(failure);
                    }));
            return;
        }
        List<ClientEvent> events;
        try {
            events = LiveApiClientTranslator.events(message).stream().map(audio::convert).toList();
        } catch (InvalidClientEventException e) {
            if (session != null) {
                session.revoke(e);
            } else {
                fail(e);
            }
            return;
        }
        pending.addAll(events);
        deliver();
    }

    private void begin(SessionAdmission.Admitted admitted) {
        if (ticket.draining()) {
            fail(ticket.refuseDraining(admitted));
            return;
        }
        session = ticket.session(admitted, context, channel, closed());
        if (session == null) {
            return;
        }
        session.start();
        deliver();
    }

    /**
     * A context update naming registry tools is held until they are resolved for the tenant (as the
     * setup's are, by the admission ticket), then handed to the session; the events after it wait,
     * so the Live API sees them in the client's order. True when the event was taken here.
     */
    private boolean resolveContextTools(ClientEvent event) {
        if (event.getEventCase() != ClientEvent.EventCase.CONTEXT_UPDATE) {
            return false;
        }
        List<ToolRef> refs;
        try {
            refs = ClientEventTranslator.contextToolRefs(event.getContextUpdate());
        } catch (InvalidClientEventException invalid) {
            return false; // the session's translator refuses it the same way and ends the session
        }
        if (refs.isEmpty()) {
            return false;
        }
        if (grant != null) {
            for (ToolRef ref : refs) {
                String refusal = grant.toolRefusal(ref.name()).orElse(null);
                if (refusal != null) {
                    pending.clear();
                    session.revoke(denied("contextUpdate.tools", refusal));
                    return true;
                }
            }
        }
        resolvingContextTools = true;
        ticket.contextTools(refs).subscribe().with(
                tools -> context.runOnContext(v -> {
                    ticket.translator().resolvedContextTools(event, tools);
                    session.onCallerEvent(event);
                    resolvingContextTools = false;
                    deliver();
                }),
                failure -> context.runOnContext(v -> {
                    pending.clear();
                    resolvingContextTools = false;
                    session.revoke(failure);
                }));
        return true;
    }

    /** Refuses a setup the session token does not allow: another model, a registry tool not on its list. */
    private void checkGrant(SessionConfig config) {
        if (grant == null) {
            return;
        }
        String model = grant.modelRefusal(config.getModel()).orElse(null);
        if (model != null) {
            throw denied("setup.model", model);
        }
        for (ToolReference tool : config.getToolsList()) {
            String refusal = grant.toolRefusal(tool.getName()).orElse(null);
            if (refusal != null) {
                throw denied("setup.tools", refusal);
            }
        }
    }

    private static StatusRuntimeException denied(String field, String why) {
        return Status.PERMISSION_DENIED.withDescription(field + ": " + why).asRuntimeException();
    }

    /** The session asked for {@code n} more events. */
    private void requested(int n) {
        credit += n;
        deliver();
    }

    /** Hands pending events to the session while it has credit; reads on only when all were taken. */
    private void deliver() {
        while (session != null && credit > 0 && !pending.isEmpty() && !resolvingContextTools && !closed()) {
            credit--;
            ClientEvent event = pending.poll();
            if (!resolveContextTools(event)) {
                session.onCallerEvent(event);
            }
        }
        if (session != null && pending.isEmpty() && credit > 0 && !resolvingContextTools) {
            resumeReading();
        } else {
            pauseReading();
        }
    }

    private void pauseReading() {
        if (!paused && !ws.isClosed()) {
            paused = true;
            ws.pause();
        }
    }

    private void resumeReading() {
        if (paused && !ws.isClosed()) {
            paused = false;
            ws.resume();
        }
    }

    private void onClientClosed() {
        ticket.firstEventArrived();
        if (session != null) {
            session.onCallerCancelled(new java.util.concurrent.CancellationException("the client closed the WebSocket"));
        }
    }


    private boolean closed() {
        return ws.isClosed() || (channel != null && channel.closed());
    }

    private void fail(Throwable failure) {
        if (channel != null) {
            channel.fail(failure, null);
        } else if (!ws.isClosed()) {
            CloseCodes.Close close = CloseCodes.of(statuses.map(failure));
            WebSocketCallerChannel.closeSocket(ws, connection, close.code(), close.reason());
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable JSON";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
