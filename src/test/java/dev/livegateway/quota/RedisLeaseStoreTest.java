package dev.livegateway.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.livegateway.redis.RedisConnections;
import dev.livegateway.testing.EmbeddedRedis;
import dev.livegateway.testing.RedisTestServer;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The lease contract on a real redis-server process; each "replica" has its own Redis client and
 * connection. Plus what only a network store can do: go away and come back.
 */
@ExtendWith(EmbeddedRedis.class)
class RedisLeaseStoreTest extends LeaseStoreContractTest {

    static final Duration COMMAND_TIMEOUT = Duration.ofMillis(500);

    private final RedisTestServer redis;
    private final EmbeddedRedis.Clients clients;

    RedisLeaseStoreTest(RedisTestServer redis, EmbeddedRedis.Clients clients) {
        this.redis = redis;
        this.clients = clients;
    }

    @Override
    LeaseStore newStoreClient() {
        return new RedisLeaseStore(clients.connect(COMMAND_TIMEOUT, "lg-test"));
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
        RedisConnections nowhere = clients.connect("redis://127.0.0.1:1", COMMAND_TIMEOUT, "lg-test");
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
