package dev.livegateway.grpc;

import dev.livegateway.auth.KeyHashes;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** A short first-event timeout and a small cap on unconfigured streams; tenant "other-team" besides "default". */
public class UnconfiguredStreamsProfile implements QuarkusTestProfile {

    static final int CAP = 3;
    static final int TIMEOUT_SECONDS = 3;
    static final String OTHER_TEAM_KEY = "other-team-test-key";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "live-gateway.limits.first-event-timeout", TIMEOUT_SECONDS + "s",
                "live-gateway.limits.unconfigured-streams-per-tenant", Integer.toString(CAP),
                "live-gateway.auth.tenants.other-team.key-hashes", KeyHashes.format(OTHER_TEAM_KEY));
    }
}
