package dev.livegateway.bench;

import dev.livegateway.wire.ClientMessage;
import dev.livegateway.wire.Content;
import dev.livegateway.wire.ServerMessage;
import dev.livegateway.wire.Wire;
import io.vertx.core.Context;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A conversation straight to the Live API emulator, without the gateway: the Live API WebSocket
 * protocol as an SDK speaks it (text frames out; setup, then realtimeInput.audio / .text), parsed
 * with the shared wire model. Runs on one Vert.x event-loop context.
 */
final class DirectSession extends BenchSession {

    private final WebSocketClient client;
    private final WebSocketConnectOptions connect;
    private final Context context;
    private final String setupJson;
    private final String audioJson;
    private final ArrayDeque<String> pending = new ArrayDeque<>();
    private WebSocket socket;

    DirectSession(Measurements measurements, long periodNanos, long textEveryNanos, WebSocketClient client,
            WebSocketConnectOptions connect, Context context, String setupJson, String audioJson) {
        super(measurements, periodNanos, textEveryNanos);
        this.client = client;
        this.connect = connect;
        this.context = context;
        this.setupJson = setupJson;
        this.audioJson = audioJson;
    }

    @Override
    void open() {
        runOnLoop(() -> client.connect(connect).onComplete(result -> {
            if (result.failed()) {
                failed("connect: " + result.cause());
                return;
            }
            socket = result.result();
            socket.binaryMessageHandler(buffer -> onMessage(buffer.getBytes()));
            socket.textMessageHandler(text -> onMessage(text.getBytes(StandardCharsets.UTF_8)));
            socket.drainHandler(v -> drain());
            socket.closeHandler(v -> {
                if (!ended) {
                    failed("closed by the emulator: " + socket.closeStatusCode() + " " + socket.closeReason());
                }
            });
            socket.exceptionHandler(e -> { });
            socket.writeTextMessage(setupJson);
        }));
    }

    private void onMessage(byte[] json) {
        ServerMessage message;
        try {
            message = Wire.readServer(json);
        } catch (IOException e) {
            failed("not Live API JSON: " + e.getMessage());
            return;
        }
        if (message.setupComplete() != null) {
            countReceived();
            ready();
            return;
        }
        ServerMessage.ServerContent content = message.serverContent();
        if (content != null && content.modelTurn() != null && content.modelTurn().parts() != null) {
            for (Content.Part part : content.modelTurn().parts()) {
                if (part.inlineData() != null) {
                    onEcho();
                } else if (part.text() != null) {
                    onText();
                }
            }
            return;
        }
        countReceived();
    }

    @Override
    void sendAudio() {
        send(audioJson);
    }

    @Override
    void sendText(String text) {
        send(new String(Wire.write(ClientMessage.of(ClientMessage.RealtimeInput.text(text))), StandardCharsets.UTF_8));
    }

    private void send(String json) {
        if (ended || socket == null) {
            return;
        }
        if (pending.isEmpty() && !socket.writeQueueFull()) {
            socket.writeTextMessage(json);
        } else {
            pending.add(json);
        }
    }

    private void drain() {
        while (!ended && !pending.isEmpty() && !socket.writeQueueFull()) {
            socket.writeTextMessage(pending.poll());
        }
    }

    @Override
    void close() {
        runOnLoop(() -> {
            if (!ended) {
                ended = true;
                pending.clear();
                if (socket != null && !socket.isClosed()) {
                    socket.close((short) 1000, "benchmark done");
                }
            }
        });
    }

    @Override
    Ticker every(long initialDelayNanos, long periodNanos, Runnable task) {
        // The same scheduler as the gateway path (GatewaySession): Netty's scheduleAtFixedRate in
        // nanoseconds on the event loop that carries this context, so the two paths differ only in
        // what they measure. Vert.x's own timers take whole milliseconds and fire on another
        // schedule. dispatch() runs the tick on that loop's thread with this context current, as a
        // Vert.x timer would: every call on the socket stays on its context.
        ContextInternal internal = (ContextInternal) context;
        ScheduledFuture<?> future = internal.nettyEventLoop().scheduleAtFixedRate(() -> internal.dispatch(task),
                initialDelayNanos, periodNanos, TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
    }

    @Override
    void runOnLoop(Runnable task) {
        if (Context.isOnEventLoopThread() && context == io.vertx.core.Vertx.currentContext()) {
            task.run();
        } else {
            context.runOnContext(v -> task.run());
        }
    }
}
