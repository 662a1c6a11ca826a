package dev.livegateway.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.livegateway.wire.Content;
import dev.livegateway.wire.ServerMessage;
import dev.livegateway.wire.Wire;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link LiveConnection} reads frames itself: single frames of either kind and fragmented
 * messages arrive whole, a fragmented message over the maximum closes the connection with 1009
 * and is reported as a close, pings are still answered; a message over the frame size goes out
 * as several frames that the peer joins into the same bytes.
 */
class LiveConnectionFramesTest {

    private static final int MAX_FRAME = 1024;
    private static final int MAX_MESSAGE = 8192;

    private Vertx vertx;
    private final CompletableFuture<ServerWebSocket> peer = new CompletableFuture<>();
    private final BlockingQueue<String> peerMessages = new LinkedBlockingQueue<>();
    /** For each data message the peer received, the number of frames it came in (counted by the frame handler). */
    private final BlockingQueue<Integer> peerFramesPerMessage = new LinkedBlockingQueue<>();
    private final CompletableFuture<Short> peerSawClose = new CompletableFuture<>();
    private final BlockingQueue<ServerMessage> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<UpstreamClose> closed = new CompletableFuture<>();
    private LiveConnection connection;

    @BeforeEach
    void connect() throws Exception {
        vertx = Vertx.vertx();
        HttpServer server = vertx.createHttpServer().requestHandler(request -> request.toWebSocket().onSuccess(ws -> {
            ws.textMessageHandler(peerMessages::add);
            AtomicInteger frames = new AtomicInteger();
            ws.frameHandler(frame -> {
                // Vert.x hands the last frame to the message handler before this one: the count is
                // queued here, from the frame handler, so the test never reads a count one frame short
                if (frame.isText() || frame.isBinary() || frame.isContinuation()) {
                    int count = frames.incrementAndGet();
                    if (frame.isFinal()) {
                        peerFramesPerMessage.add(count);
                        frames.set(0);
                    }
                }
            });
            ws.closeHandler(v -> peerSawClose.complete(ws.closeStatusCode()));
            peer.complete(ws);
        }));
        int port = server.listen(0).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS).actualPort();
        WebSocket socket = vertx.createWebSocketClient()
                .connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/"))
                .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        connection = new LiveConnection(vertx, socket, new ServerMessage.SetupComplete("s", null), 1, MAX_FRAME,
                MAX_MESSAGE);
        vertx.runOnContext(v -> connection.start(new LiveConnection.Listener() {
            @Override
            public void onMessage(ServerMessage message, long arrivedNanos) {
                assertThat(arrivedNanos).isLessThanOrEqualTo(System.nanoTime());
                received.add(message);
            }

            @Override
            public void onClosed(UpstreamClose close) {
                if (!closed.complete(close)) {
                    throw new AssertionError("reported twice: " + close);
                }
            }
        }, Duration.ofSeconds(30), Duration.ofSeconds(60)));
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    private static byte[] modelAudio(int bytes, int seed) {
        byte[] pcm = new byte[bytes];
        new Random(seed).nextBytes(pcm);
        return Wire.write(ServerMessage.of(ServerMessage.ServerContent.modelTurn(
                new Content("model", List.of(Content.Part.inline(new Content.Blob("audio/pcm;rate=24000", pcm)))))), false);
    }

    private ServerMessage next() throws InterruptedException {
        ServerMessage message = received.poll(10, TimeUnit.SECONDS);
        assertThat(message).as("a message within 10 s").isNotNull();
        return message;
    }

    /** Writes {@code json} as frames of {@code frameBytes}, the first of the given kind. */
    private void sendFragmented(ServerWebSocket ws, byte[] json, int frameBytes, boolean text) {
        for (int at = 0; at < json.length; at += frameBytes) {
            Buffer part = Buffer.buffer(Arrays.copyOfRange(json, at, Math.min(json.length, at + frameBytes)));
            boolean last = at + frameBytes >= json.length;
            ws.writeFrame(at == 0 ? (text ? WebSocketFrame.textFrame(part.toString(StandardCharsets.ISO_8859_1), last)
                    : WebSocketFrame.binaryFrame(part, last)) : WebSocketFrame.continuationFrame(part, last));
        }
    }

    @Test
    void singleAndFragmentedMessagesOfBothKindsArriveWhole() throws Exception {
        ServerWebSocket ws = peer.get(10, TimeUnit.SECONDS);
        byte[] small = modelAudio(960, 1);
        byte[] fragmented = modelAudio(4000, 2);
        vertx.runOnContext(v -> {
            ws.writeFrame(WebSocketFrame.textFrame(new String(small, StandardCharsets.UTF_8), true));
            ws.writeFrame(WebSocketFrame.binaryFrame(Buffer.buffer(small), true));
            sendFragmented(ws, fragmented, 700, true);
            sendFragmented(ws, fragmented, 1500, false);
            ws.writeFrame(WebSocketFrame.textFrame("{\"setupComplete\":{\"sessionId\":\"after\"}}", true));
        });
        for (byte[] expected : List.of(small, small, fragmented, fragmented)) {
            assertThat(Wire.write(next(), false)).isEqualTo(expected);
        }
        assertThat(next().setupComplete().sessionId()).isEqualTo("after");
        assertThat(closed).isNotDone();
    }

    @Test
    void pingsAreStillAnswered() throws Exception {
        ServerWebSocket ws = peer.get(10, TimeUnit.SECONDS);
        CompletableFuture<String> pong = new CompletableFuture<>();
        vertx.runOnContext(v -> {
            ws.pongHandler(data -> pong.complete(data.toString()));
            ws.writePing(Buffer.buffer("are you there"));
        });
        assertThat(pong.get(10, TimeUnit.SECONDS)).isEqualTo("are you there");
    }

    @Test
    void aFragmentedMessageOverTheMaximumClosesWith1009() throws Exception {
        ServerWebSocket ws = peer.get(10, TimeUnit.SECONDS);
        byte[] tooBig = modelAudio(MAX_MESSAGE, 3); // base64 makes it a third larger than the maximum
        vertx.runOnContext(v -> sendFragmented(ws, tooBig, 1000, true));
        UpstreamClose close = closed.get(10, TimeUnit.SECONDS);
        assertThat(close.code()).isEqualTo(UpstreamClose.MESSAGE_TOO_BIG);
        assertThat(close.retryable()).isTrue();
        assertThat(peerSawClose.get(10, TimeUnit.SECONDS)).isEqualTo((short) 1009);
        assertThat(received).isEmpty();
        assertThat(connection.isOpen()).isFalse();
    }

    @Test
    void aMessageOverTheFrameSizeGoesOutInFramesOfTheSameBytes() throws Exception {
        peer.get(10, TimeUnit.SECONDS);
        byte[] small = "{\"realtimeInput\":{\"text\":\"hi\"}}".getBytes(StandardCharsets.UTF_8);
        StringBuilder text = new StringBuilder("{\"realtimeInput\":{\"text\":\"");
        while (text.length() < 3 * MAX_FRAME + 100) {
            text.append("grüße, ");
        }
        byte[] large = text.append("\"}}").toString().getBytes(StandardCharsets.UTF_8);
        CompletableFuture<long[]> indices = new CompletableFuture<>();
        vertx.runOnContext(v -> indices.complete(new long[] {connection.sendJson(small), connection.sendJson(large)}));
        assertThat(indices.get(10, TimeUnit.SECONDS)).containsExactly(1, 2);
        assertThat(peerMessages.poll(10, TimeUnit.SECONDS)).isEqualTo(new String(small, StandardCharsets.UTF_8));
        assertThat(peerMessages.poll(10, TimeUnit.SECONDS)).isEqualTo(new String(large, StandardCharsets.UTF_8));
        assertThat(peerFramesPerMessage.poll(10, TimeUnit.SECONDS)).as("the small message in one frame").isEqualTo(1);
        assertThat(peerFramesPerMessage.poll(10, TimeUnit.SECONDS)).as("the large message in frames of %d bytes", MAX_FRAME)
                .isEqualTo((large.length + MAX_FRAME - 1) / MAX_FRAME);
    }
}
