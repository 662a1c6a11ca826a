package dev.livegateway.grpc;

import dev.livegateway.auth.KeyHashes;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * Admission under low limits, one application for {@code UnconfiguredStreamsTest} and
 * {@code replicas.GatewayLeaseTest}: the anonymous tenant {@code default} may hold
 * {@link #DEFAULT_LIMIT} sessions; a stream without a config ends after {@link #TIMEOUT_SECONDS}, and
 * a tenant may have {@link #CAP} of them at a time; tenant {@code churn} (API key {@link #CHURN_KEY})
 * has room for the open/close cycles, tenant {@code other-team} ({@link #OTHER_TEAM_KEY}) is a second
 * tenant. Short heartbeat and TTL keep waits short.
 */
public class AdmissionLimitsProfile implements QuarkusTestProfile {

    public static final int DEFAULT_LIMIT = 2;
    public static final String CHURN_KEY = "churn-tenant-test-key";
    /** Above the four callers of GatewayLeaseTest's churn, whose streams each count until their config is read. */
    public static final int CAP = 5;
    public static final int TIMEOUT_SECONDS = 3;
    public static final String OTHER_TEAM_KEY = "other-team-test-key";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "live-gateway.quota.tenants.default.max-concurrent-sessions", Integer.toString(DEFAULT_LIMIT),
                "live-gateway.quota.tenants.churn.max-concurrent-sessions", "16",
                "live-gateway.auth.tenants.churn.key-hashes", KeyHashes.format(CHURN_KEY),
                "live-gateway.quota.heartbeat-interval", "0.2s",
                "live-gateway.quota.lease-ttl", "2s",
                "live-gateway.quota.retry-after", "3s",
                "live-gateway.limits.first-event-timeout", TIMEOUT_SECONDS + "s",
                "live-gateway.limits.unconfigured-streams-per-tenant", Integer.toString(CAP),
                "live-gateway.auth.tenants.other-team.key-hashes", KeyHashes.format(OTHER_TEAM_KEY));
    }
}
