package dev.livegateway.upstream;

import dev.livegateway.wire.ServerMessage;
import dev.livegateway.wire.Wire;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;
import io.vertx.core.http.impl.ws.WebSocketFrameInternal;
import java.io.IOException;
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
 *
 * <p>Messages are read from the frames themselves rather than through Vert.x's message handlers,
 * which copy every message once more (and the text handler decodes it into a String the gateway
 * only re-encoded): a final unfragmented frame is parsed from the frame's own buffer, a fragmented
 * message is joined in a growable heap buffer capped at the largest message accepted. Vert.x still
 * answers pings, reports pongs and handles the close handshake whatever the frame handler is.
 */
public final class LiveConnection {

    private static final Logger LOG = Logger.getLogger(LiveConnection.class);

    /** Receives what the upstream sends after {@code setupComplete}. */
    public interface Listener {
        /**
         * A message from the Live API; {@code arrivedNanos} is the {@link System#nanoTime()} at which
         * its (last) frame reached the connection, before parsing, for the relay-time histogram.
         */
        void onMessage(ServerMessage message, long arrivedNanos);

        /** Called once, however the connection ended (a keepalive timeout included), unless {@link #close} was called first. */
        void onClosed(UpstreamClose close);
    }

    private final Vertx vertx;
    private final WebSocket socket;
    private final String upstreamSessionId;
    private final String voiceConsentSignature;
    private final long connectionNumber;
    /** The client's maximum frame size: larger messages are written as several frames. */
    private final int maxFrameBytes;
    /** The client's maximum message size: a fragmented message growing past it closes the connection. */
    private final int maxMessageBytes;
    /** A fragmented message being joined; null until one arrives. */
    private ByteBuf fragments;
    private final AtomicBoolean closedByUs = new AtomicBoolean();
    private volatile Listener listener;
    private volatile boolean ended;
    private volatile long lastFrameNanos = System.nanoTime();
    /** Client messages written on this connection, the setup being 0 (resumption index base). */
    private long sentIndex;
    private long keepaliveTimer = -1;

    /**
     * {@code maxFrameBytes} and {@code maxMessageBytes} are what the WebSocket client was configured
     * with ({@code WebSocketClientOptions}): outbound messages are split at the first, inbound
     * fragmented messages refused beyond the second.
     */
    LiveConnection(Vertx vertx, WebSocket socket, ServerMessage.SetupComplete setupComplete, long connectionNumber,
            int maxFrameBytes, int maxMessageBytes) {
        this.vertx = vertx;
        this.socket = socket;
        this.maxFrameBytes = maxFrameBytes;
        this.maxMessageBytes = maxMessageBytes;
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
        // Frames, not Vert.x's whole messages (see the class comment). Clearing both message handlers
        // removes Vert.x's aggregator, which would otherwise still copy (and decode) each message.
        socket.textMessageHandler(null);
        socket.binaryMessageHandler(null);
        socket.frameHandler(this::onFrame);
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
     *
     * <p>{@code json} is already UTF-8 and is written from where it is: Vert.x wraps it
     * ({@code Unpooled.wrappedBuffer}, no copy) and passes the wrapper on as is (its
     * {@code safeBuffer} copies only pooled buffers). The one copy left is Netty's client frame
     * encoder masking the payload into the outbound buffer, which RFC 6455 requires of a client
     * and which the kept array (for replay) could not take anyway. A message larger than the
     * client's frame size is written as TEXT + CONTINUATION frames over slices of the same array,
     * where {@code writeTextMessage} would have decoded it into a String and encoded it back.
     */
    public long sendJson(byte[] json) {
        if (ended || socket.isClosed()) {
            return -1;
        }
        try {
            if (json.length <= maxFrameBytes) {
                socket.writeFrame(new WebSocketFrameImpl(WebSocketFrameType.TEXT, json, true));
            } else {
                // Large messages (video): frames of the client's maximum frame size, as Vert.x splits them.
                for (int at = 0; at < json.length; at += maxFrameBytes) {
                    int length = Math.min(maxFrameBytes, json.length - at);
                    socket.writeFrame(new WebSocketFrameImpl(at == 0 ? WebSocketFrameType.TEXT
                            : WebSocketFrameType.CONTINUATION, Unpooled.wrappedBuffer(json, at, length),
                            at + length == json.length));
                }
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

    /**
     * Every frame after {@code setupComplete}, on the connection's context. Pings, pongs and the
     * close frame also come here, after Vert.x has acted on them; they only prove the connection alive.
     */
    private void onFrame(WebSocketFrame frame) {
        long arrived = System.nanoTime();
        lastFrameNanos = arrived;
        WebSocketFrameType type = frame.type();
        if (type != WebSocketFrameType.TEXT && type != WebSocketFrameType.BINARY
                && type != WebSocketFrameType.CONTINUATION) {
            return;
        }
        // The frame's payload as Vert.x holds it, read in place (no Buffer wrapper, no slice): an
        // unpooled heap buffer, into which Netty's frame decoder read it out of the socket's buffer.
        ByteBuf payload = ((WebSocketFrameInternal) frame).getBinaryData();
        if (type != WebSocketFrameType.CONTINUATION) {
            fragments = null; // Netty refuses a new message inside a fragmented one; nothing to keep
            if (frame.isFinal()) {
                onMessage(payload, arrived);
                return;
            }
            // Netty's unpooled heap buffer: grows as frames come, never past the largest message.
            fragments = Unpooled.buffer(Math.min(payload.readableBytes(), maxMessageBytes), maxMessageBytes);
        } else if (fragments == null) {
            return; // a continuation of nothing (Netty's decoder refuses those first)
        }
        if (payload.readableBytes() > fragments.maxWritableBytes()) {
            tooBig();
            return;
        }
        fragments.writeBytes(payload, payload.readerIndex(), payload.readableBytes());
        if (frame.isFinal()) {
            ByteBuf whole = fragments;
            fragments = null;
            onMessage(whole, arrived);
        }
    }

    private void onMessage(ByteBuf payload, long arrived) {
        int length = payload.readableBytes();
        if (payload.hasArray()) {
            onMessage(payload.array(), payload.arrayOffset() + payload.readerIndex(), length, arrived);
        } else {
            byte[] copy = new byte[length]; // a direct buffer (not what Vert.x hands out today): one copy
            payload.getBytes(payload.readerIndex(), copy);
            onMessage(copy, 0, length, arrived);
        }
    }

    private void onMessage(byte[] array, int offset, int length, long arrived) {
        ServerMessage message;
        try {
            message = Wire.readServer(array, offset, length);
        } catch (IOException e) {
            LOG.warnf("upstream connection %d sent a message that is not Live API JSON (%d bytes): %s",
                    connectionNumber, length, e.getMessage());
            return;
        }
        Listener current = listener;
        if (current != null && !closedByUs.get()) {
            current.onMessage(message, arrived);
        }
    }

    /**
     * A fragmented message grew past the largest accepted: closed with 1009 (message too big), as
     * Netty closes for a single frame over the frame size, and reported to the listener as any
     * loss of the connection. (Vert.x's own aggregator only dropped such a message and told the
     * exception handler, leaving the conversation a message short without anyone knowing.)
     */
    private void tooBig() {
        fragments = null;
        if (closedByUs.get()) {
            return;
        }
        LOG.warnf("upstream connection %d sent a message over %d bytes; closing it", connectionNumber, maxMessageBytes);
        close((short) UpstreamClose.MESSAGE_TOO_BIG, "message too big");
        Listener current = listener;
        if (current != null) {
            current.onClosed(new UpstreamClose(UpstreamClose.MESSAGE_TOO_BIG,
                    "the Live API sent a message over " + maxMessageBytes + " bytes", false));
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
