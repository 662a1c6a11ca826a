package dev.livegateway.replicas;

import dev.livegateway.testing.RedisTestServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;

/**
 * A real Redis for a {@code @QuarkusTest}, with every shared store on it ({@code live-gateway.store=redis})
 * and short quota timings. The test gets the server in a field marked {@link InjectRedis}, to stop
 * and start it.
 */
public class SharedRedisResource implements QuarkusTestResourceLifecycleManager {

    /** Marks the {@link RedisTestServer} field of the test. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface InjectRedis {}

    private RedisTestServer redis;

    @Override
    public Map<String, String> start() {
        redis = RedisTestServer.start();
        return Map.of(
                "live-gateway.store", "redis",
                "live-gateway.redis.uri", redis.uri(),
                "live-gateway.redis.command-timeout", "500ms",
                "live-gateway.quota.heartbeat-interval", "0.2s",
                "live-gateway.quota.lease-ttl", "1s");
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(redis, new TestInjector.AnnotatedAndMatchesType(InjectRedis.class, RedisTestServer.class));
    }

    @Override
    public void stop() {
        if (redis != null) {
            redis.stop();
        }
    }
}
