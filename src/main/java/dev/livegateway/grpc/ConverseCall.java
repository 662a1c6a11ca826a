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
import dev.livegateway.wire.Wire;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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

    ConverseCall(ConverseCalls deps, ServerCallStreamObserver<ServerEvent> call, Context context) {
        this.deps = deps;
        this.call = call;
        this.context = context;
        this.channel = new GrpcCallerChannel(call, context, deps.statuses);
        this.tenant = CallerContext.tenant().id();
        call.setOnCancelHandler(() -> onContext(() -> {
            cancelled = true;
            if (session != null) {
                session.onCallerCancelled(Status.CANCELLED.asRuntimeException());
            }
        }));
        if (deps.registry.draining()) {
            deps.metrics.refused(tenant, "draining");
            channel.fail(new SessionUnavailableException("this gateway replica is shutting down and admits no new"
                    + " sessions; retry (another replica will take it)"), null);
            return;
        }
        call.request(1);
    }

    @Override
    public void onNext(ClientEvent event) {
        onContext(() -> {
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
            if (session != null) {
                session.onCallerCancelled(t);
            }
        });
    }

    @Override
    public void onCompleted() {
        onContext(() -> {
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
            plan = tools.map(resolved -> freshPlan(config, endpoint, resolved));
        } else {
            pendingToken = config.getResumeToken();
            plan = deps.tokens.take(config.getResumeToken()).map(record -> {
                ResumeRecord taken = record.orElseThrow(() -> Status.NOT_FOUND.withDescription("config.resume_token:"
                        + " unknown, expired or already used; start a new session without it").asRuntimeException());
                LiveSession.Plan resumed = resumedPlan(config, endpoint, taken);
                takenToken = taken;
                return resumed;
            });
        }
        plan.chain(p -> deps.quota.admit(new AdmissionRequest(p.gatewaySessionId(), tenant,
                        endpoint.poolKey(p.model()), p.model())).map(lease -> new Admitted(p, lease)))
                .subscribe().with(admitted -> onContext(() -> {
                            deps.metrics.admitted(tenant);
                            takenToken = null;
                            startSession(admitted.plan(), admitted.lease());
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

    private LiveSession.Plan freshPlan(SessionConfig config, LiveEndpoint endpoint, ResolvedTools tools) {
        String model = endpoint.qualifyModel(SetupTranslator.requestedModel(config, deps.upstream.defaultModel()));
        List<ResolvedTool> resolved = tools.versions().stream()
                .map(v -> ResolvedTool.newBuilder().setName(v.name()).setVersion(v.version()).build()).toList();
        Setup setup = SetupTranslator.toSetup(config, model, tools.setupTools(), endpoint.flavour(),
                deps.limits.maxTextChars());
        return new LiveSession.Plan(newSessionId(), tenant, model, setup, endpoint.flavour(),
                SetupTranslator.manualActivity(config), resolved, null, false);
    }

    private LiveSession.Plan resumedPlan(SessionConfig config, LiveEndpoint endpoint, ResumeRecord record) {
        if (!record.tenant().equals(tenant)) {
            // Put it back: a token presented by the wrong tenant must not be burnt for its owner.
            deps.tokens.put(config.getResumeToken(), record).subscribe().with(v -> { }, e -> { });
            throw Status.PERMISSION_DENIED.withDescription("config.resume_token belongs to another tenant")
                    .asRuntimeException();
        }
        Setup setup;
        try {
            setup = Wire.readClient(record.setupJson().getBytes(StandardCharsets.UTF_8), false).setup();
        } catch (IOException e) {
            throw Status.INTERNAL.withDescription("stored session setup is unreadable").asRuntimeException();
        }
        List<ResolvedTool> tools = record.tools().stream().map(ConverseCall::parseTool).toList();
        boolean manual = setup.realtimeInputConfig() != null && setup.realtimeInputConfig().automaticActivityDetection() != null
                && Boolean.TRUE.equals(setup.realtimeInputConfig().automaticActivityDetection().disabled());
        LOG.infof("resuming session %s from a resume token", record.gatewaySessionId());
        return new LiveSession.Plan(newSessionId(), tenant, setup.model(), setup, endpoint.flavour(), manual, tools,
                record.handle(), true);
    }

    private static ResolvedTool parseTool(String nameAtVersion) {
        int at = nameAtVersion.lastIndexOf('@');
        return ResolvedTool.newBuilder().setName(nameAtVersion.substring(0, at))
                .setVersion(Long.parseLong(nameAtVersion.substring(at + 1))).build();
    }

    private void startSession(LiveSession.Plan plan, Lease lease) {
        if (cancelled || channel.closed()) {
            lease.release();
            releaseSessionSlot();
            return;
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
