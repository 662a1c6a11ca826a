package dev.livegateway.grpc;

import dev.livegateway.api.v1.ClientEvent;
import dev.livegateway.api.v1.ResolvedTool;
import dev.livegateway.api.v1.ServerEvent;
import dev.livegateway.api.v1.SessionConfig;
import dev.livegateway.auth.CallerContext;
import dev.livegateway.quota.AdmissionRequest;
import dev.livegateway.quota.Lease;
import dev.livegateway.session.ClientEventTranslator;
import dev.livegateway.session.InvalidClientEventException;
import dev.livegateway.session.LiveSession;
import dev.livegateway.session.ReplicaFullException;
import dev.livegateway.session.ResumeTokenStore.ResumeRecord;
import dev.livegateway.session.SessionUnavailableException;
import dev.livegateway.session.SetupTranslator;
import dev.livegateway.upstream.LiveEndpoint;
import dev.livegateway.wire.Setup;
import dev.livegateway.tools.ResolvedTools;
import dev.livegateway.tools.ToolRef;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * One Converse call from its first event to the moment its session takes over: checks that the
 * stream opens with a valid config, resolves the resume token, tools and quota, then starts the
 * {@link LiveSession} and hands it every later event.
 */
final class ConverseCall implements StreamObserver<ClientEvent> {

    private static final Logger LOG = Logger.getLogger(ConverseCall.class);

    private final ConverseCalls deps;
    private final ServerCallStreamObserver<ServerEvent> call;
    private final Context context;
    private final GrpcCallerChannel channel;
    private final String tenant;
    private boolean configReceived;
    private boolean cancelled;
    private boolean halfClosedEarly;
    private boolean holdsSessionSlot;
    private LiveSession session;
    /** A resume token's record taken from the store while this call is being admitted. */
    private volatile ResumeRecord takenToken;
    private volatile String pendingToken;
    /** Counted among the tenant's streams without config ({@link ConverseCalls#enterUnconfigured}). */
    private boolean unconfigured;
    private long firstEventTimer = -1;

    ConverseCall(ConverseCalls deps, ServerCallStreamObserver<ServerEvent> call, Context context) {
        this.deps = deps;
        this.call = call;
        this.context = context;
        this.channel = new GrpcCallerChannel(call, context, deps.statuses);
        this.tenant = CallerContext.tenant().id();
        call.setOnCancelHandler(() -> onContext(() -> {
            cancelled = true;
            leaveUnconfigured();
            if (session != null) {
                session.onCallerCancelled(Status.CANCELLED.asRuntimeException());
            }
        }));
        if (deps.registry.draining()) {
            deps.metrics.refused(tenant, "draining");
            channel.fail(draining(), null);
            return;
        }
        if (!deps.enterUnconfigured(tenant)) {
            refuse(UnconfiguredStreamException.tooMany(tenant, deps.limits.unconfiguredStreamsPerTenant()));
            return;
        }
        unconfigured = true;
        firstEventTimer = context.owner().setTimer(Math.max(1, deps.limits.firstEventTimeout().toMillis()),
                id -> onContext(this::firstEventTimedOut));
        call.request(1);
    }

    /** The stream sent nothing within the first-event timeout: it ends, and its place is free. */
    private void firstEventTimedOut() {
        firstEventTimer = -1;
        if (unconfigured) {
            leaveUnconfigured();
            refuse(UnconfiguredStreamException.timedOut(deps.limits.firstEventTimeout()));
        }
    }

    /** The stream is no longer one without config: its first event arrived, or it ended. Idempotent. */
    private void leaveUnconfigured() {
        if (firstEventTimer >= 0) {
            context.owner().cancelTimer(firstEventTimer);
            firstEventTimer = -1;
        }
        if (unconfigured) {
            unconfigured = false;
            deps.leaveUnconfigured(tenant);
        }
    }

    /**
     * The caller sent bytes that are not a ClientEvent (not protobuf, or a string field that is not
     * UTF-8): the stream ends with INVALID_ARGUMENT naming the message, whatever state it is in.
     */
    void onUndecodable(String problem) {
        onContext(() -> {
            leaveUnconfigured();
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

    private static SessionUnavailableException draining() {
        return new SessionUnavailableException("this gateway replica is draining (shutting down) and admits no new"
                + " sessions; retry on another replica (a new connection reaches one)");
    }

    @Override
    public void onNext(ClientEvent event) {
        onContext(() -> {
            leaveUnconfigured();
            if (channel.closed()) {
                return;
            }
            if (session != null) {
                session.onCallerEvent(event);
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
            leaveUnconfigured();
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
            leaveUnconfigured();
            if (cancelled || call.isCancelled()) {
                return; // the cancel handler ends the session, if it has not already
            }
            if (session != null) {
                session.onCallerCompleted();
            } else if (!configReceived) {
                channel.fail(new InvalidClientEventException("config", "the stream was half-closed before its first"
                        + " event; send a config event first"), null);
            } else {
                halfClosedEarly = true;
            }
        });
    }

    private void begin(SessionConfig config) {
        if (!deps.takeSessionSlot()) {
            deps.metrics.refused(tenant, "replica_full");
            channel.fail(new ReplicaFullException(deps.limits.maxSessions(), java.time.Duration.ofSeconds(1)), null);
            return;
        }
        holdsSessionSlot = true;
        LiveEndpoint endpoint;
        try {
            endpoint = deps.endpoints.endpoint();
        } catch (RuntimeException e) {
            releaseSessionSlot();
            channel.fail(e, null);
            return;
        }
        Uni<LiveSession.Plan> plan;
        if (config.getResumeToken().isEmpty()) {
            String model;
            try {
                model = callerModel(config, endpoint);
            } catch (InvalidClientEventException e) {
                refuse(e);
                return;
            }
            List<ToolRef> refs = new ArrayList<>();
            for (int i = 0; i < config.getToolsCount(); i++) {
                var tool = config.getTools(i);
                if (tool.getName().isBlank()) {
                    releaseSessionSlot();
                    channel.fail(new InvalidClientEventException("config.tools[" + i + "].name", "empty; name a tool"
                            + " configuration of the registry"), null);
                    return;
                }
                if (tool.getVersion() < 0) {
                    releaseSessionSlot();
                    channel.fail(new InvalidClientEventException("config.tools[" + i + "].version", "must be 0"
                            + " (current) or a registry version, got " + tool.getVersion()), null);
                    return;
                }
                refs.add(new ToolRef(tool.getName(), tool.getVersion()));
            }
            Uni<ResolvedTools> tools = refs.isEmpty() ? Uni.createFrom().item(ResolvedTools.NONE)
                    : deps.tools.resolve(tenant, refs);
            plan = tools.map(resolved -> freshPlan(config, endpoint, model, resolved));
        } else {
            pendingToken = config.getResumeToken();
            String sessionId = newSessionId();
            plan = deps.tokens.take(config.getResumeToken(), tenant, sessionId).map(take -> {
                switch (take.outcome()) {
                    case UNKNOWN -> throw Status.NOT_FOUND.withDescription("config.resume_token: unknown, expired or"
                            + " already used; start a new session without it").asRuntimeException();
                    case ALREADY_TAKEN -> throw Status.NOT_FOUND.withDescription("config.resume_token: already used"
                            + " (another stream resumed this conversation with it, and a token continues one stream"
                            + " only); use the newest token of the stream that resumed it, or start a new session"
                            + " without it").asRuntimeException();
                    case OTHER_TENANT -> throw Status.PERMISSION_DENIED.withDescription("config.resume_token belongs"
                            + " to another tenant").asRuntimeException();
                    case TAKEN -> { }
                }
                ResumeRecord taken = take.record();
                LiveSession.Plan resumed = resumedPlan(config, endpoint, taken, sessionId);
                takenToken = taken;
                return resumed;
            });
        }
        plan.chain(p -> deps.quota.admit(new AdmissionRequest(p.gatewaySessionId(), tenant,
                        endpoint.poolKey(p.model()), p.model())).map(lease -> new Admitted(p, lease)))
                .subscribe().with(admitted -> onContext(() -> {
                            if (deps.registry.draining()) {
                                // Admitted while the drain began: it would miss the drain's GoingAway.
                                admitted.lease().release();
                                refuse(draining());
                                return;
                            }
                            deps.metrics.admitted(tenant);
                            ResumeRecord taken = takenToken;
                            takenToken = null;
                            startSession(admitted.plan(), admitted.lease(), taken);
                        }),
                        failure -> onContext(() -> refuse(failure)));
    }

    private record Admitted(LiveSession.Plan plan, Lease lease) {}

    /** Ends a stream that was not admitted, counting why; a resume token taken for it stays usable. */
    private void refuse(Throwable failure) {
        releaseSessionSlot();
        if (takenToken != null) {
            deps.tokens.put(pendingToken, takenToken).subscribe().with(v -> { }, e -> { });
            takenToken = null;
        }
        deps.metrics.refused(tenant, deps.statuses.map(failure).reason().toLowerCase(java.util.Locale.ROOT));
        channel.fail(failure, null);
    }

    /**
     * The qualified model of a new session: the operator's default model, or the caller's, which
     * may only name what this gateway is configured to use (no other project or publisher).
     */
    private String callerModel(SessionConfig config, LiveEndpoint endpoint) {
        String requested = SetupTranslator.requestedModel(config, deps.upstream.defaultModel());
        if (config.getModel().isBlank()) {
            return endpoint.qualifyModel(requested);
        }
        try {
            return endpoint.qualifyCallerModel(requested, deps.endpoints.allowedModelPrefixes());
        } catch (IllegalArgumentException e) {
            throw new InvalidClientEventException("config.model", e.getMessage());
        }
    }

    private LiveSession.Plan freshPlan(SessionConfig config, LiveEndpoint endpoint, String model, ResolvedTools tools) {
        List<ResolvedTool> resolved = tools.versions().stream()
                .map(v -> ResolvedTool.newBuilder().setName(v.name()).setVersion(v.version()).build()).toList();
        Setup setup = SetupTranslator.toSetup(config, model, tools.setupTools(), endpoint.flavour(),
                deps.limits.maxTextChars());
        return new LiveSession.Plan(newSessionId(), tenant, model, setup, endpoint.flavour(),
                SetupTranslator.manualActivity(config), resolved, null, false);
    }

    private LiveSession.Plan resumedPlan(SessionConfig config, LiveEndpoint endpoint, ResumeRecord record,
            String sessionId) {
        LiveSession.Plan plan;
        try {
            plan = record.restore(sessionId, tenant, endpoint.flavour());
        } catch (java.io.UncheckedIOException e) {
            throw Status.INTERNAL.withDescription("stored session setup is unreadable").asRuntimeException();
        }
        LOG.infof("resuming session %s from a resume token", record.gatewaySessionId());
        return plan;
    }

    /** @param taken the record of the resume token this stream took, or null for a new conversation */
    private void startSession(LiveSession.Plan plan, Lease lease, ResumeRecord taken) {
        if (cancelled || channel.closed()) {
            lease.release();
            if (taken != null) {
                // Nobody continues the conversation here: the token stays its original stream's.
                deps.tokens.put(pendingToken, taken).subscribe().with(v -> { }, e -> { });
            }
            releaseSessionSlot();
            return;
        }
        if (taken != null) {
            // One Live session, one stream: the stream that owned the token ends (on another
            // replica it learns at its next save, which the store refuses).
            deps.registry.find(taken.gatewaySessionId())
                    .ifPresent(original -> original.resumedElsewhere(plan.gatewaySessionId()));
        }
        ClientEventTranslator translator = new ClientEventTranslator(deps.limits, plan.manualActivity());
        session = new LiveSession(plan, context, channel, deps.connector, deps.tokens, translator,
                deps.sessionSettings, deps.limits.callerBufferEvents(), deps.limits.inboundWindowEvents(),
                deps.observer, deps.inputBudget);
        deps.registry.add(session);
        session.onEnd(outcome -> releaseSessionSlot());
        // The lease lives exactly as long as the session, however it ends.
        session.onEnd(outcome -> lease.release());
        LiveSession admitted = session;
        lease.onTerminated(termination -> admitted.revoke(new LeaseTerminatedException(termination)));
        session.start();
        if (halfClosedEarly) {
            session.onCallerCompleted();
        }
    }

    private void releaseSessionSlot() {
        if (holdsSessionSlot) {
            holdsSessionSlot = false;
            deps.releaseSessionSlot();
        }
    }

    private static String newSessionId() {
        return "lg-" + UUID.randomUUID();
    }

    private void onContext(Runnable action) {
        if (Vertx.currentContext() == context) {
            action.run();
        } else {
            context.runOnContext(v -> action.run());
        }
    }
}
