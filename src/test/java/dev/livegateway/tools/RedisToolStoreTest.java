package dev.livegateway.tools;

import dev.livegateway.testing.EmbeddedRedis;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.extension.ExtendWith;

/** The tool store contract on a real redis-server process, each "replica" on its own connection. */
@ExtendWith(EmbeddedRedis.class)
class RedisToolStoreTest extends ToolStoreContractTest {

    private final EmbeddedRedis.Clients clients;
    /** A fresh key prefix per test: the tests share one server but not their entries. */
    private final String prefix = "lg-tools-" + UUID.randomUUID();

    RedisToolStoreTest(EmbeddedRedis.Clients clients) {
        this.clients = clients;
    }

    @Override
    ToolStore newStore() {
        return new RedisToolStore(clients.connect(Duration.ofSeconds(2), prefix), HISTORY, Clock.systemUTC());
    }

    @Override
    ToolStore otherReplica() {
        return newStore();
    }
}
