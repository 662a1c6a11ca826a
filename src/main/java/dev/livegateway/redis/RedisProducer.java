package dev.livegateway.redis;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Makes the shared {@link RedisConnections} injectable. The bean is created on first use only,
 * so a deployment whose stores are all in memory needs no {@code live-gateway.redis.uri}.
 */
@ApplicationScoped
public class RedisProducer {

    @Produces
    @Singleton
    RedisConnections redisConnections(RedisConfig config) {
        return RedisConnections.fromConfig(config, "A component configured with store=redis");
    }

    void close(@Disposes RedisConnections connections) {
        connections.close();
    }
}
