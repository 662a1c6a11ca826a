package dev.livegateway.grpc;

import dev.livegateway.api.v1.ClientEvent;
import dev.livegateway.api.v1.ResolvedTool;
import dev.livegateway.api.v1.ServerEvent;
import dev.livegateway.api.v1.SessionConfig;
import dev.livegateway.admission.SessionAdmission;
import dev.livegateway.admission.StatusMapper;
import dev.livegateway.auth.CallerContext;
import dev.livegateway.session.CallerFront;
import dev.livegateway.session.ClientEventTranslator;
import dev.livegateway.session.InvalidClientEventException;
import dev.livegateway.session.LiveSession;
import dev.livegateway.tools.ToolRef;
import dev.livegateway.wire.Setup;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * One Converse stream's state, from its first event to the end of its session: whether the config
 * came, whether the caller cancelled or half-closed, the first-event timer, and the
 * {@link LiveSession} that takes every later event. Getting the session is {@link SessionAdmission}'s.
 */
final class ConverseCall implements StreamObserver<ClientEvent> {

    private static final Logger LOG = Logger.getLogger(ConverseCall.class);

    private final ServerCallStreamObserver<ServerEvent> call;
    private final Context context;
    private final GrpcCallerChannel channel;
    private final String tenant;
    private final SessionAdmission admission;
    /** This stream's admission: its session slot and the resume token it took. */
    private final SessionAdmission.Ticket ticket;
    private boolean configReceived;
    private boolean cancelled;
    private boolean halfClosedEarly;
    private LiveSession session;
    /** A context update's registry tools are being resolved: later caller events wait in heldWhileResolving. */
    private boolean resolvingContextTools;
    private final ArrayDeque<Runnable> heldWhileResolving = new ArrayDeque<>();

    ConverseCall(SessionAdmission admission, StatusMapper statuses, ServerCallStreamObserver<ServerEvent> call,
            Context context) {
        this.admission = admission;
        this.call = call;
        this.context = context;
        this.channel = new GrpcCallerChannel(call, context, statuses);
        this.tenant = CallerContext.tenant().id();
        this.ticket = admission.ticket(tenant, CallerFront.GRPC);
        call.setOnCancelHandler(() -> onContext(() -> {
            cancelled = true;
            ticket.firstEventArrived();
            if (session != null) {
                session.onCallerCancelled(Status.CANCELLED.asRuntimeException());
            }
        }));
        RuntimeException draining = admission.refuseWhileDraining(tenant, CallerFront.GRPC);
        if (draining != null) {
            channel.fail(draining, null);
            return;
        }
        // The stream that sends nothing within the first-event timeout ends, and its place is free.
        RuntimeException tooMany = ticket.awaitFirstEvent(context, this::refuse);
        if (tooMany != null) {
            refuse(tooMany);
            return;
        }
        call.request(1);
    }


    /**
     * The caller sent bytes that are not a ClientEvent (not protobuf, or a string field that is not
     * UTF-8): the stream ends with INVALID_ARGUMENT naming the message, whatever state it is in.
     */
    void onUndecodable(String problem) {
        onContext(() -> {
            ticket.firstEventArrived();
            if (channel.closed()) {
                return;
            }
            LOG.warnf("Ending a stream of tenant %s: it sent a message that is not a livegateway.v1.ClientEvent (%s)",
                    tenant, problem);
            InvalidClientEventException invalid = new InvalidClientEventException("ClientEvent", "the message is not a"
                    + " valid livegateway.v1.ClientEvent (" + problem + "); send protobuf-encoded ClientEvent messages"
                    + " whose string fields are UTF-8");
            if (session != null) {
                session.revoke(invalid);
            } else {
                channel.fail(invalid, null);
            }
        });
    }

    @Override
    public void onNext(ClientEvent event) {
        onContext(() -> {
            ticket.firstEventArrived();
            if (channel.closed()) {
                return;
            }
            if (session != null) {
                if (resolvingContextTools) {
                    heldWhileResolving.add(() -> deliver(event));
                } else {
                    deliver(event);
                }
                return;
            }
            if (configReceived) {
                // The session is still starting; flow control should have prevented this.
                channel.fail(new InvalidClientEventException(event.getEventCase().name().toLowerCase(),
                        "sent before SessionStarted; wait for it (the gateway requests events when ready)"), null);
                return;
            }
            if (event.getEventCase() != ClientEvent.EventCase.CONFIG) {
                channel.fail(new InvalidClientEventException("config", "the first event must be config (a SessionConfig),"
                        + " got " + event.getEventCase().name().toLowerCase()), null);
                return;
            }
            configReceived = true;
            begin(event.getConfig());
        });
    }

    @Override
    public void onError(Throwable t) {
        onContext(() -> {
            cancelled = true;
            ticket.firstEventArrived();
            if (session != null) {
                session.onCallerCancelled(t);
            }
        });
    }

    @Override
    public void onCompleted() {
        // Acted on in a task of its own, after the read that delivered the half-close: a grpc-js caller
        // cancels with END_STREAM immediately followed by RST_STREAM(CANCEL), usually in that same read.
        // The cancel must win: the session ends as cancelled and nothing is written on the reset stream.
        context.runOnContext(v -> {
            ticket.firstEventArrived();
            if (cancelled || call.isCancelled()) {
                return; // the cancel handler ends the session, if it has not already
            }
            if (session != null) {
                if (resolvingContextTools) {
                    heldWhileResolving.add(session::onCallerCompleted);
                } else {
                    session.onCallerCompleted();
                }
            } else if (!configReceived) {
                channel.fail(new InvalidClientEventException("config", "the stream was half-closed before its first"
                        + " event; send a config event first"), null);
            } else {
                halfClosedEarly = true;
            }
        });
    }

    /**
     * Hands a caller event to the session. A context update naming registry tools is held until
     * they are resolved (asynchronously, like the config's); events after it wait behind it, so
     * the Live API sees them in the caller's order. The session's flow control bounds how many.
     */
    private void deliver(ClientEvent event) {
        if (event.getEventCase() == ClientEvent.EventCase.CONTEXT_UPDATE) {
            List<ToolRef> refs;
            try {
                refs = ClientEventTranslator.contextToolRefs(event.getContextUpdate());
            } catch (InvalidClientEventException invalid) {
                refs = List.of(); // the session's translator refuses it the same way and ends the stream
            }
            if (!refs.isEmpty()) {
                resolvingContextTools = true;
                ticket.contextTools(refs).subscribe().with(
                        tools -> onContext(() -> {
                            ticket.translator().resolvedContextTools(event, tools);
                            session.onCallerEvent(event);
                            releaseHeld();
                        }),
                        failure -> onContext(() -> {
                            heldWhileResolving.clear();
                            resolvingContextTools = false;
                            session.revoke(failure);
                        }));
                return;
            }
        }
        session.onCallerEvent(event);
    }

    private void releaseHeld() {
        resolvingContextTools = false;
        while (!resolvingContextTools && !heldWhileResolving.isEmpty()) {
            heldWhileResolving.poll().run();
        }
    }

    /** The config arrived: the stream is admitted (or refused), then its session starts. */
    private void begin(SessionConfig config) {
        ticket.admit(config).subscribe().with(
                admitted -> onContext(() -> start(admitted)),
                failure -> onContext(() -> refuse(failure)));
    }

    private void start(SessionAdmission.Admitted admitted) {
        if (ticket.draining()) {
            // Admitted while the drain began: it would miss the drain's GoingAway.
            channel.fail(ticket.refuseDraining(admitted), null);
            return;
        }
        session = ticket.session(admitted, context, channel, cancelled || channel.closed());
        if (session == null) {
            return;
        }
        session.start();
        if (halfClosedEarly) {
            session.onCallerCompleted();
        }
    }

    /** Ends a stream that was not admitted, counting why; a resume token taken for it stays usable. */
    private void refuse(Throwable failure) {
        ticket.refuse(failure);
        channel.fail(failure, null);
    }

    private void onContext(Runnable action) {
        if (Vertx.currentContext() == context) {
            action.run();
        } else {
            context.runOnContext(v -> action.run());
        }
    }
}
