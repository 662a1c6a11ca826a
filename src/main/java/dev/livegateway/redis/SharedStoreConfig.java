package dev.livegateway.redis;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/**
 * The one store choice for all state that replicas must share: session quota leases, resume
 * tokens and the tool registry. Key {@code live-gateway.store}.
 */
@ConfigMapping(prefix = "live-gateway")
public interface SharedStoreConfig {

    /**
     * Where shared state lives: {@code memory} (one replica; the default) or {@code redis}
     * (several replicas sharing {@code live-gateway.redis.uri}, so any replica serves any caller:
     * quotas hold across replicas, a resume token works on every replica, registry changes are
     * seen by all). {@code live-gateway.quota.store}, the older key, follows it and may still be
     * set on its own; setting both to different values is refused at start-up.
     */
    Optional<StoreKind> store();

    /** Store implementations. */
    enum StoreKind {
        MEMORY,
        REDIS
    }
}
