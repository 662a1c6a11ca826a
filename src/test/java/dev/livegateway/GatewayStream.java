package dev.livegateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.livegateway.api.v1.ClientEvent;
import dev.livegateway.api.v1.LiveGatewayGrpc;
import dev.livegateway.api.v1.ServerEvent;
import dev.livegateway.api.v1.SessionConfig;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A Converse stream opened by a test against the gateway's real gRPC port. */
public final class GatewayStream implements AutoCloseable {

    public static final Duration WAIT = Duration.ofSeconds(15);

    private final ManagedChannel channel;
    private final BlockingQueue<ServerEvent> events = new LinkedBlockingQueue<>();
    private final List<ServerEvent> seen = new ArrayList<>();
    private final CompletableFuture<Status> end = new CompletableFuture<>();
    private final CompletableFuture<Metadata> trailers = new CompletableFuture<>();
    private final ClientCallStreamObserver<ClientEvent> requests;

    private final int initialRequest;

    private GatewayStream(ManagedChannel channel, LiveGatewayGrpc.LiveGatewayStub stub) {
        this(channel, stub, -1);
    }

    private GatewayStream(ManagedChannel channel, LiveGatewayGrpc.LiveGatewayStub stub, int initialRequest) {
        this.initialRequest = initialRequest;
        this.channel = channel;
        CompletableFuture<ClientCallStreamObserver<ClientEvent>> out = new CompletableFuture<>();
        stub.converse(new ClientResponseObserver<ClientEvent, ServerEvent>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<ClientEvent> requestStream) {
                if (GatewayStream.this.initialRequest >= 0) {
                    requestStream.disableAutoRequestWithInitial(GatewayStream.this.initialRequest);
                }
                out.complete(requestStream);
            }

            @Override
            public void onNext(ServerEvent value) {
                events.add(value);
            }

            @Override
            public void onError(Throwable t) {
                Status status = Status.fromThrowable(t);
                trailers.complete(t instanceof StatusRuntimeException sre && sre.getTrailers() != null
                        ? sre.getTrailers() : new Metadata());
                end.complete(status);
            }

            @Override
            public void onCompleted() {
                trailers.complete(new Metadata());
                end.complete(Status.OK);
            }
        });
        this.requests = out.join();
    }

    public static GatewayStream open(int port) {
        return open(port, null);
    }

    /** Opens a stream; {@code apiKey} (nullable) goes in {@code authorization: Bearer}. */
    public static GatewayStream open(int port, String apiKey) {
        ManagedChannel channel = ManagedChannelBuilder.forAddress("localhost", port).usePlaintext().build();
        LiveGatewayGrpc.LiveGatewayStub stub = LiveGatewayGrpc.newStub(channel);
        if (apiKey != null) {
            Metadata headers = new Metadata();
            headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + apiKey);
            stub = stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
        }
        return new GatewayStream(channel, stub);
    }

    /** A caller that reads only what it asks for with {@link #request(int)}: a slow reader. */
    public static GatewayStream openSlowReader(int port, int initialRequest) {
        // A small HTTP/2 window: the client transport buffers little, so the gateway feels the slowness.
        ManagedChannel channel = io.grpc.netty.NettyChannelBuilder.forAddress("localhost", port).usePlaintext()
                .flowControlWindow(64 * 1024).build();
        return new GatewayStream(channel, LiveGatewayGrpc.newStub(channel), initialRequest);
    }

    public void request(int n) {
        requests.request(n);
    }

    public GatewayStream send(ClientEvent event) {
        requests.onNext(event);
        return this;
    }

    public GatewayStream config(SessionConfig config) {
        return send(ClientEvent.newBuilder().setConfig(config).build());
    }

    public void halfClose() {
        requests.onCompleted();
    }

    public void cancel() {
        requests.cancel("test cancels", null);
    }

    /** Closes the TCP connection without cancelling the call first, like a caller that crashes. */
    public void dropConnection() {
        channel.shutdownNow();
    }

    public boolean ready() {
        return requests.isReady();
    }

    /** Waits for the next event of the given kind, remembering the ones passed over. */
    public ServerEvent await(ServerEvent.EventCase kind) {
        return await(e -> e.getEventCase() == kind, kind.name(), WAIT);
    }

    public ServerEvent await(Predicate<ServerEvent> wanted, String what, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                ServerEvent event = events.poll(20, TimeUnit.MILLISECONDS);
                if (event != null) {
                    seen.add(event);
                    if (wanted.test(event)) {
                        return event;
                    }
                } else if (end.isDone()) {
                    fail("stream ended with " + end.join() + " before " + what + "; events: " + kinds());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return fail("no " + what + " within " + timeout.toMillis() + " ms; events: " + kinds());
    }

    /** Waits for the stream's end and returns its status. */
    public Status awaitEnd() {
        try {
            Status status = end.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            events.drainTo(seen);
            return status;
        } catch (Exception e) {
            return fail("stream did not end within " + WAIT.toMillis() + " ms; events: " + kinds());
        }
    }

    public Metadata trailers() {
        awaitEnd();
        return trailers.join();
    }

    public Status assertEndsWith(Status.Code code, String messagePart) {
        Status status = awaitEnd();
        assertThat(status.getCode()).as("status of %s", status).isEqualTo(code);
        if (messagePart != null) {
            assertThat(status.getDescription()).contains(messagePart);
        }
        return status;
    }

    /** Every event received so far, in order. */
    public List<ServerEvent> events() {
        events.drainTo(seen);
        return List.copyOf(seen);
    }

    public List<ServerEvent.EventCase> kinds() {
        events.drainTo(seen);
        return seen.stream().map(ServerEvent::getEventCase).toList();
    }

    public String text() {
        return join(ServerEvent.EventCase.TEXT);
    }

    public String join(ServerEvent.EventCase kind) {
        StringBuilder out = new StringBuilder();
        for (ServerEvent e : events()) {
            if (e.getEventCase() == kind) {
                switch (kind) {
                    case TEXT -> out.append(e.getText().getText());
                    case INPUT_TRANSCRIPTION -> out.append(e.getInputTranscription().getText());
                    case OUTPUT_TRANSCRIPTION -> out.append(e.getOutputTranscription().getText());
                    default -> throw new IllegalArgumentException(kind.name());
                }
            }
        }
        return out.toString();
    }

    @Override
    public void close() {
        if (!end.isDone()) {
            cancel();
        }
        channel.shutdownNow();
    }
}
