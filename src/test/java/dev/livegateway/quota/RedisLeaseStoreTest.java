package dev.livegateway.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.livegateway.redis.RedisConnections;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The lease contract on a real redis-server process; each "replica" has its own Redis client and
 * connection. Plus what only a network store can do: go away and come back.
 */
class RedisLeaseStoreTest extends LeaseStoreContractTest {

    static final Duration COMMAND_TIMEOUT = Duration.ofMillis(500);

    static RedisTestServer redis;
    private final List<RedisConnections> connections = new ArrayList<>();

    @BeforeAll
    static void startRedis() {
        redis = RedisTestServer.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.stop();
    }

    @AfterEach
    void closeConnections() {
        connections.forEach(RedisConnections::close);
        connections.clear();
    }

    @Override
    LeaseStore newStoreClient() {
        RedisConnections connection = new RedisConnections(redis.uri(), COMMAND_TIMEOUT, "lg-test");
        connections.add(connection);
        return new RedisLeaseStore(connection);
    }

    @Test
    void redisDownRefusesAdmissionsKeepsRunningSessionsAndRecovers() throws Exception {
        String tenant = uniqueTenant();
        QuotaService quota = replica("a", policy(2));
        Lease running = admit(quota, request(tenant));
        AtomicReference<LeaseTermination> ended = new AtomicReference<>();
        running.onTerminated(ended::set);

        redis.stop();
        try {
            long start = System.nanoTime();
            assertThatThrownBy(() -> admit(quota, request(tenant)))
                    .isInstanceOf(QuotaUnavailableException.class)
                    .hasMessageContaining("store under test")
                    .hasMessageContaining("No new sessions are admitted until it is back");
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .as("refused quickly, not hanging").isLessThan(Duration.ofSeconds(3));
            // Longer than the TTL: the running session is not ended.
            Thread.sleep(TTL.multipliedBy(2).toMillis());
            assertThat(running.isActive()).isTrue();
            assertThat(ended.get()).isNull();
        } finally {
            redis.startAgain(); // empty: the leases are gone from the store
        }

        LeaseStore observer = observer();
        awaitTrue("the running session's lease is counted again", Duration.ofSeconds(10),
                () -> { try { return active(observer, tenant) == 1; } catch (RuntimeException e) { return false; } });
        assertThat(running.isActive()).isTrue();
        Lease second = admit(quota, request(tenant));
        assertThatThrownBy(() -> admit(quota, request(tenant))).isInstanceOf(QuotaExceededException.class);
        running.release().await().atMost(WAIT);
        second.release().await().atMost(WAIT);
        assertThat(active(observer, tenant)).isZero();
    }

    @Test
    void aLeaseThatCannotBeRenewedWithinTheGraceIsLost() throws Exception {
        String tenant = uniqueTenant();
        QuotaPolicy shortGrace = new QuotaPolicy(HEARTBEAT, TTL, Duration.ofMillis(1500), Duration.ofSeconds(2),
                Duration.ZERO, new QuotaPolicy.TenantLimits(2, Optional.empty()), Map.of(), Map.of(), OptionalInt.empty());
        QuotaService quota = replica("a", shortGrace);
        Lease lease = admit(quota, request(tenant));
        AtomicReference<LeaseTermination> ended = new AtomicReference<>();
        lease.onTerminated(ended::set);
        redis.stop();
        try {
            awaitTrue("the lease is declared lost", Duration.ofSeconds(6), () -> ended.get() != null);
        } finally {
            redis.startAgain();
        }
        assertThat(ended.get().reason()).isEqualTo(LeaseTermination.Reason.LOST);
        assertThat(ended.get().message()).contains("unreachable for more than");
        assertThat(quota.localLeaseCount()).isZero();
        lease.release().await().atMost(WAIT);
    }

    @Test
    void redisUnreachableAtStartIsRefusedUntilItAnswers() {
        RedisConnections nowhere = new RedisConnections("redis://127.0.0.1:1", COMMAND_TIMEOUT, "lg-test");
        connections.add(nowhere);
        QuotaService quota = new QuotaService(new RedisLeaseStore(nowhere), policy(1), "a", "Redis at " + nowhere.address());
        try {
            assertThatThrownBy(() -> admit(quota, request(uniqueTenant())))
                    .isInstanceOf(QuotaUnavailableException.class)
                    .hasMessageContaining("Redis at 127.0.0.1:1");
        } finally {
            quota.close();
        }
    }
}
