package dev.livegateway.bench;

import dev.livegateway.api.v1.ClientEvent;
import dev.livegateway.api.v1.LiveGatewayGrpc;
import dev.livegateway.api.v1.RealtimeText;
import dev.livegateway.api.v1.ServerEvent;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.netty.channel.EventLoop;
import java.util.ArrayDeque;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A conversation through the gateway: one Converse stream. The channel runs on one Netty event
 * loop with a direct executor, and the session's ticks are scheduled on that same loop, so every
 * call to the request observer comes from one thread (gRPC's rule). Outbound flow control: while
 * the stream is not ready, events wait in a local queue, timed from their scheduled instant.
 */
final class GatewaySession extends BenchSession implements ClientResponseObserver<ClientEvent, ServerEvent> {

    private final LiveGatewayGrpc.LiveGatewayStub stub;
    private final EventLoop loop;
    private final ClientEvent config;
    private final ClientEvent audio;
    private final int minEchoBytes;
    private final ArrayDeque<ClientEvent> pending = new ArrayDeque<>();
    private ClientCallStreamObserver<ClientEvent> requests;

    GatewaySession(Measurements measurements, long periodNanos, long textEveryNanos, LiveGatewayGrpc.LiveGatewayStub stub,
            EventLoop loop, ClientEvent config, ClientEvent audio, int minEchoBytes) {
        super(measurements, periodNanos, textEveryNanos);
        this.stub = stub;
        this.loop = loop;
        this.config = config;
        this.audio = audio;
        this.minEchoBytes = minEchoBytes;
    }

    @Override
    void open() {
        runOnLoop(() -> {
            stub.converse(this);
            send(config);
        });
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<ClientEvent> requestStream) {
        requests = requestStream;
        requestStream.setOnReadyHandler(this::drain);
    }

    @Override
    void sendAudio() {
        send(audio);
    }

    @Override
    void sendText(String text) {
        send(ClientEvent.newBuilder().setText(RealtimeText.newBuilder().setText(text)).build());
    }

    private void send(ClientEvent event) {
        if (ended) {
            return;
        }
        if (pending.isEmpty() && requests.isReady()) {
            requests.onNext(event);
        } else {
            pending.add(event);
        }
    }

    private void drain() {
        while (!ended && !pending.isEmpty() && requests.isReady()) {
            requests.onNext(pending.poll());
        }
    }

    @Override
    public void onNext(ServerEvent event) {
        switch (event.getEventCase()) {
            // Converted output (telephony): at each turn end the gateway flushes the resampler's tail
            // (a few ms) as an event of its own; it is no echo of a chunk.
            case AUDIO -> {
                if (event.getAudio().getData().size() >= minEchoBytes) {
                    onEcho();
                } else {
                    countReceived();
                }
            }
            case TEXT -> onText();
            case SESSION_STARTED -> {
                countReceived();
                ready();
            }
            default -> countReceived();
        }
    }

    @Override
    public void onError(Throwable t) {
        Status status = Status.fromThrowable(t);
        failed(status.getCode() + ": " + status.getDescription());
    }

    @Override
    public void onCompleted() {
        if (!ended) {
            failed("stream completed by the gateway before the end of the run");
        }
    }

    @Override
    void close() {
        runOnLoop(() -> {
            if (!ended) {
                ended = true;
                pending.clear();
                requests.onCompleted();
            }
        });
    }

    @Override
    Ticker every(long initialDelayNanos, long periodNanos, Runnable task) {
        ScheduledFuture<?> future = loop.scheduleAtFixedRate(task, initialDelayNanos, periodNanos, TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
    }

    @Override
    void runOnLoop(Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
        } else {
            loop.execute(task);
        }
    }
}
