package dev.livegateway.health;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Liveness and readiness tuning. Prefix {@code live-gateway.health}. */
@ConfigMapping(prefix = "live-gateway.health")
public interface HealthConfig {

    /** The cheap reachability check of the Live API host behind readiness. */
    UpstreamCheck upstreamCheck();

    /** The event-loop heartbeat behind liveness. */
    EventLoop eventLoop();

    /** The heap check behind liveness ({@code OutOfMemoryLiveness}). */
    Heap heap();

    interface UpstreamCheck {
        /**
         * Check that the Live API host accepts TCP (and TLS for {@code wss://}) connections; the
         * Live API itself is never called. Off: readiness ignores reachability.
         */
        @WithDefault("true")
        boolean enabled();

        /** Time between two checks; probes read the last result and never trigger a check. */
        @WithDefault("30s")
        Duration interval();

        /** Time allowed for one TCP connect and TLS handshake. */
        @WithDefault("5s")
        Duration timeout();

        /** Consecutive failed checks before readiness reports DOWN (one blip does not unready the fleet). */
        @WithDefault("2")
        int failuresBeforeDown();
    }

    interface EventLoop {
        /** How often each Vert.x event loop records a heartbeat. */
        @WithDefault("1s")
        Duration heartbeatInterval();

        /** An event loop without a heartbeat for this long is blocked: liveness reports DOWN. */
        @WithDefault("20s")
        Duration blockedAfter();
    }

    interface Heap {
        /**
         * Liveness reports DOWN while a heap pool is still used above this fraction of its maximum
         * right after a garbage collection (the JVM is about to fail allocations), and for good once
         * an {@code OutOfMemoryError} was seen. Between 0.5 and 1.
         */
        @WithDefault("0.98")
        double exhaustedAfterGcRatio();
    }
}
