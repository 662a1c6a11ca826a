package dev.livegateway.metrics;

import dev.livegateway.api.v1.ResumeReason;
import dev.livegateway.session.LiveSession;
import dev.livegateway.session.SessionPlan;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * OpenTelemetry spans for sessions: one {@code live-gateway.session} span per Converse stream and,
 * inside it, one {@code live-gateway.upstream-connection} span per Live API connection (the first
 * and each resumption). Off unless {@code quarkus.otel.sdk.disabled=false}; then no work at all.
 */
@ApplicationScoped
public class SessionTracing {

    static final AttributeKey<String> TENANT = AttributeKey.stringKey("live_gateway.tenant");
    static final AttributeKey<String> MODEL = AttributeKey.stringKey("live_gateway.model");
    static final AttributeKey<String> FRONT = AttributeKey.stringKey("live_gateway.front");
    static final AttributeKey<String> SESSION_ID = AttributeKey.stringKey("live_gateway.session_id");
    static final AttributeKey<String> UPSTREAM_SESSION_ID = AttributeKey.stringKey("live_gateway.upstream_session_id");
    static final AttributeKey<String> UPSTREAM_TARGET = AttributeKey.stringKey("live_gateway.upstream_target");
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("live_gateway.outcome");
    static final AttributeKey<Boolean> RESUMED_FROM_TOKEN = AttributeKey.booleanKey("live_gateway.resumed_from_token");
    static final AttributeKey<Long> CONNECTION = AttributeKey.longKey("live_gateway.connection");
    static final AttributeKey<String> OPENED_FOR = AttributeKey.stringKey("live_gateway.connection.opened_for");
    static final AttributeKey<String> ENDED_BY = AttributeKey.stringKey("live_gateway.connection.ended_by");
    static final AttributeKey<Long> CONNECT_MS = AttributeKey.longKey("live_gateway.connect_ms");
    static final AttributeKey<Long> REPLAYED = AttributeKey.longKey("live_gateway.replayed_messages");
    static final AttributeKey<String> TOOL = AttributeKey.stringKey("live_gateway.tool");
    static final AttributeKey<Long> TOOL_VERSION = AttributeKey.longKey("live_gateway.tool_version");
    static final AttributeKey<String> FUNCTION = AttributeKey.stringKey("live_gateway.function");
    static final AttributeKey<String> CALL_ID = AttributeKey.stringKey("live_gateway.call_id");
    static final AttributeKey<Long> ATTEMPTS = AttributeKey.longKey("live_gateway.attempts");

    private final Tracer tracer;
    private final boolean enabled;

    SessionTracing(Tracer tracer,
            @ConfigProperty(name = "quarkus.otel.sdk.disabled", defaultValue = "false") boolean sdkDisabled,
            @ConfigProperty(name = "quarkus.otel.traces.enabled", defaultValue = "true") boolean tracesEnabled) {
        this.tracer = tracer;
        this.enabled = !sdkDisabled && tracesEnabled;
    }

    public boolean enabled() {
        return enabled;
    }

    /** The spans of one session; mutated on the session's context only. */
    static final class SessionSpans {
        final Span session;
        Span connection;
        long connections;
        /** Spans of gateway-run tool calls in flight, by call id. */
        final java.util.Map<String, Span> tools = new java.util.HashMap<>();

        SessionSpans(Span session) {
            this.session = session;
        }
    }

    SessionSpans sessionStarted(LiveSession session) {
        SessionPlan plan = session.plan();
        Span span = tracer.spanBuilder("live-gateway.session")
                .setSpanKind(SpanKind.INTERNAL)
                .setAttribute(TENANT, plan.tenant())
                .setAttribute(MODEL, GatewayMetrics.modelId(plan.model()))
                .setAttribute(SESSION_ID, plan.gatewaySessionId())
                .setAttribute(FRONT, plan.front().tag())
                .setAttribute(RESUMED_FROM_TOKEN, plan.resumedFromToken())
                .startSpan();
        SessionSpans spans = new SessionSpans(span);
        openConnection(spans, session, "start");
        return spans;
    }

    void connected(SessionSpans spans, LiveSession session, Duration connectTime) {
        if (session.upstreamTarget() != null) {
            spans.session.setAttribute(UPSTREAM_TARGET, session.upstreamTarget());
        }
        if (spans.connection != null) {
            spans.connection.setAttribute(CONNECT_MS, connectTime.toMillis());
            spans.connection.addEvent("setupComplete");
        }
    }

    void moving(SessionSpans spans, LiveSession session, ResumeReason reason) {
        String why = GatewayMetrics.reasonTag(reason);
        closeConnection(spans, why, reason == ResumeReason.RESUME_REASON_GO_AWAY ? StatusCode.UNSET : StatusCode.ERROR);
        spans.session.addEvent("moving", Attributes.of(ENDED_BY, why));
        openConnection(spans, session, why);
    }

    void resumed(SessionSpans spans, LiveSession session, ResumeReason reason, int replayed, Duration took) {
        if (spans.connection != null) {
            spans.connection.setAttribute(CONNECT_MS, took.toMillis());
            spans.connection.setAttribute(REPLAYED, (long) replayed);
            spans.connection.addEvent("setupComplete");
        }
        spans.session.addEvent("resumed", Attributes.of(OPENED_FOR, GatewayMetrics.reasonTag(reason),
                REPLAYED, (long) replayed));
    }

    /** A {@code live-gateway.tool-call} span in the session's trace for a gateway-run call. */
    void toolStarted(SessionSpans spans, String tool, long version, String function, String callId) {
        spans.tools.put(callId, tracer.spanBuilder("live-gateway.tool-call")
                .setParent(Context.current().with(spans.session))
                .setSpanKind(SpanKind.CLIENT)
                .setAttribute(TOOL, tool)
                .setAttribute(TOOL_VERSION, version)
                .setAttribute(FUNCTION, function)
                .setAttribute(CALL_ID, callId)
                .startSpan());
    }

    void toolFinished(SessionSpans spans, String callId, String outcome, int attempts, String error) {
        Span span = spans.tools.remove(callId);
        if (span == null) {
            return;
        }
        span.setAttribute(OUTCOME, outcome);
        span.setAttribute(ATTEMPTS, (long) attempts);
        if (!"ok".equals(outcome) && !"cancelled".equals(outcome)) {
            span.setStatus(StatusCode.ERROR, error);
        }
        span.end();
    }

    void ended(SessionSpans spans, LiveSession session, String status, boolean error) {
        spans.tools.values().forEach(span -> span.setAttribute(OUTCOME, "session_ended").end());
        spans.tools.clear();
        closeConnection(spans, "session_end", error ? StatusCode.ERROR : StatusCode.UNSET);
        Span span = spans.session;
        span.setAttribute(OUTCOME, status);
        span.setAttribute(SESSION_ID, session.id());
        if (error) {
            span.setStatus(StatusCode.ERROR, status);
        }
        span.end();
    }

    private void openConnection(SessionSpans spans, LiveSession session, String openedFor) {
        SessionPlan plan = session.plan();
        spans.connections++;
        spans.connection = tracer.spanBuilder("live-gateway.upstream-connection")
                .setParent(Context.current().with(spans.session))
                .setSpanKind(SpanKind.CLIENT)
                .setAttribute(TENANT, plan.tenant())
                .setAttribute(MODEL, GatewayMetrics.modelId(plan.model()))
                .setAttribute(CONNECTION, spans.connections)
                .setAttribute(OPENED_FOR, openedFor)
                .setStartTimestamp(System.currentTimeMillis(), TimeUnit.MILLISECONDS)
                .startSpan();
    }

    private static void closeConnection(SessionSpans spans, String endedBy, StatusCode status) {
        if (spans.connection == null) {
            return;
        }
        spans.connection.setAttribute(ENDED_BY, endedBy);
        if (status == StatusCode.ERROR) {
            spans.connection.setStatus(StatusCode.ERROR, endedBy);
        }
        spans.connection.end();
        spans.connection = null;
    }
}
