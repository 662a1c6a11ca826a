package dev.livegateway.bench;

import dev.livegateway.wire.ClientMessage;
import dev.livegateway.wire.Content;
import dev.livegateway.wire.ServerMessage;
import dev.livegateway.wire.Wire;
import io.vertx.core.Context;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

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
        // Vert.x timers take whole milliseconds. Rounding the first delay down made the timer fire
        // up to 1 ms before the first chunk was due, and at a fixed rate every later tick just before
        // its chunk too, so tick() found nothing due and sent each chunk one period late: the direct
        // path's p99 was one chunk period. Round up: a tick never precedes its chunk.
        if (periodNanos % 1_000_000 != 0) {
            throw new IllegalArgumentException("the direct path needs a chunk period of whole milliseconds");
        }
        long initialMs = Math.max(1, (initialDelayNanos + 999_999) / 1_000_000);
        long periodMs = periodNanos / 1_000_000;
        long id = context.owner().setPeriodic(initialMs, periodMs, t -> task.run());
        return () -> context.owner().cancelTimer(id);
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
