package dev.livegateway.testing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * One application for the tests that change it for good, which no other test shares:
 * {@code grpc.DrainTest} drains the replica, then {@code health.OutOfMemoryLivenessTest} makes it
 * not live. Quarkus runs the classes of one profile in name order, so the drain comes first; liveness
 * does not depend on it (only readiness does). A class added here must not mind either.
 */
public class OneWayProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("live-gateway.health.heap.exhausted-after-gc-ratio", "0.99");
    }
}
