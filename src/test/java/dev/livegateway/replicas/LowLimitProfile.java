package dev.livegateway.replicas;

import dev.livegateway.auth.KeyHashes;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The anonymous tenant {@code default} may hold 2 sessions; tenant {@code churn} (API key
 * {@link #CHURN_KEY}) has room for the open/close cycles. Short heartbeat and TTL keep waits short.
 */
public class LowLimitProfile implements QuarkusTestProfile {

    static final int DEFAULT_LIMIT = 2;
    static final String CHURN_KEY = "churn-tenant-test-key";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "live-gateway.quota.tenants.default.max-concurrent-sessions", Integer.toString(DEFAULT_LIMIT),
                "live-gateway.quota.tenants.churn.max-concurrent-sessions", "16",
                "live-gateway.auth.tenants.churn.key-hashes", KeyHashes.format(CHURN_KEY),
                "live-gateway.quota.heartbeat-interval", "0.2s",
                "live-gateway.quota.lease-ttl", "2s",
                "live-gateway.quota.retry-after", "3s");
    }
}
