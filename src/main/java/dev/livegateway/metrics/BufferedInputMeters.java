package dev.livegateway.metrics;

import dev.livegateway.session.InputBudget;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

/** Gauges of the replica-wide budget for buffered caller input ({@link InputBudget}). */
@Startup
@ApplicationScoped
public class BufferedInputMeters {

    BufferedInputMeters(MeterRegistry registry, InputBudget budget) {
        Gauge.builder(GatewayMetrics.PREFIX + "buffered_input_bytes", budget, InputBudget::buffered)
                .description("Caller input buffered by this replica's sessions (unconfirmed replay buffers and input"
                        + " held while moving)")
                .baseUnit("bytes").register(registry);
        Gauge.builder(GatewayMetrics.PREFIX + "buffered_input_limit_bytes", budget, InputBudget::limit)
                .description("The replica's budget for buffered caller input (live-gateway.limits.buffered-input-bytes)")
                .baseUnit("bytes").register(registry);
        Gauge.builder(GatewayMetrics.PREFIX + "input_held_back_sessions", budget, InputBudget::heldBack)
                .description("Sessions that stopped reading caller input because their buffered input reached"
                        + " their allowance (gRPC flow control)")
                .register(registry);
    }
}
