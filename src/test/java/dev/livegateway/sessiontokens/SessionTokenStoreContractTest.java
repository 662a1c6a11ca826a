package dev.livegateway.sessiontokens;

import static org.assertj.core.api.Assertions.assertThat;

import dev.livegateway.sessiontokens.SessionTokenStore.Outcome;
import dev.livegateway.sessiontokens.SessionTokenStore.Redemption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The {@link SessionTokenStore} contract for every implementation. "Replicas" are separate store
 * clients ({@link #newStore}); for Redis, separate connections to one server.
 */
abstract class SessionTokenStoreContractTest {

    static final Duration WAIT = Duration.ofSeconds(5);

    abstract SessionTokenStore newStore();

    /** Another replica's client of the same store; the in-memory store has only one. */
    abstract SessionTokenStore otherReplica(SessionTokenStore store);

    static String digest() {
        return SessionTokens.digest(SessionTokens.PREFIX + UUID.randomUUID());
    }

    static SessionToken token(Instant expiresAt) {
        return new SessionToken("team-a", "gemini-live-2.5-flash", List.of("light-switch", "search"), expiresAt);
    }

    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    @Test
    void aTokenIsRedeemedOnceAnywhereWithItsAllowLists() {
        SessionTokenStore store = newStore();
        String digest = digest();
        SessionToken saved = token(now().plusSeconds(60));
        store.save(digest, saved, saved.expiresAt().plusSeconds(600)).await().atMost(WAIT);

        Instant usedAt = now();
        Redemption first = otherReplica(store).redeem(digest, usedAt).await().atMost(WAIT);
        assertThat(first.outcome()).isEqualTo(Outcome.REDEEMED);
        assertThat(first.token()).isEqualTo(saved);

        Redemption again = store.redeem(digest, now()).await().atMost(WAIT);
        assertThat(again.outcome()).isEqualTo(Outcome.USED);
        assertThat(again.usedAt()).isEqualTo(usedAt);
    }

    @Test
    void anExpiredTokenIsToldApartFromAnUnknownOne() {
        SessionTokenStore store = newStore();
        String digest = digest();
        Instant expiresAt = now().plusMillis(200);
        store.save(digest, token(expiresAt), expiresAt.plusSeconds(600)).await().atMost(WAIT);

        Redemption late = store.redeem(digest, expiresAt.plusMillis(1)).await().atMost(WAIT);
        assertThat(late.outcome()).isEqualTo(Outcome.EXPIRED);
        assertThat(late.token().expiresAt()).isEqualTo(expiresAt);
        assertThat(store.redeem(digest(), now()).await().atMost(WAIT).outcome()).isEqualTo(Outcome.UNKNOWN);
    }

    @Test
    void aTokenWithoutAllowListsReadsBackWithoutThem() {
        SessionTokenStore store = newStore();
        String digest = digest();
        SessionToken open = new SessionToken("team-b", null, null, now().plusSeconds(30));
        store.save(digest, open, open.expiresAt().plusSeconds(60)).await().atMost(WAIT);
        assertThat(otherReplica(store).redeem(digest, now()).await().atMost(WAIT).token()).isEqualTo(open);
    }

    @Test
    void ofConcurrentRedemptionsExactlyOneWins() throws Exception {
        SessionTokenStore store = newStore();
        String digest = digest();
        store.save(digest, token(now().plusSeconds(60)), now().plusSeconds(600)).await().atMost(WAIT);
        List<SessionTokenStore> replicas = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            replicas.add(i == 0 ? store : otherReplica(store));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Outcome>> tasks = new ArrayList<>();
            replicas.forEach(r -> tasks.add(() -> r.redeem(digest, now()).await().atMost(WAIT).outcome()));
            List<Outcome> outcomes = new ArrayList<>();
            for (Future<Outcome> f : pool.invokeAll(tasks)) {
                outcomes.add(f.get());
            }
            assertThat(outcomes).filteredOn(o -> o == Outcome.REDEEMED).hasSize(1);
            assertThat(outcomes).filteredOn(o -> o == Outcome.USED).hasSize(7);
        } finally {
            pool.shutdownNow();
        }
    }
}
