package dev.livegateway.sessiontokens;

import static org.assertj.core.api.Assertions.assertThat;

import dev.livegateway.redis.RedisConnections;
import dev.livegateway.testing.EmbeddedRedis;
import dev.livegateway.testing.RedisTestServer;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The session token contract on a real redis-server process, each "replica" on its own connection. */
@ExtendWith(EmbeddedRedis.class)
class RedisSessionTokenStoreTest extends SessionTokenStoreContractTest {

    private final RedisTestServer redis;
    private final EmbeddedRedis.Clients clients;
    private final String prefix = "lg-st-" + UUID.randomUUID();

    RedisSessionTokenStoreTest(RedisTestServer redis, EmbeddedRedis.Clients clients) {
        this.redis = redis;
        this.clients = clients;
    }

    private RedisConnections connect() {
        return clients.connect(redis.uri(), Duration.ofMillis(500), prefix);
    }

    @Override
    SessionTokenStore newStore() {
        return new RedisSessionTokenStore(connect());
    }

    @Override
    SessionTokenStore otherReplica(SessionTokenStore store) {
        return newStore();
    }

    @Test
    void onlyTheDigestIsStoredAndItIsForgottenAtItsTime() {
        RedisConnections connection = connect();
        SessionTokenStore store = new RedisSessionTokenStore(connection);
        String token = SessionTokens.PREFIX + UUID.randomUUID();
        store.save(SessionTokens.digest(token), token(now().plusSeconds(60)), now().plusSeconds(120)).await().atMost(WAIT);

        List<String> keys = connection.call(c -> c.keys("{" + prefix + "}:*")).await().atMost(WAIT);
        assertThat(keys).singleElement().asString()
                .matches("\\{" + prefix + "\\}:session-token:[0-9a-f]{64}").doesNotContain(token.substring(15));
        String stored = connection.call(c -> c.get(keys.get(0))).await().atMost(WAIT);
        assertThat(stored).doesNotContain(token.substring(15)).contains("\"tenant\":\"team-a\"");
        assertThat(connection.call(c -> c.pttl(keys.get(0))).await().atMost(WAIT)).isBetween(110_000L, 120_000L);
    }
}
