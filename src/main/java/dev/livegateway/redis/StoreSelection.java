package dev.livegateway.redis;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.Locale;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The store every shared part follows (quota leases, resume tokens, tool registry), resolved from
 * {@code live-gateway.store} and the older {@code live-gateway.quota.store}: quotas default to
 * {@code live-gateway.store}, so the effective choice is the quota store, whichever key set it.
 */
@Singleton
public class StoreSelection {

    private final SharedStoreConfig.StoreKind kind;

    public StoreSelection(SharedStoreConfig shared,
            @ConfigProperty(name = "live-gateway.quota.store", defaultValue = "memory") String quotaStore) {
        this.kind = resolve(shared, quotaStore);
    }

    static SharedStoreConfig.StoreKind resolve(SharedStoreConfig shared, String quotaStore) {
        SharedStoreConfig.StoreKind quota;
        try {
            quota = SharedStoreConfig.StoreKind.valueOf(quotaStore.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("live-gateway.quota.store=" + quotaStore + " is not a store; use memory or redis");
        }
        if (shared.store().isPresent() && shared.store().get() != quota) {
            throw new IllegalStateException("live-gateway.store=" + name(shared.store().get())
                    + " and live-gateway.quota.store=" + name(quota) + " disagree: quotas, resume tokens and the tool"
                    + " registry use one store. Remove live-gateway.quota.store (it follows live-gateway.store)");
        }
        return quota;
    }

    private static String name(SharedStoreConfig.StoreKind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    /** Checks the choice at start-up rather than at the first use of a store. */
    void validate(@Observes StartupEvent start) {
        kind();
    }

    public SharedStoreConfig.StoreKind kind() {
        return kind;
    }

    public boolean redis() {
        return kind == SharedStoreConfig.StoreKind.REDIS;
    }
}
