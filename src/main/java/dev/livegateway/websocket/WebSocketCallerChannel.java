package dev.livegateway.websocket;

import dev.livegateway.admission.StatusMapper;
import dev.livegateway.api.v1.ServerEvent;
import dev.livegateway.session.CallerChannel;
import dev.livegateway.wire.Flavour;
import dev.livegateway.wire.ServerMessage;
import dev.livegateway.wire.Wire;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.ServerWebSocket;
import java.nio.charset.StandardCharsets;
import java.util.function.IntConsumer;

/**
 * A session's view of a Live API WebSocket client: events go out as Live API server messages
 * ({@link LiveApiServerTranslator}), honouring the socket's write queue ({@code writeQueueFull} /
 * {@code drainHandler}); input is pulled by the session ({@code requestInput}), which
 * {@link LiveApiCall} turns into pausing and resuming the socket. Called on the session's context,
 * which is the socket's.
 */
final class WebSocketCallerChannel implements CallerChannel {

    private final ServerWebSocket ws;
    private final Flavour flavour;
    private final StatusMapper statuses;
    private final boolean resumption;
    private final IntConsumer inputRequested;
    private final HttpConnection connection;
    /** How long a closed socket waits for the client's close frame before its connection ends. */
    static final long CLOSE_GRACE_MS = 500;
    private boolean closed;

    WebSocketCallerChannel(ServerWebSocket ws, HttpConnection connection, Flavour flavour, StatusMapper statuses,
            boolean resumption, IntConsumer inputRequested) {
        this.ws = ws;
        this.connection = connection;
        this.flavour = flavour;
        this.statuses = statuses;
        this.resumption = resumption;
        this.inputRequested = inputRequested;
    }

    @Override
    public boolean isReady() {
        return !closed && !ws.isClosed() && !ws.writeQueueFull();
    }

    @Override
    public void onReady(Runnable handler) {
        ws.drainHandler(v -> handler.run());
    }

    @Override
    public void send(ServerEvent event) {
        if (closed || ws.isClosed()) {
            return;
        }
        if (event.getEventCase() == ServerEvent.EventCase.GOING_AWAY) {
            write(LiveApiServerTranslator.goingAwayHandle(event, resumption));
        }
        write(LiveApiServerTranslator.message(event, flavour, resumption));
        if (event.getEventCase() == ServerEvent.EventCase.SESSION_STARTED) {
            write(LiveApiServerTranslator.firstHandle(event, resumption));
        }
    }

    /** Developer API servers send binary frames, Vertex AI text frames; the SDKs read both. */
    void write(ServerMessage message) {
        if (message == null) {
            return;
        }
        byte[] json = Wire.write(message, false);
        if (flavour == Flavour.GEMINI) {
            ws.writeBinaryMessage(Buffer.buffer(json));
        } else {
            ws.writeTextMessage(new String(json, StandardCharsets.UTF_8));
        }
    }

    @Override
    public boolean gone() {
        return ws.isClosed();
    }

    @Override
    public void requestInput(int n) {
        if (!closed && n > 0) {
            inputRequested.accept(n);
        }
    }

    @Override
    public void complete() {
        close(CloseCodes.NORMAL, "");
    }

    @Override
    public void fail(Throwable error, String resumeToken) {
        CloseCodes.Close close = CloseCodes.of(statuses.map(error));
        close(close.code(), close.reason());
    }

    void close(short code, String reason) {
        if (closed) {
            return;
        }
        closed = true;
        closeSocket(ws, connection, code, reason);
    }

    /**
     * Closes with {@code code} and {@code reason}, then ends the TCP connection if the client has
     * not answered the close within {@link #CLOSE_GRACE_MS}: some clients (google-genai for Java)
     * never answer a server's close, and would otherwise wait for the server's closing timeout.
     */
    static void closeSocket(ServerWebSocket ws, HttpConnection connection, short code, String reason) {
        if (ws.isClosed()) {
            return;
        }
        ws.close(code, reason);
        io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
        if (connection != null && context != null) {
            context.owner().setTimer(CLOSE_GRACE_MS, id -> connection.close());
        }
    }

    boolean closed() {
        return closed;
    }
}
