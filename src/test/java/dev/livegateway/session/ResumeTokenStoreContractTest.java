package dev.livegateway.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.livegateway.session.ResumeTokenStore.ResumeRecord;
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

    @Test
    void aTokenIsTakenOnceAnywhereWithEverythingItHeld() {
        ResumeTokenStore store = newStore();
        String token = token();
        ResumeRecord saved = record("handle-1", inAMinute());
        store.put(token, saved).await().atMost(WAIT);

        ResumeTokenStore other = otherReplica(store);
        assertThat(other.take(token).await().atMost(WAIT)).contains(saved);
        assertThat(other.take(token).await().atMost(WAIT)).isEmpty();
        assertThat(store.take(token).await().atMost(WAIT)).isEmpty();
    }

    @Test
    void theNewestHandleWins() {
        ResumeTokenStore store = newStore();
        String token = token();
        store.put(token, record("handle-1", inAMinute())).await().atMost(WAIT);
        store.put(token, record("handle-2", inAMinute())).await().atMost(WAIT);
        assertThat(otherReplica(store).take(token).await().atMost(WAIT)).map(ResumeRecord::handle).contains("handle-2");
    }

    @Test
    void removedAndUnknownTokensAreNotFound() {
        ResumeTokenStore store = newStore();
        String token = token();
        store.put(token, record("h", inAMinute())).await().atMost(WAIT);
        otherReplica(store).remove(token).await().atMost(WAIT);
        assertThat(store.take(token).await().atMost(WAIT)).isEmpty();
        assertThat(store.take(token()).await().atMost(WAIT)).isEmpty();
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
        assertThat(otherReplica(store).take(expired).await().atMost(WAIT)).isEmpty();
        assertThat(otherReplica(store).take(soon).await().atMost(WAIT)).isEmpty();
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
                    tasks.add(() -> replica.take(token).await().atMost(WAIT));
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
}
