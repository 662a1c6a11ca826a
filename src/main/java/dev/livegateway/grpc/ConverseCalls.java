package dev.livegateway.grpc;

import dev.livegateway.api.v1.ServerEvent;
import dev.livegateway.config.LimitsConfig;
import dev.livegateway.config.SessionConfigMapping;
import dev.livegateway.config.UpstreamConfig;
import dev.livegateway.metrics.GatewayMetrics;
import dev.livegateway.quota.QuotaService;
import dev.livegateway.session.InputBudget;
import dev.livegateway.session.ResumeTokenStore;
import dev.livegateway.session.SessionObserver;
import dev.livegateway.session.SessionRegistry;
import dev.livegateway.tools.ToolResolver;
import dev.livegateway.upstream.LiveEndpoints;
import dev.livegateway.upstream.LiveConnector;
import io.grpc.stub.ServerCallStreamObserver;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Context;
import java.util.ArrayList;
import java.util.List;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Everything a Converse call needs, gathered once; {@link #open} starts one call. */
@ApplicationScoped
public class ConverseCalls {

    final StatusMapper statuses;
    final LiveEndpoints endpoints;
    final UpstreamConfig upstream;
    final LimitsConfig limits;
    final SessionConfigMapping sessionSettings;
    final ResumeTokenStore tokens;
    final LiveConnector connector;
    final SessionRegistry registry;
    final SessionObserver observer;
    final ToolResolver tools;
    final QuotaService quota;
    final GatewayMetrics metrics;
    final InputBudget inputBudget;
    /** Sessions admitted or being admitted on this replica, against {@code live-gateway.limits.max-sessions}. */
    private final AtomicInteger sessions = new AtomicInteger();

    ConverseCalls(StatusMapper statuses, LiveEndpoints endpoints, UpstreamConfig upstream, LimitsConfig limits,
            SessionConfigMapping sessionSettings, ResumeTokenStore tokens, LiveConnector connector,
            SessionRegistry registry, Instance<SessionObserver> observer, ToolResolver tools,
            QuotaService quota, GatewayMetrics metrics, InputBudget inputBudget) {
        if (limits.maxSessions() < 1) {
            throw new IllegalArgumentException("live-gateway.limits.max-sessions must be at least 1, was "
                    + limits.maxSessions());
        }
        this.statuses = statuses;
        this.endpoints = endpoints;
        this.upstream = upstream;
        this.limits = limits;
        this.sessionSettings = sessionSettings;
        this.tokens = tokens;
        this.connector = connector;
        this.registry = registry;
        this.observer = observer.isResolvable() ? observer.get() : SessionObserver.NONE;
        this.tools = tools;
        this.quota = quota;
        this.metrics = metrics;
        this.inputBudget = inputBudget;
    }

    /** Takes one of the replica's session slots; false when all {@code max-sessions} are taken. */
    boolean takeSessionSlot() {
        int max = limits.maxSessions();
        while (true) {
            int current = sessions.get();
            if (current >= max) {
                return false;
            }
            if (sessions.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    void releaseSessionSlot() {
        sessions.decrementAndGet();
    }

    /** Per tenant: streams open that have not sent their SessionConfig yet; no entry for zero. */
    private final ConcurrentMap<String, Integer> unconfigured = new ConcurrentHashMap<>();

    /** Fails start-up with every session and limits configuration problem, each naming its property. */
    void validate(@Observes StartupEvent start) {
        List<String> problems = new ArrayList<>(sessionSettings.problems());
        if (limits.firstEventTimeout().isNegative() || limits.firstEventTimeout().isZero()) {
            problems.add("live-gateway.limits.first-event-timeout must be positive, got " + limits.firstEventTimeout());
        }
        if (limits.unconfiguredStreamsPerTenant() < 1) {
            problems.add("live-gateway.limits.unconfigured-streams-per-tenant must be at least 1, got "
                    + limits.unconfiguredStreamsPerTenant());
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Invalid session configuration:\n  - " + String.join("\n  - ", problems));
        }
    }

    ConverseCall open(ServerCallStreamObserver<ServerEvent> call, Context context) {
        return new ConverseCall(this, call, context);
    }

    /** Counts a new stream of {@code tenant} without config; false (and not counted) when the tenant's limit is reached. */
    boolean enterUnconfigured(String tenant) {
        boolean[] entered = {false};
        unconfigured.compute(tenant, (t, open) -> {
            int now = open == null ? 0 : open;
            if (now >= limits.unconfiguredStreamsPerTenant()) {
                return open;
            }
            entered[0] = true;
            return now + 1;
        });
        return entered[0];
    }

    /** The stream sent its first event or ended. */
    void leaveUnconfigured(String tenant) {
        unconfigured.computeIfPresent(tenant, (t, open) -> open <= 1 ? null : open - 1);
    }

    /** Streams of {@code tenant} open without config (diagnostics and tests). */
    int unconfigured(String tenant) {
        return unconfigured.getOrDefault(tenant, 0);
    }
}
