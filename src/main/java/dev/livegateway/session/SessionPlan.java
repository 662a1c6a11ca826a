package dev.livegateway.session;

import dev.livegateway.api.v1.ResolvedTool;
import dev.livegateway.wire.Flavour;
import dev.livegateway.wire.Setup;
import java.util.List;

/**
 * Everything fixed for the life of a {@link LiveSession}, except the system instruction and tools,
 * which context updates may change: {@link #setup()} is the first setup with the current ones.
 */
public record SessionPlan(String gatewaySessionId, String tenant, String model, Setup setup, Flavour flavour,
        boolean manualActivity, List<ResolvedTool> tools, String resumeHandle, boolean resumedFromToken,
        ConversationContext context, CallerFront front) {

    public SessionPlan(String gatewaySessionId, String tenant, String model, Setup setup, Flavour flavour,
            boolean manualActivity, List<ResolvedTool> tools, String resumeHandle, boolean resumedFromToken) {
        this(gatewaySessionId, tenant, model, setup, flavour, manualActivity, tools, resumeHandle, resumedFromToken,
                new ConversationContext());
    }

    public SessionPlan(String gatewaySessionId, String tenant, String model, Setup setup, Flavour flavour,
            boolean manualActivity, List<ResolvedTool> tools, String resumeHandle, boolean resumedFromToken,
            ConversationContext context) {
        this(gatewaySessionId, tenant, model, setup, flavour, manualActivity, tools, resumeHandle, resumedFromToken,
                context, CallerFront.GRPC);
    }

    /** The same plan for a caller of {@code newFront}. */
    public SessionPlan withFront(CallerFront newFront) {
        return new SessionPlan(gatewaySessionId, tenant, model, setup, flavour, manualActivity, tools, resumeHandle,
                resumedFromToken, context, newFront);
    }

    /** The setup for a (new) connection: the first one with the conversation's current context. */
    @Override
    public Setup setup() {
        return context.applyTo(setup);
    }
}
