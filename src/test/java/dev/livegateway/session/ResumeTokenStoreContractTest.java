package dev.livegateway.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.livegateway.session.ResumeTokenStore.ResumeRecord;
import dev.livegateway.session.ResumeTokenStore.Take;
import dev.livegateway.session.ResumeTokenStore.TakeOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The {@link ResumeTokenStore} contract for every implementation. "Replicas" are separate store
 * clients ({@link #newStore}); for Redis, separate connections to one server.
 */
abstract class ResumeTokenStoreContractTest {

    static final Duration WAIT = Duration.ofSeconds(5);

    /** A client of the store under test, as one replica holds it. */
    abstract ResumeTokenStore newStore();

    /** Another replica's client of the same store; the in-memory store has only one. */
    abstract ResumeTokenStore otherReplica(ResumeTokenStore store);

    static String token() {
        return "lgrt_" + UUID.randomUUID();
    }

    static ResumeRecord record(String handle, Instant expiresAt) {
        return new ResumeRecord("team-a", handle, "{\"setup\":{\"model\":\"m\",\"systemInstruction\":\"ünïcode \\\"q\\\"\"}}",
                List.of("light-switch@2", "search@1"), "lg-" + UUID.randomUUID(), expiresAt);
    }

    static Instant inAMinute() {
        return Instant.now().plusSeconds(60).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    }

    /** Takes {@code token} for team-a (the tenant of {@link #record}); the record when taken. */
    static Optional<ResumeRecord> take(ResumeTokenStore store, String token) {
        Take take = store.take(token, "team-a", "lg-taker-" + UUID.randomUUID()).await().atMost(WAIT);
        return Optional.ofNullable(take.record());
    }

    @Test
    void aTokenIsTakenOnceAnywhereWithEverythingItHeld() {
        ResumeTokenStore store = newStore();
        String token = token();
        ResumeRecord saved = record("handle-1", inAMinute());
        store.put(token, saved).await().atMost(WAIT);

        ResumeTokenStore other = otherReplica(store);
        assertThat(take(other, token)).contains(saved);
        assertThat(take(other, token)).isEmpty();
        assertThat(take(store, token)).isEmpty();
    }

    @Test
    void theNewestHandleWins() {
        ResumeTokenStore store = newStore();
        String token = token();
        store.put(token, record("handle-1", inAMinute())).await().atMost(WAIT);
        store.put(token, record("handle-2", inAMinute())).await().atMost(WAIT);
        assertThat(take(otherReplica(store), token)).map(ResumeRecord::handle).contains("handle-2");
    }

    @Test
    void removedAndUnknownTokensAreNotFound() {
        ResumeTokenStore store = newStore();
        String token = token();
        store.put(token, record("h", inAMinute())).await().atMost(WAIT);
        otherReplica(store).remove(token).await().atMost(WAIT);
        assertThat(take(store, token)).isEmpty();
        assertThat(take(store, token())).isEmpty();
        store.remove(token()).await().atMost(WAIT); // removing an unknown token is no error
    }

    @Test
    void anExpiredTokenIsNotFound() throws Exception {
        ResumeTokenStore store = newStore();
        String expired = token();
        String soon = token();
        store.put(expired, record("h", Instant.now().minusSeconds(1))).await().atMost(WAIT);
        store.put(soon, record("h", Instant.now().plusMillis(300))).await().atMost(WAIT);
        Thread.sleep(400);
        assertThat(take(otherReplica(store), expired)).isEmpty();
        assertThat(take(otherReplica(store), soon)).isEmpty();
    }

    @Test
    void ofConcurrentTakersExactlyOneGetsTheRecord() throws Exception {
        ResumeTokenStore store = newStore();
        List<ResumeTokenStore> replicas = List.of(store, otherReplica(store), otherReplica(store));
        int takers = 12;
        ExecutorService pool = Executors.newFixedThreadPool(takers);
        try {
            for (int round = 0; round < 5; round++) {
                String token = token();
                store.put(token, record("h" + round, inAMinute())).await().atMost(WAIT);
                List<Callable<Optional<ResumeRecord>>> tasks = new ArrayList<>();
                for (int i = 0; i < takers; i++) {
                    ResumeTokenStore replica = replicas.get(i % replicas.size());
                    tasks.add(() -> take(replica, token));
                }
                long winners = 0;
                for (Future<Optional<ResumeRecord>> outcome : pool.invokeAll(tasks)) {
                    winners += outcome.get().isPresent() ? 1 : 0;
                }
                assertThat(winners).as("takers that got the token in round %d", round).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theOwnersSavesAreRefusedOnceTheTokenIsTakenAndNeverReviveIt() {
        ResumeTokenStore original = newStore();
        String token = token();
        ResumeRecord owned = record("handle-1", inAMinute());
        assertThat(original.save(token, owned).await().atMost(WAIT)).as("the owner's first save").isTrue();
        assertThat(original.save(token, record("handle-2", inAMinute())).await().atMost(WAIT)).isTrue();

        ResumeTokenStore other = otherReplica(original);
        Take taken = other.take(token, "team-a", "lg-taker").await().atMost(WAIT);
        assertThat(taken.outcome()).isEqualTo(TakeOutcome.TAKEN);
        assertThat(taken.record().handle()).isEqualTo("handle-2");

        // the original session's periodic save, after the take
        assertThat(original.save(token, record("handle-3", inAMinute())).await().atMost(WAIT))
                .as("a save over a taken token").isFalse();
        Take again = original.take(token, "team-a", "lg-second-taker").await().atMost(WAIT);
        assertThat(again.outcome()).isEqualTo(TakeOutcome.ALREADY_TAKEN);
        assertThat(again.takenBy()).isEqualTo("lg-taker");
        assertThat(again.record()).isNull();
    }

    @Test
    void aTokenOfAnotherTenantIsNotSpent() {
        ResumeTokenStore store = newStore();
        String token = token();
        store.save(token, record("h", inAMinute())).await().atMost(WAIT);
        Take wrong = otherReplica(store).take(token, "team-b", "lg-thief").await().atMost(WAIT);
        assertThat(wrong.outcome()).isEqualTo(TakeOutcome.OTHER_TENANT);
        assertThat(wrong.record()).isNull();
        assertThat(store.take(token, "team-a", "lg-owner").await().atMost(WAIT).outcome()).isEqualTo(TakeOutcome.TAKEN);
    }

    @Test
    void aGivenBackTokenCanBeTakenAgain() {
        ResumeTokenStore store = newStore();
        String token = token();
        ResumeRecord saved = record("h", inAMinute());
        store.save(token, saved).await().atMost(WAIT);
        assertThat(take(store, token)).contains(saved);
        store.put(token, saved).await().atMost(WAIT); // the taker was not admitted
        assertThat(take(otherReplica(store), token)).contains(saved);
    }

    @Test
    void ofConcurrentTakersAndSavesExactlyOneTakerWinsAndNoSaveRevivesTheToken() throws Exception {
        ResumeTokenStore store = newStore();
        List<ResumeTokenStore> replicas = List.of(store, otherReplica(store), otherReplica(store));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 5; round++) {
                String token = token();
                store.save(token, record("h" + round, inAMinute())).await().atMost(WAIT);
                List<Callable<Take>> tasks = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    ResumeTokenStore replica = replicas.get(i % replicas.size());
                    String taker = "lg-taker-" + i;
                    int n = i;
                    tasks.add(() -> {
                        if (n % 2 == 0) {
                            store.save(token, record("saved-" + n, inAMinute())).await().atMost(WAIT);
                        }
                        return replica.take(token, "team-a", taker).await().atMost(WAIT);
                    });
                }
                long winners = 0;
                for (Future<Take> outcome : pool.invokeAll(tasks)) {
                    winners += outcome.get().outcome() == TakeOutcome.TAKEN ? 1 : 0;
                }
                assertThat(winners).as("takers that got the token in round %d", round).isEqualTo(1);
                assertThat(store.save(token, record("late", inAMinute())).await().atMost(WAIT)).isFalse();
                assertThat(take(otherReplica(store), token)).isEmpty();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
