package dev.livegateway.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReachabilityProbeTest {

    private final Vertx vertx = Vertx.vertx();
    private final ReachabilityProbe probe = new ReachabilityProbe(vertx, Duration.ofSeconds(1), Optional.empty());

    @AfterEach
    void close() {
        probe.close();
        vertx.close();
    }

    private boolean answers(int port, boolean tls) throws Exception {
        CompletableFuture<Void> result = probe.probe("127.0.0.1", port, tls).toCompletionStage().toCompletableFuture();
        try {
            result.get(5, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException e) {
            return false;
        }
    }

    @Test
    void aListeningHostAnswersAndAClosedPortDoesNot() throws Exception {
        int closedPort;
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            assertThat(answers(server.getLocalPort(), false)).isTrue();
            closedPort = server.getLocalPort();
        }
        assertThat(answers(closedPort, false)).isFalse();
    }

    @Test
    void aTlsEndpointMustCompleteTheHandshake() throws Exception {
        // a plain TCP listener that never speaks TLS: the connect succeeds, the handshake does not
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            assertThat(answers(server.getLocalPort(), true)).isFalse();
        }
    }
}
