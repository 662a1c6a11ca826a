package dev.livegateway.tools;

import dev.livegateway.quota.RedisTestServer;
import dev.livegateway.redis.RedisConnections;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/** The tool store contract on a real redis-server process, each "replica" on its own connection. */
class RedisToolStoreTest extends ToolStoreContractTest {

    static RedisTestServer redis;
    private final List<RedisConnections> connections = new ArrayList<>();
    /** A fresh key prefix per test: the tests share one server but not their entries. */
    private final String prefix = "lg-tools-" + UUID.randomUUID();

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
    ToolStore newStore() {
        RedisConnections connection = new RedisConnections(redis.uri(), Duration.ofSeconds(2), prefix);
        connections.add(connection);
        return new RedisToolStore(connection, HISTORY, Clock.systemUTC());
    }

    @Override
    ToolStore otherReplica() {
        return newStore();
    }
}
