package dev.livegateway.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.livegateway.redis.RedisConnections;
import dev.livegateway.redis.RedisUnavailableException;
import dev.livegateway.testing.EmbeddedRedis;
import dev.livegateway.testing.RedisTestServer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The resume token contract on a real redis-server process, each "replica" on its own connection. */
@ExtendWith(EmbeddedRedis.class)
class RedisResumeTokenStoreTest extends ResumeTokenStoreContractTest {

    private final RedisTestServer redis;
    private final EmbeddedRedis.Clients clients;
    private final String prefix = "lg-resume-" + UUID.randomUUID();

    RedisResumeTokenStoreTest(RedisTestServer redis, EmbeddedRedis.Clients clients) {
        this.redis = redis;
        this.clients = clients;
    }

    private RedisConnections connect(String uri) {
        return clients.connect(uri, Duration.ofMillis(500), prefix);
    }

    @Override
    ResumeTokenStore newStore() {
        return new RedisResumeTokenStore(connect(redis.uri()), Clock.systemUTC());
    }

    @Override
    ResumeTokenStore otherReplica(ResumeTokenStore store) {
        return newStore();
    }

    @Test
    void tokensAreStoredByDigestWithAnExpiry() {
        RedisConnections connection = connect(redis.uri());
        ResumeTokenStore store = new RedisResumeTokenStore(connection, Clock.systemUTC());
        String token = token();
        store.put(token, record("h", inAMinute())).await().atMost(WAIT);

        List<String> keys = connection.call(redis -> redis.keys("{" + prefix + "}:*")).await().atMost(WAIT);
        assertThat(keys).hasSize(1);
        assertThat(keys.get(0)).doesNotContain(token.substring(5)).matches("\\{" + prefix + "\\}:resume:[0-9a-f]{64}");
        long ttl = connection.call(redis -> redis.pttl(keys.get(0))).await().atMost(WAIT);
        assertThat(ttl).isBetween(50_000L, 60_000L);
    }

    @Test
    void anUnreachableRedisFailsFastWithItsAddress() {
        ResumeTokenStore store = new RedisResumeTokenStore(connect("redis://127.0.0.1:1"), Clock.systemUTC());
        assertThatThrownBy(() -> store.take(token(), "team-a", "lg-taker").await().atMost(WAIT))
                .isInstanceOf(RedisUnavailableException.class)
                .hasMessageContaining("127.0.0.1:1");
    }
}
