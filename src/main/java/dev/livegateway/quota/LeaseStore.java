package dev.livegateway.quota;

import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.Optional;

/**
 * Where leases live. Every operation is atomic: however many replicas share a store, the
 * concurrency limits hold between them. Expired leases (not renewed within their TTL) stop
 * counting by themselves. Failures to reach the store arrive as failed {@link Uni}s; the store
 * never blocks the calling thread.
 */
public interface LeaseStore extends AutoCloseable {

    /**
     * Takes a lease if every limit has room: the tenant's and the pool's concurrent sessions, and
     * the tenant's session time in the rolling window. Taking a lease the store already holds for
     * the same session counts it once.
     */
    Uni<AdmissionOutcome> acquire(LeaseRecord lease, AdmissionLimits limits, Duration ttl);

    /**
     * Extends a lease by {@code ttl} and accounts the session time since the last renewal. A
     * revoked lease is not extended.
     */
    Uni<RenewalOutcome> renew(LeaseRecord lease, Duration ttl);

    /**
     * Re-creates a lease that expired in the store while its session kept running (the store was
     * unreachable for longer than the TTL, or lost its data), regardless of the limits: the
     * session already runs and must be counted again.
     */
    Uni<Void> reinstate(LeaseRecord lease, Duration ttl);

    /** Removes a lease and accounts its last session time. Releasing an absent lease is a no-op. */
    Uni<Void> release(LeaseRecord lease);

    /** Marks a lease revoked; its owner sees it at its next renewal. False: no such lease. */
    Uni<Boolean> revoke(String sessionId);

    /** Every lease that has not expired, from every replica. */
    Uni<List<LeaseInfo>> activeLeases();

    /** Leases of a tenant that have not expired, and its session time in the rolling window. */
    Uni<TenantUsage> tenantUsage(String tenant);

    /** Leases in an upstream pool that have not expired. */
    Uni<Integer> poolUsage(String pool);

    /** Frees the store's resources (not the leases). */
    @Override
    void close();

    /** The identity of a lease, as kept in the store. */
    record LeaseRecord(String sessionId, String tenant, String pool, String model, String replicaId, long startedAtMillis) {}

    /**
     * The limits that apply to one admission.
     *
     * @param tenantMaxConcurrent concurrent sessions of the tenant
     * @param poolMaxConcurrent   concurrent sessions in the pool, when limited
     * @param sessionTimePerDay   the tenant's session time per rolling window, when limited
     */
    record AdmissionLimits(int tenantMaxConcurrent, OptionalInt poolMaxConcurrent, Optional<Duration> sessionTimePerDay) {}

    /** Result of {@link #acquire}. */
    sealed interface AdmissionOutcome {
        /** The lease was taken at {@code startedAtMillis} (store clock). */
        record Admitted(long startedAtMillis) implements AdmissionOutcome {}

        /**
         * A limit is full.
         *
         * @param limit       which one
         * @param retryAfter  when it frees up, if the store can tell (session time); else empty
         */
        record Refused(LimitKind limit, Optional<Duration> retryAfter) implements AdmissionOutcome {}
    }

    /** The kinds of limit. */
    enum LimitKind {
        TENANT_CONCURRENT,
        POOL_CONCURRENT,
        TENANT_SESSION_TIME
    }

    /** Result of {@link #renew}. */
    enum RenewalOutcome {
        /** Extended. */
        RENEWED,
        /** An operator revoked it; not extended. */
        REVOKED,
        /** The store no longer has it (expired or lost); see {@link #reinstate}. */
        LOST
    }

    /**
     * Usage of one tenant.
     *
     * @param activeSessions  leases that have not expired
     * @param sessionTimeUsed session time accounted in the rolling window
     */
    record TenantUsage(int activeSessions, Duration sessionTimeUsed) {}
}
