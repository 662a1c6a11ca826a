package dev.livegateway.admission;

import dev.livegateway.api.v1.SessionConfig;
import dev.livegateway.config.ModelsConfig;
import dev.livegateway.session.ModelRules;
import dev.livegateway.session.ResumeTokenStore;
import dev.livegateway.session.ResumeTokenStore.ResumeRecord;
import dev.livegateway.session.SessionPlan;
import dev.livegateway.tools.GatewayFunction;
import dev.livegateway.tools.ResolvedTools;
import dev.livegateway.tools.ToolRef;
import dev.livegateway.tools.ToolResolver;
import dev.livegateway.upstream.LiveEndpoint;
import io.grpc.Status;
import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The plan of a session resumed from a resume token (a new session's is
 * {@link FreshSessionPlanner}'s): the token taken from the store for the new stream (refused when
 * it is unknown, expired, already used or another tenant's), the conversation's plan restored from
 * the token's record under a new session id and its model's rules, and the gateway-run entries it
 * resolved, resolved again. Stateless; one per {@link SessionAdmission}, whose ticket keeps the
 * record it took.
 */
final class ResumedSessionPlanner {

    /** These lines were always the admission's: they keep its logging category. */
    private static final Logger LOG = Logger.getLogger(SessionAdmission.class);

    /** A resumed session's plan, and the resume token's record it was restored from. */
    record Resumed(SessionPlan plan, ResumeRecord taken) {}

    private final ResumeTokenStore tokens;
    private final ModelsConfig models;
    private final ToolResolver tools;

    ResumedSessionPlanner(ResumeTokenStore tokens, ModelsConfig models, ToolResolver tools) {
        this.tokens = tokens;
        this.models = models;
        this.tools = tools;
    }

    /**
     * Takes {@code config}'s resume token for a new session of {@code tenant} and plans the session
     * from its record with {@code planner}, under the model's rules. Fails with NOT_FOUND or
     * PERMISSION_DENIED when the token cannot be taken.
     */
    Uni<Resumed> resume(String tenant, SessionConfig config, LiveEndpoint endpoint,
            SessionAdmission.ResumePlanner planner) {
        String sessionId = FreshSessionPlanner.newSessionId();
        return tokens.take(config.getResumeToken(), tenant, sessionId).map(take -> {
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
            SessionPlan restored = planner.plan(config, endpoint, taken, sessionId);
            return new Resumed(restored.withRules(ModelRules.of(models, restored.model())), taken);
        });
    }

    /** The plan of a session resumed from a resume token's record: as it was, under a new id. */
    SessionPlan restored(String tenant, LiveEndpoint endpoint, ResumeRecord record, String sessionId) {
        SessionPlan plan;
        try {
            plan = record.restore(sessionId, tenant, endpoint.flavour());
        } catch (java.io.UncheckedIOException e) {
            throw Status.INTERNAL.withDescription("stored session setup is unreadable").asRuntimeException();
        }
        LOG.infof("resuming session %s from a resume token", record.gatewaySessionId());
        return plan;
    }

    /**
     * The gateway-run functions of a resumed session: it runs the gateway-run entries it resolved,
     * at the versions it resolved (the token's record keeps names and versions), resolved again; an
     * entry gone meanwhile leaves its calls to the caller rather than refusing the resumption.
     */
    Uni<Map<String, GatewayFunction>> gatewayFunctions(String tenant, SessionPlan plan) {
        List<ToolRef> refs = plan.tools().stream().map(t -> new ToolRef(t.getName(), t.getVersion())).toList();
        if (refs.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return tools.resolve(tenant, refs).onFailure().recoverWithItem(failure -> {
            LOG.warnf("the resumed session's tools no longer resolve (%s); its gateway-run tools are off",
                    failure.getMessage());
            return ResolvedTools.NONE;
        }).map(ResolvedTools::gatewayFunctions);
    }
}
