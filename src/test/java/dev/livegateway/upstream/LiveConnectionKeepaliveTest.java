package dev.livegateway.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.livegateway.wire.ServerMessage;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The keepalive of {@link LiveConnection} over a real WebSocket: a peer that stops answering pings
 * is reported to the listener once, as an ordinary close (1006, "keepalive timeout"); a peer that
 * answers keeps the connection open.
 */
class LiveConnectionKeepaliveTest {

    private Vertx vertx;
    private HttpServer server;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stop() {
        // Not awaited: the silent server never completes the closing handshake.
        vertx.close();
    }

    /** A server that, if {@code silent}, stops reading right after the upgrade, so pings go unanswered. */
    private int serve(boolean silent) throws Exception {
        server = vertx.createHttpServer().requestHandler(request -> request.toWebSocket().onSuccess(ws -> {
            if (silent) {
                ws.pause();
            }
        }));
        return server.listen(0).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS).actualPort();
    }

    private CompletableFuture<UpstreamClose> connectAndWatch(int port) throws Exception {
        WebSocket socket = vertx.createWebSocketClient()
                .connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/"))
                .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        CompletableFuture<UpstreamClose> closed = new CompletableFuture<>();
        LiveConnection connection = new LiveConnection(vertx, socket, new ServerMessage.SetupComplete("s"), 1, 65536, 262144);
        vertx.runOnContext(v -> connection.start(new LiveConnection.Listener() {
            @Override
            public void onMessage(ServerMessage message, long arrivedNanos) {}

            @Override
            public void onClosed(UpstreamClose close) {
                if (!closed.complete(close)) {
                    throw new AssertionError("reported twice: " + close);
                }
            }
        }, Duration.ofMillis(100), Duration.ofMillis(600)));
        return closed;
    }

    @Test
    void silentPeerIsReportedAsAnOrdinaryClose() throws Exception {
        UpstreamClose close = connectAndWatch(serve(true)).get(20, TimeUnit.SECONDS);
        assertThat(close.code()).isEqualTo(UpstreamClose.ABNORMAL);
        assertThat(close.reason()).isEqualTo("keepalive timeout");
        assertThat(close.retryable()).isTrue();
    }

    @Test
    void peerAnsweringPingsStaysOpen() throws Exception {
        CompletableFuture<UpstreamClose> closed = connectAndWatch(serve(false));
        Thread.sleep(1500);
        assertThat(closed).as("pongs keep the connection alive past the keepalive timeout").isNotDone();
    }
}
