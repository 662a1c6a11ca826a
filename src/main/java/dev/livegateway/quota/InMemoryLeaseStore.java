package dev.livegateway.quota;

import io.smallrye.mutiny.Uni;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Leases of a single replica, in memory. Every operation holds one lock for a few map updates,
 * so it never waits on anything and is safe to call from an event loop.
 */
public final class InMemoryLeaseStore implements LeaseStore {

    private final Clock clock;
    private final SessionTimeWindow window;
    private final Map<String, Entry> leases = new HashMap<>();
    /** Per tenant: bucket start → session milliseconds used in that bucket. */
    private final Map<String, TreeMap<Long, Long>> sessionTime = new HashMap<>();

    public InMemoryLeaseStore() {
        this(Clock.systemUTC(), SessionTimeWindow.DAY);
    }

    public InMemoryLeaseStore(Clock clock, SessionTimeWindow window) {
        this.clock = clock;
        this.window = window;
    }

    private static final class Entry {
        final LeaseRecord record;
        final long startedAt;
        long accountedAt;
        long expiresAt;
        boolean revoked;

        Entry(LeaseRecord record, long startedAt, long expiresAt) {
            this.record = record;
            this.startedAt = startedAt;
            this.accountedAt = startedAt;
            this.expiresAt = expiresAt;
        }
    }

    @Override
    public Uni<AdmissionOutcome> acquire(LeaseRecord lease, AdmissionLimits limits, Duration ttl) {
        return Uni.createFrom().item(() -> acquireNow(lease, limits, ttl));
    }

    private synchronized AdmissionOutcome acquireNow(LeaseRecord lease, AdmissionLimits limits, Duration ttl) {
        long now = clock.millis();
        purgeExpired(now);
        if (leases.containsKey(lease.sessionId())) {
            return new AdmissionOutcome.Admitted(leases.get(lease.sessionId()).startedAt);
        }
        if (countWhere(e -> e.record.tenant().equals(lease.tenant())) >= limits.tenantMaxConcurrent()) {
            return new AdmissionOutcome.Refused(LimitKind.TENANT_CONCURRENT, Optional.empty());
        }
        if (lease.pool() != null && limits.poolMaxConcurrent().isPresent()
                && countWhere(e -> lease.pool().equals(e.record.pool())) >= limits.poolMaxConcurrent().getAsInt()) {
            return new AdmissionOutcome.Refused(LimitKind.POOL_CONCURRENT, Optional.empty());
        }
        if (limits.sessionTimePerDay().isPresent()) {
            TreeMap<Long, Long> buckets = buckets(lease.tenant(), now);
            long used = buckets.values().stream().mapToLong(Long::longValue).sum();
            if (used >= limits.sessionTimePerDay().get().toMillis()) {
                long freesAt = window.leavesWindowAt(buckets.firstKey());
                return new AdmissionOutcome.Refused(LimitKind.TENANT_SESSION_TIME,
                        Optional.of(Duration.ofMillis(Math.max(0, freesAt - now))));
            }
        }
        leases.put(lease.sessionId(), new Entry(lease, now, now + ttl.toMillis()));
        return new AdmissionOutcome.Admitted(now);
    }

    @Override
    public Uni<RenewalOutcome> renew(LeaseRecord lease, Duration ttl) {
        return Uni.createFrom().item(() -> renewNow(lease, ttl));
    }

    private synchronized RenewalOutcome renewNow(LeaseRecord lease, Duration ttl) {
        long now = clock.millis();
        purgeExpired(now);
        Entry entry = leases.get(lease.sessionId());
        if (entry == null) {
            return RenewalOutcome.LOST;
        }
        if (entry.revoked) {
            return RenewalOutcome.REVOKED;
        }
        account(entry, now);
        entry.expiresAt = now + ttl.toMillis();
        return RenewalOutcome.RENEWED;
    }

    @Override
    public Uni<Void> reinstate(LeaseRecord lease, Duration ttl) {
        return Uni.createFrom().item(() -> {
            synchronized (this) {
                long now = clock.millis();
                leases.computeIfAbsent(lease.sessionId(), id -> new Entry(lease, lease.startedAtMillis(), 0))
                        .accountedAt = now;
                leases.get(lease.sessionId()).expiresAt = now + ttl.toMillis();
            }
            return null;
        });
    }

    @Override
    public Uni<Void> release(LeaseRecord lease) {
        return Uni.createFrom().item(() -> {
            synchronized (this) {
                Entry entry = leases.remove(lease.sessionId());
                long now = clock.millis();
                if (entry != null && entry.expiresAt > now) {
                    account(entry, now);
                }
            }
            return null;
        });
    }

    @Override
    public Uni<Boolean> revoke(String sessionId) {
        return Uni.createFrom().item(() -> {
            synchronized (this) {
                purgeExpired(clock.millis());
                Entry entry = leases.get(sessionId);
                if (entry == null) {
                    return false;
                }
                entry.revoked = true;
                return true;
            }
        });
    }

    @Override
    public Uni<List<LeaseInfo>> activeLeases() {
        return Uni.createFrom().item(() -> {
            synchronized (this) {
                purgeExpired(clock.millis());
                List<LeaseInfo> result = new ArrayList<>(leases.size());
                for (Entry e : leases.values()) {
                    result.add(new LeaseInfo(e.record.sessionId(), e.record.tenant(), e.record.pool(), e.record.model(),
                            e.record.replicaId(), Instant.ofEpochMilli(e.startedAt), Instant.ofEpochMilli(e.expiresAt),
                            e.revoked));
                }
                return result;
            }
        });
    }

    @Override
    public Uni<TenantUsage> tenantUsage(String tenant) {
        return Uni.createFrom().item(() -> {
            synchronized (this) {
                long now = clock.millis();
                purgeExpired(now);
                long used = buckets(tenant, now).values().stream().mapToLong(Long::longValue).sum();
                return new TenantUsage(countWhere(e -> e.record.tenant().equals(tenant)), Duration.ofMillis(used));
            }
        });
    }

    @Override
    public Uni<Integer> poolUsage(String pool) {
        return Uni.createFrom().item(() -> {
            synchronized (this) {
                purgeExpired(clock.millis());
                return countWhere(e -> pool.equals(e.record.pool()));
            }
        });
    }

    @Override
    public void close() {
        // Nothing to free: the leases die with the process, as they would on a crash.
    }

    private int countWhere(java.util.function.Predicate<Entry> filter) {
        int count = 0;
        for (Entry e : leases.values()) {
            if (filter.test(e)) {
                count++;
            }
        }
        return count;
    }

    private void purgeExpired(long now) {
        leases.values().removeIf(e -> e.expiresAt <= now);
    }

    private void account(Entry entry, long now) {
        long elapsed = now - entry.accountedAt;
        if (elapsed > 0) {
            sessionTime.computeIfAbsent(entry.record.tenant(), t -> new TreeMap<>())
                    .merge(window.bucketStart(now), elapsed, Long::sum);
            entry.accountedAt = now;
        }
    }

    /** The tenant's buckets still in the window (older ones are dropped). */
    private TreeMap<Long, Long> buckets(String tenant, long now) {
        TreeMap<Long, Long> buckets = sessionTime.getOrDefault(tenant, new TreeMap<>());
        for (Iterator<Long> it = buckets.keySet().iterator(); it.hasNext(); ) {
            if (window.counts(it.next(), now)) {
                break;
            }
            it.remove();
        }
        return buckets;
    }
}
