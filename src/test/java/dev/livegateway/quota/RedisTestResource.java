package dev.livegateway.quota;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Starts a real Redis for a {@code @QuarkusTest} and points the gateway's Redis-backed stores at
 * it: {@code @WithTestResource(RedisTestResource.class)}.
 */
public class RedisTestResource implements QuarkusTestResourceLifecycleManager {

    private RedisTestServer redis;

    @Override
    public Map<String, String> start() {
        redis = RedisTestServer.start();
        return Map.of(
                "live-gateway.redis.uri", redis.uri(),
                "live-gateway.quota.store", "redis");
    }

    @Override
    public void stop() {
        if (redis != null) {
            redis.stop();
        }
    }
}
