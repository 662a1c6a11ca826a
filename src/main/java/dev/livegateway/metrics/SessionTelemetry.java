package dev.livegateway.metrics;

import dev.livegateway.api.v1.ResumeReason;
import dev.livegateway.api.v1.ServerEvent;
import dev.livegateway.session.LiveSession;
import dev.livegateway.session.SessionObserver;
import dev.livegateway.session.SessionOutcome;
import dev.livegateway.session.SessionPlan;
import dev.livegateway.toolrun.CallResult;
import dev.livegateway.tools.GatewayFunction;
import dev.livegateway.wire.ServerMessage;
import io.grpc.Status;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.LongAdder;
import org.jboss.logging.Logger;

/**
 * The session observer: turns what sessions report into {@link GatewayMetrics} meters and, when
 * tracing is on, {@link SessionTracing} spans. Keeps a little state per live session (its cached
 * meters, when the user's turn ended, its spans) in the session itself ({@link LiveSession#observerState}),
 * so the per-message hooks find it without a lookup; hooks run on the session's context and never throw.
 * {@code @Singleton}, not {@code @ApplicationScoped}: sessions call it several times per relayed
 * message, and a client proxy would look the instance up in the application context on every call;
 * nothing here needs a proxy (no interceptors, no lazy creation, no injection cycle).
 */
@Singleton
public class SessionTelemetry implements SessionObserver {

    private static final Logger LOG = Logger.getLogger(SessionTelemetry.class);

    private final GatewayMetrics metrics;
    private final SessionTracing tracing;
    private final FailureStatus statuses;
    private final RelayTimes relayTimes;

    SessionTelemetry(GatewayMetrics metrics, SessionTracing tracing, FailureStatus statuses, RelayTimes relayTimes) {
        this.metrics = metrics;
        this.relayTimes = relayTimes;
        this.tracing = tracing;
        this.statuses = statuses;
    }

    /** What is kept per session; touched only on the session's context. */
    private static final class Tracked {
        final GatewayMetrics.SessionMeters meters;
        final SessionTracing.SessionSpans spans;
        /** When the first unanswered user turn ended (System.nanoTime), or 0. */
        long turnEndedNanos;
        /** The counters of the last kind of caller event: a stream of audio chunks needs no lookup per chunk. */
        String lastKind;
        LongAdder[] lastKindCounts;

        Tracked(GatewayMetrics.SessionMeters meters, SessionTracing.SessionSpans spans) {
            this.meters = meters;
            this.spans = spans;
        }
    }

    @Override
    public void started(LiveSession session) {
        if (stateOf(session) != null) {
            return; // already observed
        }
        SessionPlan plan = session.plan();
        GatewayMetrics.SessionMeters meters = metrics.sessionMeters(plan.tenant(), metrics.modelTag(plan.model()),
                plan.front().tag());
        SessionTracing.SessionSpans spans = null;
        if (tracing.enabled()) {
            try {
                spans = tracing.sessionStarted(session);
            } catch (RuntimeException e) {
                LOG.debugf("could not start the session span: %s", e);
            }
        }
        session.observerState(new Tracked(meters, spans));
        meters.started();
    }

    @Override
    public void connected(LiveSession session, Duration connectTime) {
        metrics.upstreamConnected(connectTime);
        Tracked t = stateOf(session);
        if (t != null && t.spans != null) {
            tracing.connected(t.spans, session, connectTime);
        }
    }

    @Override
    public void clientMessage(LiveSession session, String kind, int bytes) {
        Tracked t = stateOf(session);
        if (t != null) {
            if (kind != t.lastKind) { // the kinds are enum names: the same instance every time
                t.lastKindCounts = t.meters.toUpstream(kind);
                t.lastKind = kind;
            }
            LongAdder[] counts = t.lastKindCounts;
            if (counts != null) {
                counts[0].increment();
                counts[1].add(bytes);
            }
        }
    }

    @Override
    public void serverMessage(LiveSession session) {
        Tracked t = stateOf(session);
        if (t != null) {
            t.meters.fromUpstream();
        }
    }

    @Override
    public void relayedToModel(long nanos) {
        relayTimes.toModel(nanos);
    }

    @Override
    public void relayedToCaller(long nanos) {
        relayTimes.toCaller(nanos);
    }

    @Override
    public void serverEvent(LiveSession session, ServerEvent event) {
        Tracked t = stateOf(session);
        if (t != null) {
            // memoized by protobuf: the gRPC marshaller already computed it when the event was sent
            t.meters.toCaller(event.getSerializedSize());
        }
    }

    @Override
    public void turnEnded(LiveSession session) {
        Tracked t = stateOf(session);
        if (t != null && t.turnEndedNanos == 0) {
            t.turnEndedNanos = System.nanoTime();
        }
    }

    @Override
    public void firstOutput(LiveSession session) {
        Tracked t = stateOf(session);
        if (t != null && t.turnEndedNanos != 0) {
            t.meters.firstOutput(System.nanoTime() - t.turnEndedNanos);
            t.turnEndedNanos = 0;
        }
    }

    @Override
    public void usage(LiveSession session, ServerMessage.UsageMetadata usage) {
        Tracked t = stateOf(session);
        if (t != null) {
            t.meters.usage(usage);
        }
    }

    @Override
    public void replayOverflow(LiveSession session) {
        metrics.replayOverflow();
    }

    @Override
    public void goAway(LiveSession session) {
        metrics.goAway();
    }

    @Override
    public void moving(LiveSession session, ResumeReason reason) {
        metrics.moving(reason);
        Tracked t = stateOf(session);
        if (t != null) {
            // a turn left unanswered by a dead connection would otherwise count the reconnect as model latency
            t.turnEndedNanos = 0;
            if (t.spans != null) {
                tracing.moving(t.spans, session, reason);
            }
        }
    }

    @Override
    public void resumed(LiveSession session, ResumeReason reason, int replayed, Duration took) {
        metrics.resumed(reason, replayed, took);
        Tracked t = stateOf(session);
        if (t != null && t.spans != null) {
            tracing.resumed(t.spans, session, reason, replayed, took);
        }
    }

    @Override
    public void stalled(LiveSession session) {
        metrics.stalled();
    }

    @Override
    public void gatewayToolStarted(LiveSession session, GatewayFunction function, String callId) {
        Tracked t = stateOf(session);
        if (t != null && t.spans != null) {
            try {
                tracing.toolStarted(t.spans, function.entry().name(), function.entry().version(), function.name(), callId);
            } catch (RuntimeException e) {
                LOG.debugf("could not start the tool call span: %s", e);
            }
        }
    }

    @Override
    public void gatewayToolFinished(LiveSession session, GatewayFunction function, String callId, CallResult result,
            Duration took) {
        metrics.toolRun(function.entry().name(), function.name(), result.outcome().tag(), took);
        Tracked t = stateOf(session);
        if (t != null && t.spans != null) {
            try {
                tracing.toolFinished(t.spans, callId, result.outcome().tag(), result.attempts(), result.error());
            } catch (RuntimeException e) {
                LOG.debugf("could not end the tool call span: %s", e);
            }
        }
    }

    @Override
    public void ended(LiveSession session, SessionOutcome outcome) {
        Tracked t = stateOf(session);
        if (t == null) {
            return;
        }
        session.observerState(null);
        Status.Code code = statusOf(outcome);
        t.meters.ended(code, Duration.between(session.startedAt(), Instant.now()));
        if (t.spans != null) {
            try {
                tracing.ended(t.spans, session, code.name(), outcome.error() != null && !outcome.cancelled());
            } catch (RuntimeException e) {
                LOG.debugf("could not end the session span: %s", e);
            }
        }
    }

    /** What {@link #started} kept in the session, or null when it was not started here or has ended. */
    private static Tracked stateOf(LiveSession session) {
        return session.observerState() instanceof Tracked t ? t : null;
    }

    /** The gRPC status the caller saw: OK, CANCELLED when the caller left, else the mapped error. */
    Status.Code statusOf(SessionOutcome outcome) {
        if (outcome.cancelled()) {
            return Status.Code.CANCELLED;
        }
        if (outcome.error() == null) {
            return Status.Code.OK;
        }
        try {
            return statuses.codeOf(outcome.error());
        } catch (RuntimeException e) {
            return Status.Code.INTERNAL;
        }
    }
}
