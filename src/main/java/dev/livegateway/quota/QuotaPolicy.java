package dev.livegateway.quota;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * The limits and lease timings in force, resolved from {@link QuotaConfig}. A plain value, so
 * that a {@link QuotaService} can be built without a container (tests, tools).
 *
 * @param heartbeatInterval how often leases are renewed
 * @param leaseTtl          how long a lease lives without renewal
 * @param renewalGrace      how long sessions survive failing renewals
 * @param retryAfter        retry delay suggested for a full concurrency limit
 * @param admissionWait     how long an admission may wait for room (zero: no wait)
 * @param defaults          limits of tenants without an entry in {@code tenants}
 * @param tenants           per-tenant limits
 * @param pools             per-pool concurrency limits
 * @param defaultPoolMax    concurrency limit of pools without an entry in {@code pools}
 */
public record QuotaPolicy(
        Duration heartbeatInterval,
        Duration leaseTtl,
        Duration renewalGrace,
        Duration retryAfter,
        Duration admissionWait,
        TenantLimits defaults,
        Map<String, TenantLimits> tenants,
        Map<String, Integer> pools,
        OptionalInt defaultPoolMax) {

    /**
     * The resolved limits of one tenant.
     *
     * @param maxConcurrentSessions sessions at the same time
     * @param sessionTimePerDay     session time per rolling 24 h, if limited
     */
    public record TenantLimits(int maxConcurrentSessions, Optional<Duration> sessionTimePerDay) {}

    public QuotaPolicy {
        tenants = Map.copyOf(tenants);
        pools = Map.copyOf(pools);
    }

    /** Resolves the configuration; tenant entries inherit unset fields from {@code default}. */
    public static QuotaPolicy from(QuotaConfig config) {
        TenantLimits defaults = new TenantLimits(config.defaults().maxConcurrentSessions(),
                config.defaults().sessionTimePerDay());
        Map<String, TenantLimits> tenants = new TreeMap<>();
        config.tenants().forEach((tenant, limits) -> tenants.put(tenant, new TenantLimits(
                limits.maxConcurrentSessions().orElse(defaults.maxConcurrentSessions()),
                limits.sessionTimePerDay().or(defaults::sessionTimePerDay))));
        Map<String, Integer> pools = new TreeMap<>();
        config.pools().forEach((pool, limits) -> pools.put(pool, limits.maxConcurrentSessions()));
        return new QuotaPolicy(config.heartbeatInterval(), config.leaseTtl(), config.renewalGrace(),
                config.retryAfter(), config.admissionWait(), defaults, tenants, pools,
                config.defaultPoolMaxConcurrentSessions());
    }

    /** The limits of {@code tenant}. */
    public TenantLimits tenantLimits(String tenant) {
        return tenants.getOrDefault(tenant, defaults);
    }

    /** The concurrency limit of {@code pool}, if it has one. */
    public OptionalInt poolLimit(String pool) {
        if (pool == null) {
            return OptionalInt.empty();
        }
        Integer limit = pools.get(pool);
        return limit != null ? OptionalInt.of(limit) : defaultPoolMax;
    }

    /**
     * What is wrong with this policy, one sentence per problem naming the property; empty when
     * it is usable.
     */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        positive(heartbeatInterval, "live-gateway.quota.heartbeat-interval", problems);
        positive(leaseTtl, "live-gateway.quota.lease-ttl", problems);
        if (leaseTtl.compareTo(heartbeatInterval.multipliedBy(2)) <= 0) {
            problems.add("live-gateway.quota.lease-ttl (" + leaseTtl + ") must be more than twice "
                    + "live-gateway.quota.heartbeat-interval (" + heartbeatInterval + "), or one late heartbeat loses a lease");
        }
        if (renewalGrace.compareTo(leaseTtl) < 0) {
            problems.add("live-gateway.quota.renewal-grace (" + renewalGrace + ") must be at least "
                    + "live-gateway.quota.lease-ttl (" + leaseTtl + ")");
        }
        positive(retryAfter, "live-gateway.quota.retry-after", problems);
        if (admissionWait.isNegative()) {
            problems.add("live-gateway.quota.admission-wait must not be negative (0s disables waiting)");
        }
        tenantProblems("live-gateway.quota.default", defaults, problems);
        tenants.forEach((tenant, limits) -> tenantProblems("live-gateway.quota.tenants.\"" + tenant + "\"", limits, problems));
        pools.forEach((pool, max) -> {
            if (max < 0) {
                problems.add("live-gateway.quota.pools.\"" + pool + "\".max-concurrent-sessions must be 0 or more, got " + max);
            }
        });
        if (defaultPoolMax.isPresent() && defaultPoolMax.getAsInt() < 0) {
            problems.add("live-gateway.quota.default-pool-max-concurrent-sessions must be 0 or more");
        }
        return problems;
    }

    private static void tenantProblems(String prefix, TenantLimits limits, List<String> problems) {
        if (limits.maxConcurrentSessions() < 0) {
            problems.add(prefix + ".max-concurrent-sessions must be 0 or more, got " + limits.maxConcurrentSessions());
        }
        limits.sessionTimePerDay().ifPresent(time -> positive(time, prefix + ".session-time-per-day", problems));
    }

    private static void positive(Duration value, String property, List<String> problems) {
        if (value.isZero() || value.isNegative()) {
            problems.add(property + " must be a positive duration, got " + value);
        }
    }
}
