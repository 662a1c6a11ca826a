package dev.livegateway.redis;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The one store choice for all state that replicas must share: session quota leases, resume
 * tokens and the tool registry.
 *
 * <p>{@code live-gateway.store}: {@code memory} (one replica; the default) or {@code redis}
 * (several replicas sharing {@code live-gateway.redis.uri}, so any replica serves any caller:
 * quotas hold across replicas, a resume token works on every replica, registry changes are seen
 * by all). The older {@code live-gateway.quota.store} defaults to it and, set alone, still
 * chooses for all three; setting both to different values is refused at start-up.
 *
 * <p>A plain property rather than a {@code @ConfigMapping}: a mapping rooted at
 * {@code live-gateway} would claim every {@code live-gateway.*} key and refuse the others'.
 */
@Singleton
public class StoreSelection {

    /** Store implementations. */
    public enum StoreKind {
        MEMORY,
        REDIS
    }

    private final StoreKind kind;

    public StoreSelection(@ConfigProperty(name = "live-gateway.store") Optional<String> store,
            @ConfigProperty(name = "live-gateway.quota.store", defaultValue = "memory") String quotaStore) {
        this.kind = resolve(store, quotaStore);
    }

    static StoreKind resolve(Optional<String> store, String quotaStore) {
        StoreKind quota = parse("live-gateway.quota.store", quotaStore);
        Optional<StoreKind> shared = store.filter(s -> !s.isBlank()).map(s -> parse("live-gateway.store", s));
        if (shared.isPresent() && shared.get() != quota) {
            throw new IllegalStateException("live-gateway.store=" + name(shared.get()) + " and live-gateway.quota.store="
                    + name(quota) + " disagree: quotas, resume tokens and the tool registry use one store. Remove"
                    + " live-gateway.quota.store (it follows live-gateway.store)");
        }
        return quota;
    }

    private static StoreKind parse(String key, String value) {
        try {
            return StoreKind.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(key + "=" + value + " is not a store; use memory or redis");
        }
    }

    private static String name(StoreKind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    /** Checks the choice at start-up rather than at the first use of a store. */
    void validate(@Observes StartupEvent start) {
        kind();
    }

    public StoreKind kind() {
        return kind;
    }

    public boolean redis() {
        return kind == StoreKind.REDIS;
    }
}
