package dev.livegateway.metrics;

import dev.livegateway.api.v1.ClientEvent;
import dev.livegateway.api.v1.ResumeReason;
import dev.livegateway.config.ModelsConfig;
import dev.livegateway.config.UpstreamConfig;
import dev.livegateway.wire.ServerMessage;
import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The gateway's Prometheus meters (all named {@code live_gateway_*}, see docs/operations.md).
 * Tags stay low-cardinality: tenant, model id, reason, status, message kind; never a session id.
 * The model tag is one of the configured models ({@code live-gateway.upstream.models}) or {@code other}.
 * Meters of a tenant or tenant+model are created once and cached, so the per-message path is a map
 * lookup and a counter increment. Created at start-up so the global meters are scraped from the first scrape on.
 */
@Startup
@ApplicationScoped
public class GatewayMetrics {

    static final String PREFIX = "live_gateway_";

    /** Latency buckets for connect and first-output timers, in seconds. */
    private static final Duration[] LATENCY_BUCKETS = {
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofMillis(750), Duration.ofSeconds(1), Duration.ofMillis(1500), Duration.ofSeconds(2),
        Duration.ofSeconds(3), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)
    };

    private final MeterRegistry registry;
    private final Timer upstreamConnect;
    private final Counter stalls;
    private final Counter goAways;
    private final Counter replayOverflows;
    private final Counter replayedMessages;
    private final Map<ResumeReason, Counter> resumeAttempts = new EnumMap<>(ResumeReason.class);
    private final Map<ResumeReason, Counter> resumptions = new EnumMap<>(ResumeReason.class);
    private final Map<ResumeReason, Timer> resumeDuration = new EnumMap<>(ResumeReason.class);
    private final ConcurrentMap<String, TenantMeters> tenants = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, SessionMeters> groups = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> admissions = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> toolRuns = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Timer> toolRunDurations = new ConcurrentHashMap<>();

    /** Model ids that get their own {@code model} tag value; every other model is {@code other}. */
    private final Set<String> knownModels;

    public GatewayMetrics(MeterRegistry registry, UpstreamConfig upstream, ModelsConfig table) {
        this.registry = registry;
        Set<String> known = new HashSet<>(upstream.models());
        known.addAll(table.models().keySet());
        known.add(modelId(upstream.defaultModel()));
        this.knownModels = Set.copyOf(known);
        this.upstreamConnect = Timer.builder(PREFIX + "upstream_connect")
                .description("Time to open a Live API connection for a new session, until setupComplete (retries included)")
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .register(registry);
        this.stalls = Counter.builder(PREFIX + "stalls")
                .description("User turns the Live API did not answer within the stall timeout")
                .register(registry);
        this.goAways = Counter.builder(PREFIX + "upstream_go_aways")
                .description("goAway messages received from the Live API")
                .register(registry);
        this.replayOverflows = Counter.builder(PREFIX + "replay_overflow")
                .description("Unconfirmed caller messages dropped because the replay buffer was full")
                .register(registry);
        this.replayedMessages = Counter.builder(PREFIX + "replayed_messages")
                .description("Unconfirmed caller messages replayed on a new connection after a resumption")
                .register(registry);
        for (ResumeReason reason : ResumeReason.values()) {
            if (reason == ResumeReason.UNRECOGNIZED || reason == ResumeReason.RESUME_REASON_UNSPECIFIED) {
                continue;
            }
            String tag = reasonTag(reason);
            resumeAttempts.put(reason, Counter.builder(PREFIX + "resume_attempts")
                    .description("Sessions that started moving to a new Live API connection, by reason")
                    .tag("reason", tag).register(registry));
            resumptions.put(reason, Counter.builder(PREFIX + "resumptions")
                    .description("Sessions that resumed on a new Live API connection, by reason")
                    .tag("reason", tag).register(registry));
            resumeDuration.put(reason, Timer.builder(PREFIX + "resume_duration")
                    .description("Time from losing a connection (or goAway) to the resumed connection, by reason")
                    .tag("reason", tag).serviceLevelObjectives(LATENCY_BUCKETS).register(registry));
        }
    }

    // ---- admissions (called by the admission path: quota and auth) ----------------------------------

    /** A session was admitted for {@code tenant} through {@code front} ({@code grpc}, {@code websocket}). */
    public void admitted(String tenant, String front) {
        admission(tenant, "admitted", front);
    }

    /**
     * A session was refused for {@code tenant}; {@code reason} is a short stable token such as
     * {@code tenant_quota}, {@code pool_quota}, {@code unauthenticated}, {@code draining}.
     */
    public void refused(String tenant, String reason, String front) {
        admission(tenant, reason, front);
    }

    /**
     * Counts one admission decision: {@code outcome} is {@code admitted} or the refusal reason,
     * {@code front} the caller's front ({@code grpc}, {@code websocket}).
     */
    /**
     * A gateway-run tool call ended: {@code live_gateway_tool_runs_total{tool, function, outcome}}
     * (outcome {@code ok} or the error kind) and {@code live_gateway_tool_run_duration_seconds{tool, function}}
     * (a histogram). Registry entries and their functions are few and named by operators, so the tags stay bounded.
     */
    public void toolRun(String tool, String function, String outcome, Duration took) {
        toolRuns.computeIfAbsent(tool + '\n' + function + '\n' + outcome, key -> Counter.builder(PREFIX + "tool_runs")
                .description("Tool calls the gateway ran (registry http and mcp entries), by outcome")
                .tag("tool", tool).tag("function", function).tag("outcome", outcome).register(registry)).increment();
        toolRunDurations.computeIfAbsent(tool + '\n' + function, key -> Timer.builder(PREFIX + "tool_run_duration")
                .description("Duration of tool calls the gateway ran, retries included")
                .tag("tool", tool).tag("function", function).serviceLevelObjectives(LATENCY_BUCKETS)
                .register(registry)).record(took);
    }

    public void admission(String tenant, String outcome, String front) {
        admissions.computeIfAbsent(tenant + '\n' + outcome + '\n' + front, key -> Counter.builder(PREFIX + "admissions")
                .description("Admission decisions for new sessions: outcome=admitted or the refusal reason")
                .tag("tenant", tenant).tag("outcome", outcome).tag("front", front).register(registry)).increment();
    }

    // ---- per-session meters ----------------------------------------------------------------------

    /** The cached meters of sessions of this tenant, model tag ({@link #modelTag}) and front ({@code grpc}, {@code websocket}). */
    public SessionMeters sessionMeters(String tenant, String modelId, String front) {
        return groups.computeIfAbsent(tenant + '\n' + modelId + '\n' + front,
                key -> new SessionMeters(tenants.computeIfAbsent(tenant, TenantMeters::new), modelId, front));
    }

    void upstreamConnected(Duration took) {
        upstreamConnect.record(took);
    }

    void stalled() {
        stalls.increment();
    }

    void goAway() {
        goAways.increment();
    }

    void replayOverflow() {
        replayOverflows.increment();
    }

    void moving(ResumeReason reason) {
        Counter counter = resumeAttempts.get(reason);
        if (counter != null) {
            counter.increment();
        }
    }

    void resumed(ResumeReason reason, int replayed, Duration took) {
        Counter counter = resumptions.get(reason);
        if (counter != null) {
            counter.increment();
            resumeDuration.get(reason).record(took);
        }
        if (replayed > 0) {
            replayedMessages.increment(replayed);
        }
    }

    static String reasonTag(ResumeReason reason) {
        return reason.name().replace("RESUME_REASON_", "").toLowerCase(Locale.ROOT);
    }

    /**
     * The {@code model} tag of a session's meters: its model id when the deployment offers that
     * model, else {@code other}. Callers name models freely, so the tag must not take any value
     * they send: every value is a set of series kept until the process ends.
     */
    public String modelTag(String model) {
        String id = modelId(model);
        return knownModels.contains(id) ? id : "other";
    }

    /** The last segment of a model resource name: {@code projects/p/.../models/gemini-x} → {@code gemini-x}. */
    static String modelId(String model) {
        if (model == null || model.isEmpty()) {
            return "unknown";
        }
        int slash = model.lastIndexOf('/');
        return slash >= 0 ? model.substring(slash + 1) : model;
    }

    /**
     * Meters tagged by tenant only. The per-message counts are {@link LongAdder}s read by function
     * counters at scrape time: an add costs nanoseconds, where a registered counter's increment goes
     * through the composite registry and exemplar sampling for each of the thousands of messages a
     * second a replica relays.
     */
    final class TenantMeters {
        final String tenant;
        /** Keyed by {@link ClientEvent.EventCase#name()}: [messages, bytes]. */
        final Map<String, LongAdder[]> toUpstream = new HashMap<>();
        final LongAdder fromUpstream;
        final LongAdder eventsToCaller;
        final LongAdder bytesToCaller;
        final Counter promptTokens;
        final Counter responseTokens;
        final Counter thoughtsTokens;
        final Timer sessionDuration;
        final ConcurrentMap<Status.Code, Counter> outcomes = new ConcurrentHashMap<>();

        TenantMeters(String tenant) {
            this.tenant = tenant;
            for (ClientEvent.EventCase kind : ClientEvent.EventCase.values()) {
                if (kind == ClientEvent.EventCase.EVENT_NOT_SET || kind == ClientEvent.EventCase.CONFIG) {
                    continue;
                }
                String tag = kind.name().toLowerCase(Locale.ROOT);
                toUpstream.put(kind.name(), new LongAdder[] {
                    count(PREFIX + "messages_to_upstream", "Caller events forwarded to the Live API, by event kind", "kind", tag),
                    count(PREFIX + "bytes_to_upstream", "Bytes of Live API JSON written for caller events, by event kind", "kind", tag)
                });
            }
            fromUpstream = count(PREFIX + "messages_from_upstream", "Messages received from the Live API");
            eventsToCaller = count(PREFIX + "events_to_caller", "Events delivered to callers' gRPC streams");
            bytesToCaller = count(PREFIX + "bytes_to_caller", "Serialized bytes of events delivered to callers' gRPC streams");
            promptTokens = tokens("prompt");
            responseTokens = tokens("response");
            thoughtsTokens = tokens("thoughts");
            sessionDuration = Timer.builder(PREFIX + "session_duration")
                    .description("Lifetime of ended sessions")
                    .serviceLevelObjectives(Duration.ofSeconds(10), Duration.ofMinutes(1), Duration.ofMinutes(5),
                            Duration.ofMinutes(15), Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(2))
                    .tag("tenant", tenant).register(registry);
        }

        private LongAdder count(String name, String description, String... extraTags) {
            LongAdder adder = new LongAdder();
            FunctionCounter.builder(name, adder, LongAdder::doubleValue).description(description)
                    .tag("tenant", tenant).tags(extraTags).register(registry);
            return adder;
        }

        private Counter tokens(String type) {
            return Counter.builder(PREFIX + "tokens")
                    .description("Tokens reported by the Live API's usage metadata, by type")
                    .tag("tenant", tenant).tag("type", type).register(registry);
        }

        Counter outcome(Status.Code code) {
            return outcomes.computeIfAbsent(code, c -> Counter.builder(PREFIX + "streams_ended")
                    .description("Converse streams that ended, by gRPC status code")
                    .tag("tenant", tenant).tag("status", c.name()).register(registry));
        }
    }

    /** Meters of one tenant and model, handed to each of its sessions. */
    public final class SessionMeters {
        final TenantMeters tenant;
        final AtomicInteger active = new AtomicInteger();
        final Counter started;
        final Timer timeToFirstOutput;

        SessionMeters(TenantMeters tenant, String modelId, String front) {
            this.tenant = tenant;
            Gauge.builder(PREFIX + "sessions_active", active, AtomicInteger::get)
                    .description("Sessions open on this replica")
                    .tag("tenant", tenant.tenant).tag("model", modelId).tag("front", front).register(registry);
            started = Counter.builder(PREFIX + "sessions_started")
                    .description("Sessions started on this replica")
                    .tag("tenant", tenant.tenant).tag("model", modelId).tag("front", front).register(registry);
            timeToFirstOutput = Timer.builder(PREFIX + "time_to_first_output")
                    .description("Time from the end of a user turn to the model's first output for it")
                    .serviceLevelObjectives(LATENCY_BUCKETS)
                    .tag("tenant", tenant.tenant).tag("model", modelId).tag("front", front).register(registry);
        }

        void started() {
            started.increment();
            active.incrementAndGet();
        }

        void ended(Status.Code code, Duration lifetime) {
            active.decrementAndGet();
            tenant.outcome(code).increment();
            tenant.sessionDuration.record(lifetime);
        }

        /**
         * The [messages, bytes] counts of caller events of {@code kind} ({@link ClientEvent.EventCase#name()}),
         * or null for a kind not counted; a session keeps them while its events are of that kind.
         */
        LongAdder[] toUpstream(String kind) {
            return tenant.toUpstream.get(kind);
        }

        void fromUpstream() {
            tenant.fromUpstream.increment();
        }

        void toCaller(int bytes) {
            tenant.eventsToCaller.increment();
            tenant.bytesToCaller.add(bytes);
        }

        void firstOutput(long nanos) {
            timeToFirstOutput.record(nanos, TimeUnit.NANOSECONDS);
        }

        void usage(ServerMessage.UsageMetadata usage) {
            add(tenant.promptTokens, usage.promptTokenCount());
            add(tenant.responseTokens, usage.responseTokens());
            add(tenant.thoughtsTokens, usage.thoughtsTokenCount());
        }

        private static void add(Counter counter, Integer tokens) {
            if (tokens != null && tokens > 0) {
                counter.increment(tokens);
            }
        }
    }
}
