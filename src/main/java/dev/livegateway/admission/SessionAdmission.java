package dev.livegateway.admission;

import dev.livegateway.api.v1.SessionConfig;
import dev.livegateway.config.LabelsConfig;
import dev.livegateway.config.LimitsConfig;
import dev.livegateway.config.ModelsConfig;
import dev.livegateway.config.SessionSettings;
import dev.livegateway.config.UpstreamConfig;
import dev.livegateway.metrics.GatewayMetrics;
import dev.livegateway.quota.AdmissionRequest;
import dev.livegateway.quota.Lease;
import dev.livegateway.quota.QuotaService;
import dev.livegateway.session.CallerAudio;
import dev.livegateway.session.CallerChannel;
import dev.livegateway.session.CallerFront;
import dev.livegateway.session.ClientEventTranslator;
import dev.livegateway.session.InputBudget;
import dev.livegateway.session.LiveSession;
import dev.livegateway.session.ReplicaFullException;
import dev.livegateway.session.ResumeTokenStore;
import dev.livegateway.session.ResumeTokenStore.ResumeRecord;
import dev.livegateway.session.SessionObserver;
import dev.livegateway.session.SessionPlan;
import dev.livegateway.session.SessionLabels;
import dev.livegateway.session.SessionRegistry;
import dev.livegateway.session.SessionUnavailableException;
import dev.livegateway.session.SetupTranslator;
import dev.livegateway.session.GatewayTools;
import dev.livegateway.toolrun.GatewayToolCalls;
import dev.livegateway.tools.GatewayFunction;
import dev.livegateway.tools.ResolvedTools;
import dev.livegateway.tools.ToolRef;
import dev.livegateway.tools.ToolResolver;
import dev.livegateway.upstream.LiveEndpoint;
import dev.livegateway.upstream.LiveEndpoints;
import dev.livegateway.upstream.UpstreamPool;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.Locale;
import java.util.Map;

/**
 * How a caller's stream gets its session, whichever front it came through (gRPC Converse, the
 * Live-API-compatible WebSocket): the front authenticates the caller's tenant; then validate the
 * {@link SessionConfig} → resolve its tools (or take its resume token) → take a quota lease →
 * start the {@link LiveSession}; the plans themselves are {@link FreshSessionPlanner}'s and
 * {@link ResumedSessionPlanner}'s. Also the replica's gates before the first event: draining, the
 * tenant's streams without config ({@link UnconfiguredStreams}), the session slots
 * ({@link SessionSlots}). The streams themselves are the fronts'.
 */
@ApplicationScoped
public class SessionAdmission {

    private final StatusMapper statuses;
    private final LimitsConfig limits;
    private final SessionSettings sessionSettings;
    private final ResumeTokenStore tokens;
    private final UpstreamPool pool;
    private final SessionRegistry registry;
    private final SessionObserver observer;
    private final ToolResolver tools;
    private final QuotaService quota;
    private final GatewayMetrics metrics;
    private final InputBudget inputBudget;
    /** The model capability table (live-gateway.models). */
    private final ModelsConfig models;
    /** The labels policy (live-gateway.labels). */
    private final SessionLabels labels;
    /** Runs the functions of the registry's gateway-run entries ({@code http}, {@code mcp}). */
    private final GatewayToolCalls gatewayCalls;
    /** Where a new session goes and what its setup is. */
    private final FreshSessionPlanner freshPlanner;
    /** What a resume token restores. */
    private final ResumedSessionPlanner resumedPlanner;
    /** Sessions admitted or being admitted on this replica, against {@code live-gateway.limits.max-sessions}. */
    private final SessionSlots slots;
    /** The tenants' streams that have not sent their SessionConfig yet. */
    private final UnconfiguredStreams unconfigured;

    public SessionAdmission(StatusMapper statuses, LiveEndpoints endpoints, UpstreamConfig upstream, LimitsConfig limits,
            SessionSettings sessionSettings, ResumeTokenStore tokens, UpstreamPool pool,
            SessionRegistry registry, Instance<SessionObserver> observer, ToolResolver tools,
            QuotaService quota, GatewayMetrics metrics, InputBudget inputBudget, ModelsConfig models,
            LabelsConfig labels, GatewayToolCalls gatewayCalls) {
        this.slots = new SessionSlots(limits.maxSessions());
        this.statuses = statuses;
        this.limits = limits;
        this.sessionSettings = sessionSettings;
        this.tokens = tokens;
        this.pool = pool;
        this.registry = registry;
        this.observer = observer.isResolvable() ? observer.get() : SessionObserver.NONE;
        this.tools = tools;
        this.quota = quota;
        this.metrics = metrics;
        this.inputBudget = inputBudget;
        this.models = models;
        this.labels = new SessionLabels(labels);
        this.gatewayCalls = gatewayCalls;
        this.freshPlanner = new FreshSessionPlanner(endpoints, upstream, limits, models, this.labels, pool);
        this.resumedPlanner = new ResumedSessionPlanner(tokens, models, tools);
        this.unconfigured = new UnconfiguredStreams(limits);
    }

    /** Fails start-up with every session and limits configuration problem, each naming its property. */
    void validate(@Observes StartupEvent start) {
        List<String> problems = new ArrayList<>(sessionSettings.problems());
        problems.addAll(models.problems());
        problems.addAll(labels.problems());
        problems.addAll(unconfigured.problems());
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Invalid session configuration:\n  - " + String.join("\n  - ", problems));
        }
    }

    // ---- the gates a stream passes before its first event (the front authenticated its tenant)

    /**
     * Refuses the stream when this replica is draining (counted as {@code draining}); null when it
     * may go on.
     */
    public SessionUnavailableException refuseWhileDraining(String tenant, CallerFront front) {
        if (!registry.draining()) {
            return null;
        }
        metrics.refused(tenant, "draining", front.tag());
        return drainingRefusal();
    }

    /**
     * Whether this replica is draining, for a front that must decide before it knows the tenant
     * (a session token is not spent on a replica that would refuse its session).
     */
    public boolean draining() {
        return registry.draining();
    }

    /** The refusal of a new stream while draining (UNAVAILABLE, 1013 on the WebSocket front). */
    public static SessionUnavailableException drainingRefusal() {
        return new SessionUnavailableException("this gateway replica is draining (shutting down) and admits no new"
                + " sessions; retry on another replica (a new connection reaches one)");
    }

    public Duration firstEventTimeout() {
        return limits.firstEventTimeout();
    }

    /** Streams of {@code tenant} open without config (diagnostics and tests). */
    public int unconfigured(String tenant) {
        return unconfigured.count(tenant);
    }

    // ---- validate → resolve tools (or take the resume token) → lease → session

    /** The admission of one stream's config: owns its session slot and the resume token it took. */
    public Ticket ticket(String tenant, CallerFront front) {
        return new Ticket(tenant, front);
    }

    /** Builds the plan of a resumed session from the record its resume token restores. */
    @FunctionalInterface
    public interface ResumePlanner {
        SessionPlan plan(SessionConfig config, LiveEndpoint endpoint, ResumeRecord record, String sessionId);
    }

    /** A stream admitted: its session's plan, its quota lease and the resume token's record it took (or null). */
    public record Admitted(SessionPlan plan, Lease lease, ResumeRecord taken) {}

    public final class Ticket {

        private final String tenant;
        private final CallerFront front;
        private boolean holdsSessionSlot;
        /** A resume token's record taken from the store while this stream is being admitted. */
        private volatile ResumeRecord takenToken;
        private volatile String pendingToken;
        /** The stream's audio formats, checked with the config. */
        private volatile CallerAudio audio = CallerAudio.undeclared();
        private ClientEventTranslator translator;
        /** The gateway-run functions of the session's tools, by name; the admitted session, once started. */
        private volatile Map<String, GatewayFunction> gatewayFunctions = Map.of();
        private volatile LiveSession admittedSession;
        /** The stream's wait for its first event, among the tenant's streams without config. */
        private final UnconfiguredStreams.FirstEventWait firstEvent;

        private Ticket(String tenant, CallerFront front) {
            this.tenant = tenant;
            this.front = front;
            this.firstEvent = unconfigured.stream(tenant);
        }

        /**
         * The stream waits for its first event: it counts among the tenant's streams without config
         * until {@link #firstEventArrived()}, which must come within {@code first-event-timeout}, else
         * {@code timedOut} runs on {@code context} with the refusal (the count already given back).
         * Returns the refusal, counting nothing, when the tenant's limit is reached. Call on {@code context}.
         */
        public UnconfiguredStreamException awaitFirstEvent(Context context,
                Consumer<UnconfiguredStreamException> timedOut) {
            return firstEvent.await(context, timedOut);
        }

        /** The stream's first event arrived, or the stream ended: it no longer counts as without config. Idempotent. */
        public void firstEventArrived() {
            firstEvent.arrived();
        }

        /** The admitted session's event translator (null before {@link #session}). */
        public ClientEventTranslator translator() {
            return translator;
        }

        /**
         * The registry tools a context update names, resolved for this stream's tenant exactly as
         * the config's tools are (NOT_FOUND, PERMISSION_DENIED, INVALID_ARGUMENT on conflicts).
         */
        public Uni<List<dev.livegateway.wire.Tool>> contextTools(List<dev.livegateway.tools.ToolRef> refs) {
            return tools.resolve(tenant, refs).invoke(resolved -> {
                LiveSession session = admittedSession;
                if (session != null) {
                    session.gatewayFunctionsDeclared(resolved.gatewayFunctions());
                }
            }).map(ResolvedTools::setupTools);
        }

        /**
         * Validates the config, resolves its tools or takes its resume token, and takes the quota
         * lease. A failure is not counted yet: it is for {@link #refuse}.
         */
        public Uni<Admitted> admit(SessionConfig config) {
            return admit(config, (ignored, endpoint, record, sessionId) ->
                    resumedPlanner.restored(tenant, endpoint, record, sessionId));
        }

        /** {@link #admit(SessionConfig)} with the caller's own planning of a resumed session. */
        public Uni<Admitted> admit(SessionConfig config, ResumePlanner resumed) {
            if (!slots.take()) {
                return Uni.createFrom().failure(new ReplicaFullException(limits.maxSessions(), Duration.ofSeconds(1)));
            }
            holdsSessionSlot = true;
            LiveEndpoint endpoint;
            Uni<SessionPlan> plan;
            try {
                endpoint = freshPlanner.planningEndpoint(tenant, config);
                audio = CallerAudio.of(config);
                plan = (config.getResumeToken().isEmpty() ? fresh(config, endpoint) : resume(config, endpoint, resumed))
                        .map(p -> p.withFront(front));
            } catch (RuntimeException e) {
                return Uni.createFrom().failure(e);
            }
            return plan.chain(this::gatewayFunctionsOfResumed).chain(p -> quota.admit(new AdmissionRequest(p.gatewaySessionId(), tenant,
                            endpoint.poolKey(p.model()), p.model())).map(lease -> new Admitted(p, lease, takenToken)));
        }

        private Uni<SessionPlan> fresh(SessionConfig config, LiveEndpoint endpoint) {
            String model = freshPlanner.callerModel(config, endpoint);
            List<ToolRef> refs = SetupTranslator.toolRefs(config);
            Uni<ResolvedTools> resolved = refs.isEmpty() ? Uni.createFrom().item(ResolvedTools.NONE)
                    : tools.resolve(tenant, refs);
            return resolved.map(r -> {
                gatewayFunctions = r.gatewayFunctions();
                return freshPlanner.freshPlan(tenant, config, endpoint, model, r);
            });
        }

        /** A resumed session's gateway-run functions, resolved again (see ResumedSessionPlanner). */
        private Uni<SessionPlan> gatewayFunctionsOfResumed(SessionPlan plan) {
            if (!plan.resumedFromToken()) {
                return Uni.createFrom().item(plan);
            }
            return resumedPlanner.gatewayFunctions(tenant, plan).map(functions -> {
                gatewayFunctions = functions;
                return plan;
            });
        }

        private Uni<SessionPlan> resume(SessionConfig config, LiveEndpoint endpoint, ResumePlanner resumed) {
            pendingToken = config.getResumeToken();
            return resumedPlanner.resume(tenant, config, endpoint, resumed).map(r -> {
                takenToken = r.taken();
                return r.plan();
            });
        }

        /** Counts and cleans up a stream that was not admitted; a resume token taken for it stays usable. */
        public void refuse(Throwable failure) {
            giveBack();
            metrics.refused(tenant, statuses.map(failure).reason().toLowerCase(Locale.ROOT), front.tag());
        }

        /**
         * Refuses an admitted stream because the replica began draining meanwhile (it would miss the
         * drain's GoingAway): the lease is released and the refusal returned for the caller.
         */
        public SessionUnavailableException refuseDraining(Admitted admitted) {
            admitted.lease().release();
            SessionUnavailableException refusal = drainingRefusal();
            refuse(refusal);
            return refusal;
        }

        /** Whether the replica began draining while the stream was admitted. */
        public boolean draining() {
            return registry.draining();
        }

        private void giveBack() {
            releaseSessionSlot();
            ResumeRecord taken = takenToken;
            if (taken != null) {
                takenToken = null;
                tokens.put(pendingToken, taken).subscribe().with(v -> { }, e -> { });
            }
        }

        /**
         * The admitted stream's session, not started yet: registered, and owning the slot and the
         * lease until it ends; a lease terminated by the store or an operator revokes it. Null when
         * the caller left meanwhile: then the lease and the slot are given back and the resume token
         * stays its original stream's.
         */
        public LiveSession session(Admitted admitted, Context context, CallerChannel channel, boolean callerGone) {
            metrics.admitted(tenant, front.tag());
            SessionPlan plan = admitted.plan();
            Lease lease = admitted.lease();
            if (callerGone) {
                lease.release();
                giveBack();
                return null;
            }
            takenToken = null;
            if (admitted.taken() != null) {
                // One Live session, one stream: the stream that owned the token ends (on another
                // replica it learns at its next save, which the store refuses).
                registry.find(admitted.taken().gatewaySessionId())
                        .ifPresent(original -> original.resumedElsewhere(plan.gatewaySessionId()));
            }
            ClientEventTranslator translator = new ClientEventTranslator(limits, plan.manualActivity(), audio,
                    plan.context());
            this.translator = translator;
            LiveSession session = new LiveSession(plan, context, channel, pool, tokens, translator,
                    sessionSettings, limits.callerBufferEvents(), limits.inboundWindowEvents(), observer, inputBudget,
                    new GatewayTools(gatewayCalls, gatewayFunctions));
            admittedSession = session;
            registry.add(session);
            session.onEnd(outcome -> releaseSessionSlot());
            // The lease lives exactly as long as the session, however it ends.
            session.onEnd(outcome -> lease.release());
            lease.onTerminated(termination -> session.revoke(new LeaseTerminatedException(termination)));
            return session;
        }

        private void releaseSessionSlot() {
            if (holdsSessionSlot) {
                holdsSessionSlot = false;
                slots.giveBack();
            }
        }
    }

}
