package dev.livegateway.quota;

import dev.livegateway.quota.LeaseStore.AdmissionLimits;
import dev.livegateway.quota.LeaseStore.AdmissionOutcome;
import dev.livegateway.quota.LeaseStore.LeaseRecord;
import dev.livegateway.quota.LeaseStore.TenantUsage;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Admits sessions against the tenant and pool limits, and keeps the leases of this replica's
 * running sessions alive. One per replica; several replicas sharing a Redis store share the
 * limits.
 *
 * <p>Usage by the session layer:
 *
 * <pre>{@code
 * quota.admit(new AdmissionRequest(sessionId, tenant, pool, model))
 *     .onItem().invoke(lease -> lease.onTerminated(end -> stream.fail(end.message())))
 *     // ... run the session, then on every way the stream ends:
 *     lease.release();
 * }</pre>
 *
 * Refusals fail the {@link Uni} with {@link QuotaExceededException} (a limit is full) or
 * {@link QuotaUnavailableException} (the store cannot be reached: fail closed).
 */
public final class QuotaService implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(QuotaService.class);

    private final LeaseStore store;
    private final QuotaPolicy policy;
    private final String replicaId;
    private final String storeDescription;
    private final Map<String, Lease> localLeases = new ConcurrentHashMap<>();
    private final ScheduledExecutorService heartbeats;
    private volatile boolean closed;

    /**
     * Starts the heartbeat at once.
     *
     * @param store            where leases live
     * @param policy           limits and timings; must have no {@link QuotaPolicy#problems()}
     * @param replicaId        this replica, recorded in each lease
     * @param storeDescription the store in words, for messages ("Redis at redis:6379")
     */
    public QuotaService(LeaseStore store, QuotaPolicy policy, String replicaId, String storeDescription) {
        List<String> problems = policy.problems();
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Invalid quota configuration: " + String.join("; ", problems));
        }
        this.store = store;
        this.policy = policy;
        this.replicaId = replicaId;
        this.storeDescription = storeDescription;
        this.heartbeats = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "quota-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        long period = policy.heartbeatInterval().toMillis();
        heartbeats.scheduleWithFixedDelay(this::heartbeat, period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * Admits a session if every limit that applies has room, waiting up to the configured
     * admission wait for room. The result is delivered on the caller's Vert.x context when there
     * is one. Cancelling the returned {@link Uni} releases a lease taken meanwhile.
     */
    public Uni<Lease> admit(AdmissionRequest request) {
        Context callerContext = Vertx.currentContext();
        Uni<Lease> admission = Uni.createFrom().deferred(() -> admitOnce(request, callerContext));
        Duration wait = policy.admissionWait();
        if (!wait.isZero()) {
            admission = admission
                    .onFailure(failure -> failure instanceof QuotaExceededException exceeded
                            && exceeded.retryAfter().compareTo(policy.retryAfter()) <= 0)
                    .retry().withBackOff(Duration.ofMillis(50), Duration.ofMillis(250)).expireIn(wait.toMillis());
        }
        if (callerContext != null) {
            admission = admission.emitOn(command -> callerContext.runOnContext(ignored -> command.run()));
        }
        return admission;
    }

    /**
     * The tenant under which leases of upstream capacity ({@link #holdCapacity}) are kept, apart
     * from every caller's tenant; session listings leave them out.
     */
    public static final String CAPACITY_TENANT = "~upstream-capacity";

    /**
     * A lease on {@code max} concurrent sessions of an upstream target's capacity ({@code pool}),
     * in the same store as the tenants' leases, so the limit holds across replicas; renewed and
     * released like a session's lease. Refused at once (never waits) with
     * {@link QuotaExceededException} when the target is full.
     *
     * @param leaseId unique per session and target, e.g. {@code <session id>@<target>}
     */
    public Uni<Lease> holdCapacity(String leaseId, String pool, int max, String model) {
        Context callerContext = Vertx.currentContext();
        AdmissionRequest request = new AdmissionRequest(leaseId, CAPACITY_TENANT, pool, model);
        AdmissionLimits limits = new AdmissionLimits(Integer.MAX_VALUE, java.util.OptionalInt.of(max), Optional.empty());
        Uni<Lease> hold = Uni.createFrom().deferred(() -> acquire(request, limits, callerContext));
        if (callerContext != null) {
            hold = hold.emitOn(command -> callerContext.runOnContext(ignored -> command.run()));
        }
        return hold;
    }

    private Uni<Lease> admitOnce(AdmissionRequest request, Context callerContext) {
        QuotaPolicy.TenantLimits tenantLimits = policy.tenantLimits(request.tenant());
        AdmissionLimits limits = new AdmissionLimits(tenantLimits.maxConcurrentSessions(),
                policy.poolLimit(request.pool()), tenantLimits.sessionTimePerDay());
        return acquire(request, limits, callerContext);
    }

    private Uni<Lease> acquire(AdmissionRequest request, AdmissionLimits limits, Context callerContext) {
        if (closed) {
            return Uni.createFrom().failure(new QuotaUnavailableException(
                    "This gateway replica is shutting down and admits no new sessions; reconnect", null));
        }
        if (localLeases.containsKey(request.sessionId())) {
            return Uni.createFrom().failure(new IllegalArgumentException(
                    "Session " + request.sessionId() + " already holds a lease on this replica"));
        }
        LeaseRecord record = new LeaseRecord(request.sessionId(), request.tenant(), request.pool(), request.model(),
                replicaId, 0);
        // Started eagerly and watched separately, so that a caller who gives up while the store
        // answers cannot leave a lease behind.
        CompletableFuture<AdmissionOutcome> outcome = store.acquire(record, limits, policy.leaseTtl())
                .subscribeAsCompletionStage();
        return Uni.createFrom().completionStage(outcome.copy())
                .onCancellation().invoke(() -> outcome.thenAccept(done -> {
                    if (done instanceof AdmissionOutcome.Admitted) {
                        store.release(record).subscribe().with(ok -> {}, failure -> {});
                    }
                }))
                .onFailure().transform(this::unavailable)
                .map(done -> lease(request, record, limits, done, callerContext));
    }

    private Lease lease(AdmissionRequest request, LeaseRecord record, AdmissionLimits limits, AdmissionOutcome outcome,
            Context callerContext) {
        if (outcome instanceof AdmissionOutcome.Refused refused) {
            throw refusal(request, limits, refused);
        }
        long startedAt = ((AdmissionOutcome.Admitted) outcome).startedAtMillis();
        LeaseRecord admitted = new LeaseRecord(record.sessionId(), record.tenant(), record.pool(), record.model(),
                record.replicaId(), startedAt);
        Lease lease = new Lease(this, store, admitted, policy.leaseTtl(), policy.renewalGrace(), callerContext);
        localLeases.put(admitted.sessionId(), lease);
        return lease;
    }

    private QuotaExceededException refusal(AdmissionRequest request, AdmissionLimits limits,
            AdmissionOutcome.Refused refused) {
        return switch (refused.limit()) {
            case TENANT_CONCURRENT -> new QuotaExceededException(
                    "tenant " + request.tenant() + ": " + limits.tenantMaxConcurrent() + " concurrent sessions",
                    policy.retryAfter());
            case POOL_CONCURRENT -> new QuotaExceededException(
                    (CAPACITY_TENANT.equals(request.tenant()) ? "" : "upstream pool ") + request.pool() + ": " + limits.poolMaxConcurrent().orElse(0) + " concurrent sessions",
                    policy.retryAfter());
            case TENANT_SESSION_TIME -> new QuotaExceededException(
                    "tenant " + request.tenant() + ": " + describe(limits.sessionTimePerDay().orElse(Duration.ZERO))
                            + " of session time per 24 h",
                    refused.retryAfter().filter(d -> d.compareTo(Duration.ofSeconds(1)) > 0).orElse(Duration.ofSeconds(1)));
        };
    }

    private static String describe(Duration time) {
        if (time.toSeconds() % 60 == 0) {
            return time.toMinutes() + " minutes";
        }
        return time.toSeconds() + " s";
    }

    private Throwable unavailable(Throwable failure) {
        if (failure instanceof QuotaExceededException || failure instanceof QuotaUnavailableException) {
            return failure;
        }
        return new QuotaUnavailableException("Session quotas cannot be checked because the gateway's shared store is"
                + " unavailable. No new sessions are admitted until it is back; running sessions continue; retry later",
                "Session quotas cannot be checked because the quota store (" + storeDescription + ") is unavailable: "
                + failure.getMessage() + ". No new sessions are admitted until it is back; running sessions continue",
                failure);
    }

    /**
     * Asks the session's owner to end it: marks the lease revoked in the store (its replica sees it
     * at its next heartbeat) and, when this replica owns it, terminates it at once.
     *
     * @return false when no active lease has this id
     */
    public Uni<Boolean> revoke(String sessionId) {
        return store.revoke(sessionId)
                .onFailure().transform(this::unavailable)
                .invoke(found -> {
                    Lease local = localLeases.get(sessionId);
                    if (found && local != null) {
                        local.terminate(new LeaseTermination(LeaseTermination.Reason.REVOKED,
                                "Session " + sessionId + " was ended by an operator"));
                    }
                });
    }

    /** Every active lease, from every replica sharing the store. */
    public Uni<List<LeaseInfo>> activeLeases() {
        return store.activeLeases().onFailure().transform(this::unavailable);
    }

    /** A tenant's active sessions and session time in the last 24 h. */
    public Uni<TenantUsage> tenantUsage(String tenant) {
        return store.tenantUsage(tenant).onFailure().transform(this::unavailable);
    }

    /** Active sessions in an upstream pool. */
    public Uni<Integer> poolUsage(String pool) {
        return store.poolUsage(pool).onFailure().transform(this::unavailable);
    }

    /** The limits and timings in force. */
    public QuotaPolicy policy() {
        return policy;
    }

    /** This replica's id, as recorded in its leases. */
    public String replicaId() {
        return replicaId;
    }

    /** Leases of this replica's running sessions (neither released nor terminated). */
    public int localLeaseCount() {
        return localLeases.size();
    }

    void forget(Lease lease) {
        localLeases.remove(lease.sessionId(), lease);
    }

    private void heartbeat() {
        try {
            for (Lease lease : localLeases.values()) {
                lease.heartbeat();
            }
        } catch (RuntimeException e) {
            // A failed tick must not cancel the schedule.
            LOG.error("Lease heartbeat failed", e);
        }
    }

    /**
     * Stops admitting and stops renewing. Leases still held are not released here (the session
     * layer releases them as it drains); any left expire in the store after their TTL.
     */
    @Override
    public void close() {
        closed = true;
        heartbeats.shutdownNow();
    }
}
