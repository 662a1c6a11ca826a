package dev.livegateway.example;

import dev.livegateway.api.v1.ClientEvent;
import dev.livegateway.api.v1.LiveGatewayGrpc;
import dev.livegateway.api.v1.ServerEvent;
import io.grpc.Channel;
import io.grpc.Metadata;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;

/**
 * One Converse stream of an example client: where to send the caller's events, the gateway's events
 * as they arrive (into the caller's queue), and the stream's end.
 *
 * @param requests the caller's side of the stream
 * @param done     completes when the gateway completes the stream, exceptionally with its status
 */
record ConverseStream(ClientCallStreamObserver<ClientEvent> requests, CompletableFuture<Void> done) {

    /** A stub on {@code channel} that sends {@code apiKey} (when not null) as {@code authorization: Bearer}. */
    static LiveGatewayGrpc.LiveGatewayStub stub(Channel channel, String apiKey) {
        LiveGatewayGrpc.LiveGatewayStub stub = LiveGatewayGrpc.newStub(channel);
        if (apiKey == null) {
            return stub;
        }
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + apiKey);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    /** Opens a Converse stream on {@code stub}; the gateway's events go into {@code events}. */
    static ConverseStream open(LiveGatewayGrpc.LiveGatewayStub stub, Queue<ServerEvent> events) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        CompletableFuture<ClientCallStreamObserver<ClientEvent>> requests = new CompletableFuture<>();
        stub.converse(new ClientResponseObserver<ClientEvent, ServerEvent>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<ClientEvent> requestStream) {
                requests.complete(requestStream);
            }

            @Override
            public void onNext(ServerEvent value) {
                events.add(value);
            }

            @Override
            public void onError(Throwable t) {
                done.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                done.complete(null);
            }
        });
        return new ConverseStream(requests.get(), done);
    }
}
