package dev.livegateway.session;

import dev.livegateway.api.v1.ResolvedTool;
import dev.livegateway.wire.Flavour;
import dev.livegateway.wire.Setup;
import java.util.List;

/** Everything fixed for the life of a {@link LiveSession}. */
public record SessionPlan(String gatewaySessionId, String tenant, String model, Setup setup, Flavour flavour,
        boolean manualActivity, List<ResolvedTool> tools, String resumeHandle, boolean resumedFromToken) {}
