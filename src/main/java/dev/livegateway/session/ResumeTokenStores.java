package dev.livegateway.session;

import dev.livegateway.redis.RedisConnections;
import dev.livegateway.redis.StoreSelection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import org.jboss.logging.Logger;

/**
 * Chooses the {@link ResumeTokenStore} by {@code live-gateway.store}: the replica's own memory
 * ({@link InMemoryResumeTokenStore}), or Redis so that a token works on every replica.
 */
@ApplicationScoped
public class ResumeTokenStores {

    private static final Logger LOG = Logger.getLogger(ResumeTokenStores.class);

    @Produces
    @Singleton
    ResumeTokenStore resumeTokenStore(StoreSelection stores, Instance<InMemoryResumeTokenStore> memory,
            Instance<RedisConnections> redis) {
        if (stores.redis()) {
            RedisConnections connections = redis.get();
            LOG.infof("Resume tokens kept in Redis at %s", connections.address());
            return new RedisResumeTokenStore(connections, Clock.systemUTC());
        }
        return memory.get();
    }
}
