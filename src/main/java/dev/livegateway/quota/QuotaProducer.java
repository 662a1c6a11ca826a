package dev.livegateway.quota;

import dev.livegateway.redis.RedisConfig;
import dev.livegateway.redis.RedisConnections;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.List;
import org.jboss.logging.Logger;

/** Builds the replica's {@link QuotaService} on the configured store, and checks the configuration at start-up. */
@ApplicationScoped
public class QuotaProducer {

    private static final Logger LOG = Logger.getLogger(QuotaProducer.class);

    /** Fails start-up with every configuration problem, each naming its property. */
    void validate(@Observes StartupEvent start, QuotaConfig config, RedisConfig redisConfig) {
        List<String> problems = new java.util.ArrayList<>(QuotaPolicy.from(config).problems());
        if (config.store() == QuotaConfig.StoreKind.REDIS && redisConfig.uri().filter(s -> !s.isBlank()).isEmpty()) {
            problems.add("live-gateway.quota.store=redis needs live-gateway.redis.uri (e.g. redis://redis:6379)");
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Invalid quota configuration:\n  - " + String.join("\n  - ", problems));
        }
    }

    @Produces
    @Singleton
    QuotaService quotaService(QuotaConfig config, ReplicaIdentity replica, Instance<RedisConnections> redis) {
        QuotaPolicy policy = QuotaPolicy.from(config);
        return switch (config.store()) {
            case MEMORY -> {
                LOG.infof("Session quotas kept in memory (single replica %s)", replica.id());
                yield new QuotaService(new InMemoryLeaseStore(), policy, replica.id(), "in-memory store");
            }
            case REDIS -> {
                RedisConnections connections = redis.get();
                LOG.infof("Session quotas kept in Redis at %s (replica %s)", connections.address(), replica.id());
                yield new QuotaService(new RedisLeaseStore(connections), policy, replica.id(),
                        "Redis at " + connections.address());
            }
        };
    }

    void close(@Disposes QuotaService quota) {
        quota.close();
    }
}
