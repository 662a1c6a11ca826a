package dev.livegateway.toolrun;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Per-tenant limits on gateway-run calls on this replica: calls in flight
 * ({@code max-concurrent-per-tenant}) and calls started per second (a token bucket of
 * {@code burst-per-tenant} refilled at {@code rate-per-tenant}). A call over a limit is refused at
 * once, never queued: the model gets an error response and the turn goes on.
 */
final class TenantCallLimits {

    private final int maxConcurrent;
    private final double ratePerNano;
    private final int burst;
    private final ConcurrentMap<String, Tenant> tenants = new ConcurrentHashMap<>();

    TenantCallLimits(int maxConcurrent, int ratePerSecond, int burst) {
        this.maxConcurrent = maxConcurrent;
        this.ratePerNano = ratePerSecond / 1e9;
        this.burst = burst;
    }

    private final class Tenant {
        int inFlight;
        double tokens = burst;
        long refilledAt = System.nanoTime();
    }

    /** Takes a slot for a call of {@code tenant}; null when taken (release it), else the refusal for the model. */
    String acquire(String tenant) {
        Tenant t = tenants.computeIfAbsent(tenant, k -> new Tenant());
        synchronized (t) {
            long now = System.nanoTime();
            t.tokens = Math.min(burst, t.tokens + (now - t.refilledAt) * ratePerNano);
            t.refilledAt = now;
            if (t.inFlight >= maxConcurrent) {
                return "the tenant already has " + t.inFlight + " gateway-run tool calls in flight"
                        + " (live-gateway.tool-run.max-concurrent-per-tenant)";
            }
            if (t.tokens < 1) {
                return "the tenant started too many gateway-run tool calls in the last second"
                        + " (live-gateway.tool-run.rate-per-tenant)";
            }
            t.tokens -= 1;
            t.inFlight++;
            return null;
        }
    }

    void release(String tenant) {
        Tenant t = tenants.get(tenant);
        if (t != null) {
            synchronized (t) {
                t.inFlight = Math.max(0, t.inFlight - 1);
            }
        }
    }

    /** Calls of {@code tenant} in flight (tests, diagnostics). */
    int inFlight(String tenant) {
        Tenant t = tenants.get(tenant);
        if (t == null) {
            return 0;
        }
        synchronized (t) {
            return t.inFlight;
        }
    }
}
