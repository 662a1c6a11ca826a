package dev.livegateway.admission;

import dev.livegateway.api.v1.ResolvedTool;
import dev.livegateway.api.v1.SessionConfig;
import dev.livegateway.api.v1.ToolRunner;
import dev.livegateway.config.LimitsConfig;
import dev.livegateway.config.ModelsConfig;
import dev.livegateway.config.UpstreamConfig;
import dev.livegateway.session.InvalidClientEventException;
import dev.livegateway.session.ModelRules;
import dev.livegateway.session.SessionLabels;
import dev.livegateway.session.SessionPlan;
import dev.livegateway.session.SetupTranslator;
import dev.livegateway.tools.ResolvedToolVersion;
import dev.livegateway.tools.ResolvedTools;
import dev.livegateway.upstream.LiveEndpoint;
import dev.livegateway.upstream.LiveEndpoints;
import dev.livegateway.upstream.UpstreamPool;
import dev.livegateway.wire.Setup;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The plan of a new session (one resumed from a token is {@link ResumedSessionPlanner}'s): the
 * endpoint its setup is written for, its qualified model, its Live API setup checked against the
 * model's capabilities before any connection, and its labels. Stateless; one per
 * {@link SessionAdmission}.
 */
final class FreshSessionPlanner {

    private final LiveEndpoints endpoints;
    private final UpstreamConfig upstream;
    private final LimitsConfig limits;
    private final ModelsConfig models;
    private final SessionLabels labels;
    private final UpstreamPool pool;

    FreshSessionPlanner(LiveEndpoints endpoints, UpstreamConfig upstream, LimitsConfig limits, ModelsConfig models,
            SessionLabels labels, UpstreamPool pool) {
        this.endpoints = endpoints;
        this.upstream = upstream;
        this.limits = limits;
        this.models = models;
        this.labels = labels;
        this.pool = pool;
    }

    /**
     * The endpoint a new session's setup is planned for: the single upstream's, or in a pool of
     * targets the first that serves the model and tenant (the pool adapts the setup to the target
     * it places the session on). A resumed session's is the single upstream's (its stored setup
     * names its model; the pool sends it back to its own target).
     */
    LiveEndpoint planningEndpoint(String tenant, SessionConfig config) {
        if (!pool.pooled() || !config.getResumeToken().isEmpty()) {
            return endpoints.endpoint();
        }
        String requested = SetupTranslator.requestedModel(config, upstream.defaultModel());
        String modelId = requested.substring(requested.lastIndexOf('/') + 1);
        try {
            return pool.planningEndpoint(tenant, modelId);
        } catch (IllegalArgumentException e) {
            throw new InvalidClientEventException("config.model", e.getMessage());
        }
    }

    /**
     * The qualified model of a new session: the operator's default model, or the caller's, which
     * may only name what this gateway is configured to use (no other project or publisher).
     */
    String callerModel(SessionConfig config, LiveEndpoint endpoint) {
        String requested = SetupTranslator.requestedModel(config, upstream.defaultModel());
        if (config.getModel().isBlank()) {
            return endpoint.qualifyModel(requested);
        }
        try {
            return endpoint.qualifyCallerModel(requested, endpoints.allowedModelPrefixes());
        } catch (IllegalArgumentException e) {
            throw new InvalidClientEventException("config.model", e.getMessage());
        }
    }

    /** The plan of a new session: its setup from the config, checked against the model's capabilities, with its labels. */
    SessionPlan freshPlan(String tenant, SessionConfig config, LiveEndpoint endpoint, String model,
            ResolvedTools resolvedTools) {
        List<ResolvedTool> resolved = resolvedTools.versions().stream()
                .map(v -> ResolvedTool.newBuilder().setName(v.name()).setVersion(v.version())
                        .setRunner(runner(v)).build()).toList();
        Setup setup = SetupTranslator.toSetup(config, model, resolvedTools.setupTools(), endpoint.flavour(),
                limits.maxTextChars(), limits.maxVideoFrameBytes());
        // What the model would refuse with 1007 is refused now, before any Live API connection.
        ModelRules rules = ModelRules.of(models, model);
        try {
            rules.check(setup);
        } catch (InvalidClientEventException refused) {
            throw inCallerTerms(refused);
        }
        // The operator's labels for cost attribution, with what the caller may add (never overriding them).
        setup = setup.withLabels(labels.labels(tenant, resolved, setup.labels() == null ? Map.of() : setup.labels()));
        return new SessionPlan(newSessionId(), tenant, model, setup, endpoint.flavour(),
                SetupTranslator.manualActivity(config), resolved, null, false, rules);
    }

    private static ToolRunner runner(ResolvedToolVersion version) {
        return version.gatewayRun() ? ToolRunner.TOOL_RUNNER_GATEWAY
                : version.callerRun() ? ToolRunner.TOOL_RUNNER_CALLER : ToolRunner.TOOL_RUNNER_GOOGLE;
    }

    /** Live API setup fields the capability table checks, and the SessionConfig fields a gRPC caller sets them with. */
    private static final List<String[]> CALLER_FIELDS = List.of(
            new String[] {"generationConfig.thinkingConfig.thinkingLevel", "config.generation.thinking.thinking_level"},
            new String[] {"generationConfig.thinkingConfig.thinkingBudget", "config.generation.thinking.thinking_budget"},
            new String[] {"generationConfig.thinkingConfig", "config.generation.thinking"},
            new String[] {"generationConfig.enableAffectiveDialog", "config.affective_dialog"},
            new String[] {"proactivity.proactiveAudio", "config.proactive_audio"});

    /**
     * A capability-table refusal named in the caller's terms: the SessionConfig field first, the
     * Live API field after it (functions come from registry tools: their Live API path stays).
     */
    static InvalidClientEventException inCallerTerms(InvalidClientEventException refused) {
        String wire = refused.field();
        for (String[] names : CALLER_FIELDS) {
            if (names[0].equals(wire)) {
                String what = refused.getMessage().substring(wire.length() + 2);
                return new InvalidClientEventException(names[1], what + " [Live API " + wire + "]");
            }
        }
        return refused;
    }

    /** A new gateway session id. */
    static String newSessionId() {
        return "lg-" + UUID.randomUUID();
    }
}
