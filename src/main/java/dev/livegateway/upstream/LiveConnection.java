package dev.livegateway.upstream;

import dev.livegateway.wire.ServerMessage;
import dev.livegateway.wire.Wire;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * One open Live API WebSocket after {@code setupComplete}. All callbacks run on the Vert.x
 * context that opened it. Inbound flow control is {@link #pause()}/{@link #resume()} (TCP
 * backpressure towards the Live API); outbound, callers check {@link #writeQueueFull()} and wait
 * for the drain handler before sending more. Keepalive: WebSocket pings at an interval; a connection
 * with no frame at all (message or pong) for the keepalive timeout is closed and reported to the
 * listener as an ordinary close (1006, "keepalive timeout").
 */
public final class LiveConnection {

    private static final Logger LOG = Logger.getLogger(LiveConnection.class);

    /** Receives what the upstream sends after {@code setupComplete}. */
    public interface Listener {
        void onMessage(ServerMessage message);

        /** Called once, however the connection ended (a keepalive timeout included), unless {@link #close} was called first. */
        void onClosed(UpstreamClose close);
    }

    /** Below any frame size limit a client is configured with; audio chunks are far smaller. */
    private static final int SINGLE_FRAME_BYTES = 16 * 1024;

    private final Vertx vertx;
    private final WebSocket socket;
    private final String upstreamSessionId;
    private final String voiceConsentSignature;
    private final long connectionNumber;
    private final AtomicBoolean closedByUs = new AtomicBoolean();
    private volatile Listener listener;
    private volatile boolean ended;
    private volatile long lastFrameNanos = System.nanoTime();
    /** Client messages written on this connection, the setup being 0 (resumption index base). */
    private long sentIndex;
    private long keepaliveTimer = -1;

    LiveConnection(Vertx vertx, WebSocket socket, ServerMessage.SetupComplete setupComplete, long connectionNumber) {
        this.vertx = vertx;
        this.socket = socket;
        this.upstreamSessionId = setupComplete.sessionId();
        this.voiceConsentSignature = setupComplete.voiceConsentSignature() == null ? null
                : setupComplete.voiceConsentSignature().signature();
        this.connectionNumber = connectionNumber;
    }

    /**
     * Hands the connection to its listener (frames read before this were held back by pause()) and
     * starts the keepalive. Call on the context that opened the connection.
     */
    public void start(Listener newListener, Duration keepaliveInterval, Duration keepaliveTimeout) {
        this.listener = newListener;
        // Whole messages, not frames: the Live API may fragment large ones. JSON comes in both kinds.
        socket.binaryMessageHandler(buffer -> onMessage(buffer.getBytes()));
        socket.textMessageHandler(text -> onMessage(text.getBytes(StandardCharsets.UTF_8)));
        socket.closeHandler(v -> onSocketClosed());
        socket.pongHandler(pong -> lastFrameNanos = System.nanoTime());
        socket.exceptionHandler(e -> LOG.debugf("upstream connection %d error: %s", connectionNumber, e.toString()));
        socket.resume();
        keepaliveTimer = vertx.setPeriodic(Math.max(1, keepaliveInterval.toMillis()), id -> keepalive(keepaliveTimeout));
    }

    private void keepalive(Duration timeout) {
        if (ended || closedByUs.get()) {
            stopKeepalive();
            return;
        }
        Duration silent = silentFor();
        if (silent.compareTo(timeout) <= 0) {
            ping();
            return;
        }
        LOG.warnf("no frame from the Live API on connection %d for %d s; treating the connection as lost",
                connectionNumber, silent.toSeconds());
        // Closed by us, so the socket's close handler stays quiet: the listener hears of it once, here.
        close((short) 1001, "keepalive timeout");
        Listener current = listener;
        if (current != null) {
            current.onClosed(UpstreamClose.dropped("keepalive timeout"));
        }
    }

    private void stopKeepalive() {
        if (keepaliveTimer >= 0) {
            vertx.cancelTimer(keepaliveTimer);
            keepaliveTimer = -1;
        }
    }

    /** The Live API's session id from {@code setupComplete} (Vertex), or null. */
    public String upstreamSessionId() {
        return upstreamSessionId;
    }

    /** The signature {@code setupComplete} gave for a replicated voice's consent audio, or null. */
    public String voiceConsentSignature() {
        return voiceConsentSignature;
    }

    /** Sequence number of this connection within the gateway process, for logs. */
    public long connectionNumber() {
        return connectionNumber;
    }

    /**
     * Writes a serialised client message as one text message (what every SDK sends) and returns its
     * index on this connection, in the numbering of {@code lastConsumedClientMessageIndex}. Returns -1, writing nothing, when the connection
     * is closed or closing (its close handler may not have run yet): the caller keeps the message to
     * replay on the next connection. Never throws for a closed connection.
     */
    public long sendJson(byte[] json) {
        if (ended || socket.isClosed()) {
            return -1;
        }
        try {
            if (json.length <= SINGLE_FRAME_BYTES) {
                // The JSON is already UTF-8: one text frame straight from the bytes, no String round trip.
                socket.writeFrame(new WebSocketFrameImpl(WebSocketFrameType.TEXT, json, true));
            } else {
                // Large messages (video) are split into frames of the client's maximum frame size.
                socket.writeTextMessage(new String(json, StandardCharsets.UTF_8));
            }
        } catch (IllegalStateException closedMeanwhile) {
            // Vert.x: "WebSocket is closed"; the close handler reports the loss to the listener.
            LOG.debugf("upstream connection %d closed while writing: %s", connectionNumber, closedMeanwhile.getMessage());
            return -1;
        }
        return ++sentIndex;
    }

    /** Sends a WebSocket ping; the pong (or any message) proves the connection alive. */
    public void ping() {
        if (ended || socket.isClosed()) {
            return;
        }
        try {
            socket.writePing(io.vertx.core.buffer.Buffer.buffer("lg"));
        } catch (IllegalStateException closedMeanwhile) {
            LOG.debugf("upstream connection %d closed before a ping: %s", connectionNumber, closedMeanwhile.getMessage());
        }
    }

    /** Time since the last frame of any kind from the Live API. */
    public Duration silentFor() {
        return Duration.ofNanos(System.nanoTime() - lastFrameNanos);
    }

    public boolean writeQueueFull() {
        return socket.writeQueueFull();
    }

    public void drainHandler(Handler<Void> handler) {
        socket.drainHandler(handler);
    }

    public void pause() {
        socket.pause();
    }

    public void resume() {
        socket.resume();
    }

    public boolean isOpen() {
        return !ended && !socket.isClosed();
    }

    /** Closes the connection; the listener is not told (the caller asked for it). */
    public void close(short code, String reason) {
        if (closedByUs.compareAndSet(false, true)) {
            ended = true;
            stopKeepalive();
            if (!socket.isClosed()) {
                socket.close(code, reason);
            }
        }
    }

    private void onMessage(byte[] json) {
        lastFrameNanos = System.nanoTime();
        ServerMessage message;
        try {
            message = Wire.readServer(json);
        } catch (IOException e) {
            LOG.warnf("upstream connection %d sent a message that is not Live API JSON (%d bytes): %s",
                    connectionNumber, json.length, e.getMessage());
            return;
        }
        Listener current = listener;
        if (current != null && !closedByUs.get()) {
            current.onMessage(message);
        }
    }

    private void onSocketClosed() {
        ended = true;
        stopKeepalive();
        if (closedByUs.get()) {
            return;
        }
        Short status = socket.closeStatusCode();
        UpstreamClose close = status == null ? UpstreamClose.dropped("connection lost without a close frame")
                : new UpstreamClose(status, socket.closeReason(), status == UpstreamClose.ABNORMAL);
        Listener current = listener;
        if (current != null) {
            current.onClosed(close);
        }
    }
}
