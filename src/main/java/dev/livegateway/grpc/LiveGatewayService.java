package dev.livegateway.grpc;

import dev.livegateway.api.v1.ClientEvent;
import dev.livegateway.api.v1.LiveGatewayGrpc;
import dev.livegateway.api.v1.ServerEvent;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * The Converse stream. Flow control is manual: the gateway pulls caller events only as fast as the
 * Live API connection takes them, and sends events only while the transport is ready.
 */
@GrpcService
public class LiveGatewayService extends LiveGatewayGrpc.LiveGatewayImplBase {

    private final ConverseCalls calls;
    private final Vertx vertx;

    LiveGatewayService(ConverseCalls calls, Vertx vertx) {
        this.calls = calls;
        this.vertx = vertx;
    }

    @Override
    public StreamObserver<ClientEvent> converse(StreamObserver<ServerEvent> responseObserver) {
        ServerCallStreamObserver<ServerEvent> call = (ServerCallStreamObserver<ServerEvent>) responseObserver;
        call.disableAutoRequest();
        Context context = Vertx.currentContext() != null && Vertx.currentContext().isEventLoopContext()
                ? Vertx.currentContext() : vertx.getOrCreateContext();
        return calls.open(call, context);
    }
}
