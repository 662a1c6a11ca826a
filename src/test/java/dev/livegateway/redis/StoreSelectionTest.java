package dev.livegateway.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.livegateway.redis.StoreSelection.StoreKind;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** live-gateway.store and the older live-gateway.quota.store choose one store for all shared state. */
class StoreSelectionTest {

    // live-gateway.quota.store defaults to ${live-gateway.store:memory}, so it always has a value.

    @Test
    void memoryByDefault() {
        assertThat(StoreSelection.resolve(Optional.empty(), "memory")).isEqualTo(StoreKind.MEMORY);
    }

    @Test
    void theSharedKeyChoosesForAll() {
        assertThat(StoreSelection.resolve(Optional.of("redis"), "redis")).isEqualTo(StoreKind.REDIS);
        assertThat(StoreSelection.resolve(Optional.of("REDIS "), "redis")).isEqualTo(StoreKind.REDIS);
    }

    @Test
    void theOlderQuotaKeyAloneStillChoosesForAll() {
        assertThat(StoreSelection.resolve(Optional.empty(), "redis")).isEqualTo(StoreKind.REDIS);
    }

    @Test
    void disagreeingKeysAreRefused() {
        assertThatThrownBy(() -> StoreSelection.resolve(Optional.of("redis"), "memory"))
                .hasMessageContaining("live-gateway.store=redis and live-gateway.quota.store=memory disagree")
                .hasMessageContaining("Remove live-gateway.quota.store");
    }

    @Test
    void unknownStoresAreRefusedNamingTheKey() {
        assertThatThrownBy(() -> StoreSelection.resolve(Optional.of("postgres"), "memory"))
                .hasMessage("live-gateway.store=postgres is not a store; use memory or redis");
    }
}
