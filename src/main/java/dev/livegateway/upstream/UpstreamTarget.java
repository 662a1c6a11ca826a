package dev.livegateway.upstream;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * One target of the upstream pool at run time: what it is ({@link TargetSpec}), where and how to
 * connect, its circuit breaker and recent health, whether it is drained or removed, and the
 * sessions this replica placed on it.
 */
public final class UpstreamTarget {

    private final TargetSpec spec;
    private final Supplier<LiveEndpoint> endpoint;
    private final TargetCredentials credentials;
    private final TargetBreaker breaker;
    private final TargetHealth health = new TargetHealth();
    private final AtomicInteger sessions = new AtomicInteger();
    private final LongAdder placements = new LongAdder();
    private final LongAdder refusals = new LongAdder();
    private final LongAdder failovers = new LongAdder();
    private volatile boolean draining;
    private volatile boolean removed;
    /** Smooth weighted round-robin state; guarded by the pool. */
    int currentWeight;

    UpstreamTarget(TargetSpec spec, Supplier<LiveEndpoint> endpoint, TargetCredentials credentials,
            TargetBreaker breaker) {
        this.spec = spec;
        this.endpoint = endpoint;
        this.credentials = credentials;
        this.breaker = breaker;
    }

    public String name() {
        return spec.name();
    }

    public TargetSpec spec() {
        return spec;
    }

    public LiveEndpoint endpoint() {
        return endpoint.get();
    }

    TargetCredentials credentials() {
        return credentials;
    }

    public TargetBreaker breaker() {
        return breaker;
    }

    public TargetHealth health() {
        return health;
    }

    /** Sessions this replica runs on the target now. */
    public int sessions() {
        return sessions.get();
    }

    AtomicInteger sessionCount() {
        return sessions;
    }

    /** Sessions placed on the target by this replica (new and resumed from a token). */
    public long placements() {
        return placements.sum();
    }

    /** Connect attempts the target refused or failed (429, 503, RESOURCE_EXHAUSTED, breaker open, unreachable). */
    public long refusals() {
        return refusals.sum();
    }

    /** New sessions that went on to another target after this one refused them. */
    public long failovers() {
        return failovers.sum();
    }

    void placed() {
        placements.increment();
    }

    void refused() {
        refusals.increment();
    }

    void failedOver() {
        failovers.increment();
    }

    /** Drained: takes no new sessions; the ones it carries finish (and may resume on it). */
    public boolean draining() {
        return draining;
    }

    void draining(boolean value) {
        draining = value;
    }

    /** Removed from the pool: no new sessions, and its sessions cannot resume on it. */
    public boolean removed() {
        return removed;
    }

    void remove() {
        removed = true;
    }

    /** Whether a new session of {@code tenant} on model id {@code modelId} may be placed here. */
    boolean takes(String tenant, String modelId) {
        return !draining && !removed && spec.servesModel(modelId) && spec.allowsTenant(tenant);
    }

    @Override
    public String toString() {
        return spec.toString();
    }
}
