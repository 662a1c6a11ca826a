package dev.livegateway.session;

import dev.livegateway.api.v1.ResolvedTool;
import dev.livegateway.wire.Flavour;
import dev.livegateway.wire.Setup;
import java.util.List;

/**
 * Everything fixed for the life of a {@link LiveSession}, except the system instruction and tools,
 * which context updates may change: {@link #setup()} is the first setup with the current ones.
 * {@code rules} are the model's entry of the capability table (what it accepts, its default
 * function behaviour, background reasoning); {@code front} the front the caller came through;
 * {@code upstreamTarget} the pool target holding the conversation when it continues one from a resume
 * token (it must resume there), else null (the pool places it).
 */
public record SessionPlan(String gatewaySessionId, String tenant, String model, Setup setup, Flavour flavour,
        boolean manualActivity, List<ResolvedTool> tools, String resumeHandle, boolean resumedFromToken,
        ConversationContext context, ModelRules rules, CallerFront front, String upstreamTarget) {

    /** A plan whose model the capability table does not know (nothing checked), before any context update. */
    public SessionPlan(String gatewaySessionId, String tenant, String model, Setup setup, Flavour flavour,
            boolean manualActivity, List<ResolvedTool> tools, String resumeHandle, boolean resumedFromToken) {
        this(gatewaySessionId, tenant, model, setup, flavour, manualActivity, tools, resumeHandle, resumedFromToken,
                new ConversationContext(), ModelRules.UNCHECKED, CallerFront.GRPC, null);
    }

    /** A new plan under the model's rules, before any context update. */
    public SessionPlan(String gatewaySessionId, String tenant, String model, Setup setup, Flavour flavour,
            boolean manualActivity, List<ResolvedTool> tools, String resumeHandle, boolean resumedFromToken,
            ModelRules rules) {
        this(gatewaySessionId, tenant, model, setup, flavour, manualActivity, tools, resumeHandle, resumedFromToken,
                new ConversationContext(), rules, CallerFront.GRPC, null);
    }

    /** The same plan under the model's rules. */
    public SessionPlan withRules(ModelRules modelRules) {
        return new SessionPlan(gatewaySessionId, tenant, model, setup, flavour, manualActivity, tools, resumeHandle,
                resumedFromToken, context, modelRules, front, upstreamTarget);
    }

    /** The same plan for a caller of {@code newFront}. */
    public SessionPlan withFront(CallerFront newFront) {
        return new SessionPlan(gatewaySessionId, tenant, model, setup, flavour, manualActivity, tools, resumeHandle,
                resumedFromToken, context, rules, newFront, upstreamTarget);
    }

    /** The same plan bound to the upstream target holding its conversation (resumed from a token). */
    public SessionPlan withUpstreamTarget(String target) {
        return new SessionPlan(gatewaySessionId, tenant, model, setup, flavour, manualActivity, tools, resumeHandle,
                resumedFromToken, context, rules, front, target);
    }

    /** The setup for a (new) connection: the first one with the conversation's current context. */
    @Override
    public Setup setup() {
        return context.applyTo(setup);
    }
}
