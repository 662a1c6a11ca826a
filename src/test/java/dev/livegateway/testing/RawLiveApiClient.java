package dev.livegateway.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A Live API client in raw JSON over the JDK's own WebSocket (not Vert.x, not an SDK), for tests of
 * the gateway's Live-API-compatible front from outside its process: every server message is kept
 * (text or binary frames), and the close code and reason are recorded.
 */
public final class RawLiveApiClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<JsonNode> received = new CopyOnWriteArrayList<>();
    private final CompletableFuture<int[]> closed = new CompletableFuture<>();
    private volatile String closeReason = "";
    private final WebSocket socket;

    private RawLiveApiClient(URI uri) {
        this.socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                .buildAsync(uri, new Listener()).orTimeout(15, TimeUnit.SECONDS).join();
    }

    /** Connects to {@code ws://127.0.0.1:PORT} + {@code pathAndQuery}. */
    public static RawLiveApiClient connect(int port, String pathAndQuery) {
        return new RawLiveApiClient(URI.create("ws://127.0.0.1:" + port + pathAndQuery));
    }

    /** Sends one client message as a text frame. */
    public void send(String json) {
        socket.sendText(json, true).orTimeout(10, TimeUnit.SECONDS).join();
    }

    /** Waits (up to {@code within}) for a server message matching {@code match} and returns it. */
    public JsonNode await(Predicate<JsonNode> match, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode message : received) {
                if (match.test(message)) {
                    return message;
                }
            }
            if (closed.isDone()) {
                break;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no matching server message within " + within + "; closed " + closeCode()
                + " '" + closeReason + "'; received " + received);
    }

    /** Every server message so far. */
    public List<JsonNode> received() {
        return received;
    }

    /** Waits for the server's close and returns its code (the reason is {@link #closeReason()}). */
    public int awaitClose(Duration within) {
        return closed.orTimeout(within.toMillis(), TimeUnit.MILLISECONDS).join()[0];
    }

    public String closeReason() {
        return closeReason;
    }

    private int closeCode() {
        return closed.isDone() ? closed.join()[0] : -1;
    }

    /** Closes with 1000 (the client is done) if the server has not closed. */
    @Override
    public void close() {
        if (!closed.isDone() && !socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").orTimeout(5, TimeUnit.SECONDS)
                    .exceptionally(e -> null).join();
        }
        socket.abort();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();
        private final ByteArrayOutputStream binary = new ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                keep(text.toString());
                text.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            binary.writeBytes(bytes);
            if (last) {
                keep(binary.toString(StandardCharsets.UTF_8));
                binary.reset();
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closeReason = reason;
            closed.complete(new int[] {statusCode});
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closeReason = String.valueOf(error);
            closed.complete(new int[] {1006});
        }

        private void keep(String json) {
            try {
                received.add(JSON.readTree(json));
            } catch (java.io.IOException e) {
                throw new IllegalStateException("a server message that is not JSON: " + json, e);
            }
        }
    }
}
