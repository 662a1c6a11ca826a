package dev.livegateway.quota;

import dev.livegateway.redis.RedisConnections;
import io.lettuce.core.Range;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Leases in Redis, shared by every replica pointing at the same server. Each operation is one Lua
 * script ({@link RedisLeaseScripts}), so admissions from several replicas are serialised by Redis
 * and can never exceed a limit between them. Failures arrive as
 * {@link dev.livegateway.redis.RedisUnavailableException}.
 */
public final class RedisLeaseStore implements LeaseStore {

    private final RedisConnections redis;
    private final SessionTimeWindow window;

    public RedisLeaseStore(RedisConnections redis) {
        this(redis, SessionTimeWindow.DAY);
    }

    public RedisLeaseStore(RedisConnections redis, SessionTimeWindow window) {
        this.redis = redis;
        this.window = window;
    }

    private String leaseKey(String sessionId) {
        return redis.key("quota", "lease", sessionId);
    }

    private String allLeasesKey() {
        return redis.key("quota", "leases");
    }

    private String tenantLeasesKey(String tenant) {
        return redis.key("quota", "tenant", tenant, "leases");
    }

    private String tenantTimeKey(String tenant) {
        return redis.key("quota", "tenant", tenant, "session-time");
    }

    private String poolLeasesKey(String pool) {
        return redis.key("quota", "pool", pool, "leases");
    }

    /** The KEYS every lease script takes, in the order {@link RedisLeaseScripts} documents. */
    private String[] keys(LeaseRecord lease) {
        List<String> keys = new ArrayList<>(5);
        keys.add(leaseKey(lease.sessionId()));
        keys.add(allLeasesKey());
        keys.add(tenantLeasesKey(lease.tenant()));
        keys.add(tenantTimeKey(lease.tenant()));
        if (lease.pool() != null) {
            keys.add(poolLeasesKey(lease.pool()));
        }
        return keys.toArray(String[]::new);
    }

    @Override
    public Uni<AdmissionOutcome> acquire(LeaseRecord lease, AdmissionLimits limits, Duration ttl) {
        return redis.script(RedisLeaseScripts.ACQUIRE, keys(lease),
                        lease.sessionId(),
                        Long.toString(ttl.toMillis()),
                        Integer.toString(limits.tenantMaxConcurrent()),
                        Integer.toString(limits.poolMaxConcurrent().orElse(-1)),
                        Long.toString(limits.sessionTimePerDay().map(Duration::toMillis).orElse(-1L)),
                        Long.toString(window.length().toMillis()),
                        Long.toString(window.bucket().toMillis()),
                        lease.tenant(),
                        lease.pool() == null ? "" : lease.pool(),
                        lease.model(),
                        lease.replicaId())
                .map(RedisLeaseStore::admissionOutcome);
    }

    private static AdmissionOutcome admissionOutcome(List<Object> reply) {
        if (asLong(reply.get(0)) == 1) {
            return new AdmissionOutcome.Admitted(asLong(reply.get(1)));
        }
        LimitKind limit = switch ((int) asLong(reply.get(1))) {
            case 1 -> LimitKind.TENANT_CONCURRENT;
            case 2 -> LimitKind.POOL_CONCURRENT;
            case 3 -> LimitKind.TENANT_SESSION_TIME;
            default -> throw new IllegalStateException("unexpected reply of the admission script: " + reply);
        };
        long retryMillis = asLong(reply.get(2));
        return new AdmissionOutcome.Refused(limit,
                retryMillis < 0 ? Optional.empty() : Optional.of(Duration.ofMillis(retryMillis)));
    }

    @Override
    public Uni<RenewalOutcome> renew(LeaseRecord lease, Duration ttl) {
        return redis.script(RedisLeaseScripts.RENEW, keys(lease),
                        lease.sessionId(),
                        Long.toString(ttl.toMillis()),
                        Long.toString(window.length().toMillis()),
                        Long.toString(window.bucket().toMillis()))
                .map(reply -> switch (String.valueOf(reply.get(0))) {
                    case "renewed" -> RenewalOutcome.RENEWED;
                    case "revoked" -> RenewalOutcome.REVOKED;
                    case "lost" -> RenewalOutcome.LOST;
                    default -> throw new IllegalStateException("unexpected reply of the renewal script: " + reply);
                });
    }

    @Override
    public Uni<Void> reinstate(LeaseRecord lease, Duration ttl) {
        return redis.script(RedisLeaseScripts.REINSTATE, keys(lease),
                        lease.sessionId(),
                        Long.toString(ttl.toMillis()),
                        lease.tenant(),
                        lease.pool() == null ? "" : lease.pool(),
                        lease.model(),
                        lease.replicaId(),
                        Long.toString(lease.startedAtMillis()))
                .replaceWithVoid();
    }

    @Override
    public Uni<Void> release(LeaseRecord lease) {
        return redis.script(RedisLeaseScripts.RELEASE, keys(lease),
                        lease.sessionId(),
                        Long.toString(window.length().toMillis()),
                        Long.toString(window.bucket().toMillis()))
                .replaceWithVoid();
    }

    @Override
    public Uni<Boolean> revoke(String sessionId) {
        return redis.script(RedisLeaseScripts.REVOKE, new String[] {leaseKey(sessionId)})
                .map(reply -> asLong(reply.get(0)) == 1);
    }

    @Override
    public Uni<List<LeaseInfo>> activeLeases() {
        return redis.call(commands -> {
            // Replica clock, for a listing only: admissions and expiry use Redis time in the scripts.
            Range<Long> notExpired = Range.from(Range.Boundary.excluding(System.currentTimeMillis()), Range.Boundary.unbounded());
            return commands.zrangebyscore(allLeasesKey(), notExpired)
                    .thenCompose(sessionIds -> {
                        List<CompletableFuture<Map<String, String>>> reads = new ArrayList<>(sessionIds.size());
                        for (String sessionId : sessionIds) {
                            reads.add(commands.hgetall(leaseKey(sessionId)).toCompletableFuture());
                        }
                        return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new))
                                .thenApply(done -> leaseInfos(sessionIds, reads));
                    });
        });
    }

    private static List<LeaseInfo> leaseInfos(List<String> sessionIds, List<CompletableFuture<Map<String, String>>> reads) {
        List<LeaseInfo> leases = new ArrayList<>(sessionIds.size());
        for (int i = 0; i < sessionIds.size(); i++) {
            Map<String, String> fields = reads.get(i).join();
            if (fields == null || fields.isEmpty()) {
                continue; // expired between the two reads
            }
            String pool = fields.getOrDefault("pool", "");
            leases.add(new LeaseInfo(sessionIds.get(i), fields.get("tenant"), pool.isEmpty() ? null : pool,
                    fields.getOrDefault("model", ""), fields.get("replica"),
                    Instant.ofEpochMilli(Long.parseLong(fields.getOrDefault("started", "0"))),
                    Instant.ofEpochMilli(Long.parseLong(fields.getOrDefault("expires", "0"))),
                    "1".equals(fields.get("revoked"))));
        }
        return leases;
    }

    @Override
    public Uni<TenantUsage> tenantUsage(String tenant) {
        return redis.script(RedisLeaseScripts.USAGE, new String[] {tenantLeasesKey(tenant), tenantTimeKey(tenant)},
                        Long.toString(window.length().toMillis()), Long.toString(window.bucket().toMillis()))
                .map(reply -> new TenantUsage((int) asLong(reply.get(0)), Duration.ofMillis(asLong(reply.get(1)))));
    }

    @Override
    public Uni<Integer> poolUsage(String pool) {
        return redis.script(RedisLeaseScripts.USAGE, new String[] {poolLeasesKey(pool)}, "0", "1")
                .map(reply -> (int) asLong(reply.get(0)));
    }

    @Override
    public void close() {
        // The connection is shared (RedisConnections); its owner closes it.
    }

    private static long asLong(Object value) {
        if (value instanceof Number number) {
            return number.longValue();
        }
        return Long.parseLong(String.valueOf(value));
    }
}
