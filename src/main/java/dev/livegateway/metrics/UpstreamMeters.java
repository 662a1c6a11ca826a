package dev.livegateway.metrics;

import dev.livegateway.upstream.UpstreamPool;
import dev.livegateway.upstream.UpstreamTarget;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.Startup;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The upstream pool's meters, one set per target (tag {@code target}, its name; never its
 * credentials), registered when the target appears and removed with it: sessions, limit, breaker,
 * health, and placements, refusals and failovers (docs/operations.md, "Upstream pools").
 */
@Startup
@ApplicationScoped
public class UpstreamMeters {

    private static final String PREFIX = GatewayMetrics.PREFIX + "upstream_target_";

    private final MeterRegistry registry;
    private final Map<String, List<Meter>> meters = new ConcurrentHashMap<>();

    UpstreamMeters(MeterRegistry registry, UpstreamPool pool) {
        this.registry = registry;
        pool.watch(this::register, this::unregister);
    }

    private void register(UpstreamTarget target) {
        Tags tags = Tags.of("target", target.name());
        List<Meter> list = new ArrayList<>();
        list.add(Gauge.builder(PREFIX + "sessions", target, UpstreamTarget::sessions).tags(tags)
                .description("Sessions this replica runs on the upstream target").register(registry));
        list.add(Gauge.builder(PREFIX + "max_sessions", target,
                        t -> t.spec().maxSessions().isPresent() ? t.spec().maxSessions().getAsInt() : Double.NaN)
                .tags(tags).description("The target's max-sessions across replicas (NaN: no limit)").register(registry));
        list.add(Gauge.builder(PREFIX + "breaker_open", target,
                        t -> t.breaker().state() == CircuitBreakerState.OPEN ? 1 : 0)
                .tags(tags).description("1 while the target's circuit breaker is open").register(registry));
        list.add(Gauge.builder(PREFIX + "healthy", target, t -> t.health().recentlyHealthy() ? 1 : 0).tags(tags)
                .description("1 when the target answered its latest connects (or failed none recently)").register(registry));
        list.add(Gauge.builder(PREFIX + "draining", target, t -> t.draining() ? 1 : 0).tags(tags)
                .description("1 while the target is drained (takes no new sessions)").register(registry));
        list.add(FunctionCounter.builder(PREFIX + "placements", target, UpstreamTarget::placements).tags(tags)
                .description("Sessions placed on the target").register(registry));
        list.add(FunctionCounter.builder(PREFIX + "refusals", target, UpstreamTarget::refusals).tags(tags)
                .description("Connect attempts the target refused or failed").register(registry));
        list.add(FunctionCounter.builder(PREFIX + "failovers", target, UpstreamTarget::failovers).tags(tags)
                .description("New sessions moved on to another target after this one refused them").register(registry));
        meters.put(target.name(), list);
    }

    private void unregister(UpstreamTarget target) {
        List<Meter> list = meters.remove(target.name());
        if (list != null) {
            list.forEach(registry::remove);
        }
    }
}
