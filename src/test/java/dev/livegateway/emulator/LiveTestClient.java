package dev.livegateway.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livegateway.wire.ServerMessage;
import dev.livegateway.wire.Wire;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A real WebSocket client for emulator tests: sends JSON, collects every server message and the close. */
final class LiveTestClient implements AutoCloseable {

    /** One server frame: whether it was binary, the raw JSON, the parsed message. */
    record Frame(boolean binary, JsonNode json, ServerMessage message) {}

    private final WebSocketClient client;
    private final WebSocket ws;
    private final LinkedBlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    private final List<Frame> seen = new ArrayList<>();
    private volatile Integer closeCode;
    private volatile String closeReason;
    private volatile boolean closed;

    private LiveTestClient(WebSocketClient client, WebSocket ws) {
        this.client = client;
        this.ws = ws;
        ws.binaryMessageHandler(b -> frames.add(parse(true, b.getBytes())));
        ws.textMessageHandler(t -> frames.add(parse(false, t.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        ws.closeHandler(v -> {
            closeCode = ws.closeStatusCode() == null ? null : (int) ws.closeStatusCode();
            closeReason = ws.closeReason();
            closed = true;
        });
    }

    private static Frame parse(boolean binary, byte[] bytes) {
        try {
            return new Frame(binary, Wire.mapper().readTree(bytes), Wire.readServer(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static LiveTestClient connect(Vertx vertx, String url, Map<String, String> headers) {
        return connect(vertx, url, headers, null);
    }

    static LiveTestClient connect(Vertx vertx, String url, Map<String, String> headers, String trustedCertPath) {
        URI uri = URI.create(url);
        boolean tls = uri.getScheme().equals("wss");
        WebSocketClientOptions clientOptions = new WebSocketClientOptions().setMaxMessageSize(32 * 1024 * 1024)
                .setMaxFrameSize(32 * 1024 * 1024);
        if (tls) {
            clientOptions.setSsl(true).setTrustOptions(new PemTrustOptions().addCertPath(trustedCertPath));
        }
        WebSocketClient client = vertx.createWebSocketClient(clientOptions);
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost(uri.getHost()).setPort(uri.getPort())
                .setSsl(tls).setURI(uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
        headers.forEach(options::addHeader);
        try {
            WebSocket ws = client.connect(options).toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
            return new LiveTestClient(client, ws);
        } catch (Exception e) {
            client.close();
            throw new IllegalStateException("connect failed: " + e.getMessage(), e);
        }
    }

    /** Connection failure (e.g. refused upgrade) as the exception message, for status assertions. */
    static String connectFailure(Vertx vertx, String url, Map<String, String> headers) {
        try (LiveTestClient c = connect(vertx, url, headers)) {
            return null;
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
    }

    void sendText(String json) {
        ws.writeTextMessage(json);
    }

    void sendBinary(String json) {
        ws.writeBinaryMessage(io.vertx.core.buffer.Buffer.buffer(json));
    }

    /** The next frame, or fails after the timeout. */
    Frame next(Duration timeout) {
        try {
            Frame f = frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (f == null) {
                throw new AssertionError("no server message within " + timeout.toMillis() + " ms; seen: " + seenJson());
            }
            seen.add(f);
            return f;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Frames up to and including the first that matches; fails after the timeout. */
    List<Frame> until(Predicate<Frame> stop, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Frame> out = new ArrayList<>();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("condition not met within " + timeout.toMillis() + " ms; got " + jsonOf(out));
            }
            Frame f = next(Duration.ofNanos(left));
            out.add(f);
            if (stop.test(f)) {
                return out;
            }
        }
    }

    /** Frames until turnComplete. */
    List<Frame> turn() {
        return until(f -> f.message().serverContent() != null
                && Boolean.TRUE.equals(f.message().serverContent().turnComplete()), Duration.ofSeconds(5));
    }

    /** Waits for the server's close; returns the code (null if the connection dropped without close frame). */
    Integer awaitClose(Duration timeout) {
        EmulatorRecorder.poll(timeout, () -> closed ? Boolean.TRUE : null, () -> "connection still open");
        return closeCode;
    }

    String closeReason() {
        return closeReason;
    }

    boolean isClosed() {
        return closed;
    }

    /** Frames not yet consumed, without waiting. */
    List<Frame> drain() {
        List<Frame> out = new ArrayList<>();
        frames.drainTo(out);
        seen.addAll(out);
        return out;
    }

    private String seenJson() {
        return jsonOf(seen.subList(Math.max(0, seen.size() - 5), seen.size()));
    }

    static String jsonOf(List<Frame> frames) {
        StringBuilder sb = new StringBuilder();
        for (Frame f : frames) {
            String s = f.json().toString();
            sb.append(s, 0, Math.min(200, s.length())).append('\n');
        }
        return sb.toString();
    }

    @Override
    public void close() {
        if (!closed) {
            ws.close();
        }
        client.close();
    }
}
