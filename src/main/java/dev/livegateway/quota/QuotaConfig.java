package dev.livegateway.quota;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Session quotas: limits per tenant and per upstream pool, and how leases are kept. Prefix
 * {@code live-gateway.quota}. Validated at start-up by {@link QuotaProducer}.
 */
@ConfigMapping(prefix = "live-gateway.quota")
public interface QuotaConfig {

    /**
     * Where leases live: {@code memory} (one replica; the default) or {@code redis} (several
     * replicas sharing {@code live-gateway.redis.uri}; limits then hold across all of them).
     * Defaults to {@code live-gateway.store}, the choice shared with resume tokens and the tool
     * registry; prefer setting that key.
     */
    @WithDefault("${live-gateway.store:memory}")
    StoreKind store();

    /** How often a replica renews the leases of its running sessions. */
    @WithDefault("5s")
    Duration heartbeatInterval();

    /**
     * How long a lease lives without renewal. A replica that dies without releasing its leases
     * gives their capacity back after this time. Must be more than twice the heartbeat interval,
     * so that one late heartbeat does not lose a lease.
     */
    @WithDefault("30s")
    Duration leaseTtl();

    /**
     * How long running sessions keep going while their leases cannot be renewed (the store is
     * unreachable). Within this time the leases are renewed (or re-created) as soon as the store
     * answers again; after it, the lease is declared lost and the session is ended, because it
     * can no longer be counted.
     */
    @WithDefault("10m")
    Duration renewalGrace();

    /** The retry delay suggested to a caller refused because a concurrency limit is full. */
    @WithDefault("5s")
    Duration retryAfter();

    /**
     * How long an admission may wait for room before it is refused. {@code 0s} (the default)
     * refuses at once; a few seconds smooths out bursts at the cost of holding callers.
     */
    @WithDefault("0s")
    Duration admissionWait();

    /** Limits for every tenant without its own entry under {@code tenants}. */
    @WithName("default")
    DefaultTenantLimits defaults();

    /**
     * Per-tenant overrides, keyed by tenant id, e.g.
     * {@code live-gateway.quota.tenants.team-a.max-concurrent-sessions=20}. Unset fields fall
     * back to {@code default}.
     */
    Map<String, TenantLimits> tenants();

    /**
     * Limits per upstream pool, keyed by the pool id the gateway derives from project, location
     * and model ({@code project/location/model}), quoted in properties, e.g.
     * {@code live-gateway.quota.pools."my-proj/us-central1/gemini-live-2.5-flash".max-concurrent-sessions=50}.
     */
    Map<String, PoolLimits> pools();

    /**
     * Concurrent sessions allowed in a pool that has no entry under {@code pools}. Unset: such
     * pools are not limited by the gateway (Vertex still enforces its own quota).
     */
    OptionalInt defaultPoolMaxConcurrentSessions();

    /** Limits that apply to a tenant unless its own entry says otherwise. */
    interface DefaultTenantLimits {

        /** Sessions a tenant may hold at the same time, across all replicas. */
        @WithDefault("10")
        int maxConcurrentSessions();

        /**
         * Session time a tenant may use per rolling 24 hours, e.g. {@code 600m}. Checked at
         * admission only. Unset: no time limit.
         */
        Optional<Duration> sessionTimePerDay();
    }

    /** Limits of one tenant. */
    interface TenantLimits {

        /** Sessions the tenant may hold at the same time, across all replicas. */
        OptionalInt maxConcurrentSessions();

        /**
         * Session time the tenant may use per rolling 24 hours, e.g. {@code 600m} or {@code 10h}.
         * Checked at admission: a tenant over its allowance gets no new session, running sessions
         * are not cut. Unset: no time limit.
         */
        Optional<Duration> sessionTimePerDay();
    }

    /** Limits of one upstream pool. */
    interface PoolLimits {

        /** Concurrent Live sessions the Vertex quota allows in this project, location and model. */
        int maxConcurrentSessions();
    }

    /** Lease store implementations. */
    enum StoreKind {
        MEMORY,
        REDIS
    }
}
