package dev.livegateway.grpc;

import dev.livegateway.api.v1.ServerEvent;
import dev.livegateway.config.LimitsConfig;
import dev.livegateway.config.SessionConfigMapping;
import dev.livegateway.config.UpstreamConfig;
import dev.livegateway.metrics.GatewayMetrics;
import dev.livegateway.quota.QuotaService;
import dev.livegateway.session.ResumeTokenStore;
import dev.livegateway.session.SessionObserver;
import dev.livegateway.session.SessionRegistry;
import dev.livegateway.tools.ToolResolver;
import dev.livegateway.upstream.LiveEndpoints;
import dev.livegateway.upstream.ResilientLiveConnector;
import io.grpc.stub.ServerCallStreamObserver;
import io.vertx.core.Context;
import java.util.List;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

/** Everything a Converse call needs, gathered once; {@link #open} starts one call. */
@ApplicationScoped
public class ConverseCalls {

    final StatusMapper statuses;
    final LiveEndpoints endpoints;
    final UpstreamConfig upstream;
    final LimitsConfig limits;
    final SessionConfigMapping sessionSettings;
    final ResumeTokenStore tokens;
    final ResilientLiveConnector connector;
    final SessionRegistry registry;
    final SessionObserver observer;
    final ToolResolver tools;
    final QuotaService quota;
    final GatewayMetrics metrics;

    ConverseCalls(StatusMapper statuses, LiveEndpoints endpoints, UpstreamConfig upstream, LimitsConfig limits,
            SessionConfigMapping sessionSettings, ResumeTokenStore tokens, ResilientLiveConnector connector,
            SessionRegistry registry, Instance<SessionObserver> observer, ToolResolver tools,
            QuotaService quota, GatewayMetrics metrics) {
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
    }

    /** Fails start-up with every session configuration problem, each naming its property. */
    void validate(@Observes StartupEvent start) {
        List<String> problems = sessionSettings.problems();
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Invalid session configuration:\n  - " + String.join("\n  - ", problems));
        }
    }

    ConverseCall open(ServerCallStreamObserver<ServerEvent> call, Context context) {
        return new ConverseCall(this, call, context);
    }
}
