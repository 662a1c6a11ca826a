package dev.livegateway.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.livegateway.emulator.TestCertificates;
import dev.livegateway.testing.EmbeddedRedis;
import dev.livegateway.testing.RedisTestServer;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.PemKeyCertOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code live-gateway.redis.tls.ca-file}: a {@code rediss://} connection to a server whose
 * certificate no JDK CA signed (as Memorystore's) works with the server's CA file, and is refused
 * without it. The server is a real redis-server behind a TLS-terminating TCP relay with a
 * self-signed certificate (the embedded redis-server has no TLS of its own).
 */
@ExtendWith(EmbeddedRedis.class)
class RedisTlsTest {

    static final Duration TIMEOUT = Duration.ofSeconds(2);
    static Vertx vertx;
    static RedisTestServer redis;
    static NetServer tls;

    @BeforeAll
    static void startTlsRedis(RedisTestServer server) throws Exception {
        redis = server;
        vertx = Vertx.vertx();
        TestCertificates.Pem cert = TestCertificates.localhost();
        tls = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(0).setSsl(true)
                        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(cert.certPath().toString())
                                .setKeyPath(cert.keyPath().toString())))
                .connectHandler(RedisTlsTest::relay)
                .listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static void relay(NetSocket caller) {
        caller.pause();
        vertx.createNetClient().connect(redis.port(), "127.0.0.1").onSuccess(server -> {
            caller.pipeTo(server);
            server.pipeTo(caller);
        }).onFailure(e -> caller.close());
    }

    @AfterAll
    static void stop() throws Exception {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    static String tlsUri() {
        return "rediss://127.0.0.1:" + tls.actualPort();
    }

    @Test
    void rediss_withTheServersCaFile_connects() {
        try (RedisConnections connections = new RedisConnections(tlsUri(), TIMEOUT, "tls-test",
                Optional.of(TestCertificates.localhost().certPath()))) {
            String set = connections.call(r -> r.set(connections.key("k"), "over-tls")).await().atMost(TIMEOUT);
            assertThat(set).isEqualTo("OK");
            assertThat(connections.call(r -> r.get(connections.key("k"))).await().atMost(TIMEOUT)).isEqualTo("over-tls");
        }
    }

    @Test
    void rediss_withoutTheCaFile_isRefusedAsUntrusted() {
        try (RedisConnections connections = new RedisConnections(tlsUri(), TIMEOUT, "tls-test")) {
            assertThatThrownBy(() -> connections.call(r -> r.ping()).await().atMost(TIMEOUT))
                    .isInstanceOf(RedisUnavailableException.class);
        }
    }

    @Test
    void aCaFileNeedsATlsUriAndAReadableFile() {
        assertThatThrownBy(() -> new RedisConnections(redis.uri(), TIMEOUT, "tls-test",
                Optional.of(TestCertificates.localhost().certPath())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("live-gateway.redis.tls.ca-file is set, but live-gateway.redis.uri does not use TLS");
        assertThatThrownBy(() -> new RedisConnections(tlsUri(), TIMEOUT, "tls-test", Optional.of(Path.of("/no/such/ca.pem"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("live-gateway.redis.tls.ca-file /no/such/ca.pem does not exist or is not readable");
    }
}
