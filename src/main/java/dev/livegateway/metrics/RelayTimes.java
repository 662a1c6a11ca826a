package dev.livegateway.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * {@code live_gateway_relay_seconds{direction}}: how long the gateway holds a message it relays,
 * from its arrival until it was handed to the other side's transport, as a histogram for each
 * direction ({@code to_model}, {@code to_caller}). One timer per direction, built once, so a
 * message costs two {@link System#nanoTime()} reads and one record, with no tags or lookups.
 * A {@code @Singleton} (no client proxy between the relay path and the timers), created at
 * start-up so both series are scraped from the first scrape on.
 */
@Startup
@Singleton
public class RelayTimes {

    private final Timer toModel;
    private final Timer toCaller;

    RelayTimes(MeterRegistry registry) {
        this.toModel = timer(registry, "to_model");
        this.toCaller = timer(registry, "to_caller");
    }

    private static Timer timer(MeterRegistry registry, String direction) {
        return Timer.builder(GatewayMetrics.PREFIX + "relay")
                .description("Time from a message's arrival at the gateway until it was handed to the other side's"
                        + " transport, by direction")
                .tag("direction", direction)
                .publishPercentileHistogram(true)
                .minimumExpectedValue(Duration.ofNanos(1_000))
                .maximumExpectedValue(Duration.ofSeconds(1))
                .register(registry);
    }

    /** A caller event reached the Live API's WebSocket {@code nanos} after it reached the session. */
    void toModel(long nanos) {
        toModel.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A Live API message's events reached the caller's stream {@code nanos} after its frame arrived. */
    void toCaller(long nanos) {
        toCaller.record(nanos, TimeUnit.NANOSECONDS);
    }
}
