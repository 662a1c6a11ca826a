package dev.livegateway.quota;

import dev.livegateway.auth.CallerKeys;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Limits and current usage, per tenant and per upstream pool, across all replicas sharing the
 * store. Admin key required (see {@link dev.livegateway.auth.AdminApiFilter}).
 */
@Path("/v1/quotas")
@Produces(MediaType.APPLICATION_JSON)
public class QuotaResource {

    private final QuotaService quota;
    private final CallerKeys callerKeys;

    public QuotaResource(QuotaService quota, CallerKeys callerKeys) {
        this.quota = quota;
        this.callerKeys = callerKeys;
    }

    /**
     * One tenant's limits and usage.
     *
     * @param tenant                the tenant
     * @param maxConcurrentSessions its concurrency limit
     * @param sessionSecondsPerDay  its session time per rolling 24 h, or null when unlimited
     * @param activeSessions        its leases now
     * @param sessionSecondsUsed    its session time in the last 24 h
     */
    public record TenantQuota(String tenant, int maxConcurrentSessions, Long sessionSecondsPerDay, int activeSessions,
            long sessionSecondsUsed) {}

    /**
     * One upstream pool's limit and usage.
     *
     * @param pool                  the pool ({@code project/location/model})
     * @param maxConcurrentSessions its limit, or null when the gateway does not limit it
     * @param activeSessions        its leases now
     */
    public record PoolQuota(String pool, Integer maxConcurrentSessions, int activeSessions) {}

    /**
     * Everything: the configured and the active tenants and pools.
     *
     * @param replica the replica that answered
     * @param tenants per tenant
     * @param pools   per pool
     */
    public record Overview(String replica, List<TenantQuota> tenants, List<PoolQuota> pools) {}

    @GET
    public Uni<Overview> overview() {
        return quota.activeLeases().flatMap(leases -> {
            Set<String> tenants = new TreeSet<>(quota.policy().tenants().keySet());
            tenants.addAll(callerKeys.tenantIds());
            callerKeys.anonymousTenant().ifPresent(t -> tenants.add(t.id()));
            Set<String> pools = new TreeSet<>(quota.policy().pools().keySet());
            leases.stream().filter(lease -> !QuotaService.CAPACITY_TENANT.equals(lease.tenant())).forEach(lease -> {
                tenants.add(lease.tenant());
                if (lease.pool() != null) {
                    pools.add(lease.pool());
                }
            });
            List<Uni<TenantQuota>> tenantQuotas = new ArrayList<>();
            tenants.forEach(t -> tenantQuotas.add(tenant(t)));
            List<Uni<PoolQuota>> poolQuotas = new ArrayList<>();
            pools.forEach(p -> poolQuotas.add(pool(p)));
            Uni<List<TenantQuota>> allTenants = joinAll(tenantQuotas);
            Uni<List<PoolQuota>> allPools = joinAll(poolQuotas);
            return Uni.combine().all().unis(allTenants, allPools).asTuple()
                    .map(both -> new Overview(quota.replicaId(),
                            sorted(both.getItem1(), Comparator.comparing(TenantQuota::tenant)),
                            sorted(both.getItem2(), Comparator.comparing(PoolQuota::pool))));
        });
    }

    @GET
    @Path("/tenants/{tenant}")
    public Uni<TenantQuota> tenant(@PathParam("tenant") String tenant) {
        QuotaPolicy.TenantLimits limits = quota.policy().tenantLimits(tenant);
        return quota.tenantUsage(tenant).map(usage -> new TenantQuota(tenant, limits.maxConcurrentSessions(),
                limits.sessionTimePerDay().map(d -> d.toSeconds()).orElse(null), usage.activeSessions(),
                usage.sessionTimeUsed().toSeconds()));
    }

    @GET
    @Path("/pools/{pool: .+}")
    public Uni<PoolQuota> pool(@PathParam("pool") String pool) {
        var limit = quota.policy().poolLimit(pool);
        return quota.poolUsage(pool).map(active -> new PoolQuota(pool,
                limit.isPresent() ? limit.getAsInt() : null, active));
    }

    private static <T> Uni<List<T>> joinAll(List<Uni<T>> unis) {
        if (unis.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return Uni.join().all(unis).andFailFast();
    }

    private static <T> List<T> sorted(List<T> items, Comparator<T> order) {
        List<T> copy = new ArrayList<>(items);
        copy.sort(order);
        return copy;
    }
}
