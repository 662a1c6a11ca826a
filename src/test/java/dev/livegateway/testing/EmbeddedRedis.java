package dev.livegateway.testing;

import dev.livegateway.redis.RedisConnections;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A real redis-server for a plain JUnit test class, and the Redis connections its tests open:
 * {@code @ExtendWith(EmbeddedRedis.class)}. One {@link RedisTestServer} per test class, started
 * before the first test and stopped after the last; the connections a test opens through
 * {@link Clients} are closed after that test. Both are injected as parameters (constructor, test
 * or lifecycle method). {@code @QuarkusTest} classes get the same server through a Quarkus test
 * resource ({@code replicas.SharedRedisResource}).
 */
public final class EmbeddedRedis implements BeforeAllCallback, AfterEachCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(EmbeddedRedis.class);

    /** Opens Redis connections for a test; each is closed after the test that opened it. */
    public static final class Clients {

        private final RedisTestServer server;
        private final List<RedisConnections> open = new ArrayList<>();

        private Clients(RedisTestServer server) {
            this.server = server;
        }

        /** A connection to the class's server. */
        public RedisConnections connect(Duration commandTimeout, String keyPrefix) {
            return connect(server.uri(), commandTimeout, keyPrefix);
        }

        /** A connection to {@code uri} (e.g. a port where nothing listens). */
        public synchronized RedisConnections connect(String uri, Duration commandTimeout, String keyPrefix) {
            RedisConnections connection = new RedisConnections(uri, commandTimeout, keyPrefix);
            open.add(connection);
            return connection;
        }

        private synchronized void closeAll() {
            open.forEach(RedisConnections::close);
            open.clear();
        }
    }

    /** The server and the clients of one test class; the store closes it after the class. */
    private record Resources(RedisTestServer server, Clients clients) implements AutoCloseable {
        @Override
        public void close() {
            clients.closeAll();
            server.stop();
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getStore(NAMESPACE).getOrComputeIfAbsent(Resources.class, key -> {
            RedisTestServer server = RedisTestServer.start();
            return new Resources(server, new Clients(server));
        }, Resources.class);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        resources(context).clients().closeAll();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == RedisTestServer.class || type == Clients.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Resources resources = resources(context);
        return parameter.getParameter().getType() == RedisTestServer.class ? resources.server() : resources.clients();
    }

    private static Resources resources(ExtensionContext context) {
        Resources resources = context.getStore(NAMESPACE).get(Resources.class, Resources.class);
        if (resources == null) {
            throw new IllegalStateException("EmbeddedRedis starts its server before all tests: register it on the class "
                    + "with @ExtendWith(EmbeddedRedis.class)");
        }
        return resources;
    }
}
