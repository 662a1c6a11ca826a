package dev.livegateway.grpc;

import dev.livegateway.admission.SessionAdmission;
import dev.livegateway.admission.StatusMapper;
import dev.livegateway.api.v1.ClientEvent;
import dev.livegateway.api.v1.LiveGatewayGrpc;
import dev.livegateway.api.v1.ServerEvent;
import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.io.InputStream;

/**
 * The Converse stream. Flow control is manual: the gateway pulls caller events only as fast as the
 * Live API connection takes them, and sends events only while the transport is ready.
 */
@GrpcService
public class LiveGatewayService extends LiveGatewayGrpc.LiveGatewayImplBase {

    private final SessionAdmission admission;
    private final StatusMapper statuses;
    private final Vertx vertx;

    LiveGatewayService(SessionAdmission admission, StatusMapper statuses, Vertx vertx) {
        this.admission = admission;
        this.statuses = statuses;
        this.vertx = vertx;
    }

    @Override
    public StreamObserver<ClientEvent> converse(StreamObserver<ServerEvent> responseObserver) {
        ServerCallStreamObserver<ServerEvent> call = (ServerCallStreamObserver<ServerEvent>) responseObserver;
        call.disableAutoRequest();
        Context context = Vertx.currentContext() != null && Vertx.currentContext().isEventLoopContext()
                ? Vertx.currentContext() : vertx.getOrCreateContext();
        return new ConverseCall(admission, statuses, call, context);
    }

    /**
     * The generated service, except that Converse decodes its requests with {@link Inbound#MARSHALLER}:
     * a message that is not a ClientEvent reaches {@link ConverseCall#onUndecodable} and ends the stream
     * with INVALID_ARGUMENT. With the generated marshaller the parse failure is thrown inside the
     * Vert.x gRPC bridge's read handler, where it is dropped: no status, no log, the stream left open.
     */
    @Override
    public ServerServiceDefinition bindService() {
        ServerServiceDefinition generated = super.bindService();
        MethodDescriptor<ClientEvent, ServerEvent> converse = LiveGatewayGrpc.getConverseMethod();
        MethodDescriptor<Inbound, ServerEvent> tolerant = converse.toBuilder(Inbound.MARSHALLER,
                converse.getResponseMarshaller()).build();
        ServiceDescriptor.Builder service = ServiceDescriptor.newBuilder(LiveGatewayGrpc.SERVICE_NAME)
                .setSchemaDescriptor(generated.getServiceDescriptor().getSchemaDescriptor())
                .addMethod(tolerant);
        for (ServerMethodDefinition<?, ?> method : generated.getMethods()) {
            if (!method.getMethodDescriptor().getFullMethodName().equals(converse.getFullMethodName())) {
                service.addMethod(method.getMethodDescriptor());
            }
        }
        ServerServiceDefinition.Builder definition = ServerServiceDefinition.builder(service.build())
                .addMethod(tolerant, ServerCalls.asyncBidiStreamingCall(this::converseInbound));
        for (ServerMethodDefinition<?, ?> method : generated.getMethods()) {
            if (!method.getMethodDescriptor().getFullMethodName().equals(converse.getFullMethodName())) {
                definition.addMethod(method);
            }
        }
        return definition.build();
    }

    private StreamObserver<Inbound> converseInbound(StreamObserver<ServerEvent> responseObserver) {
        ConverseCall call = (ConverseCall) converse(responseObserver);
        return new StreamObserver<>() {
            @Override
            public void onNext(Inbound inbound) {
                if (inbound.event() != null) {
                    call.onNext(inbound.event());
                } else {
                    call.onUndecodable(inbound.problem());
                }
            }

            @Override
            public void onError(Throwable t) {
                call.onError(t);
            }

            @Override
            public void onCompleted() {
                call.onCompleted();
            }
        };
    }

    /** A caller message: the decoded event, or why it could not be decoded. */
    record Inbound(ClientEvent event, String problem) {

        static final MethodDescriptor.Marshaller<Inbound> MARSHALLER = new MethodDescriptor.Marshaller<>() {
            private final MethodDescriptor.Marshaller<ClientEvent> events = LiveGatewayGrpc.getConverseMethod()
                    .getRequestMarshaller();

            @Override
            public InputStream stream(Inbound value) {
                return events.stream(value.event());
            }

            @Override
            public Inbound parse(InputStream stream) {
                try {
                    return new Inbound(events.parse(stream), null);
                } catch (StatusRuntimeException e) {
                    // protobuf's own words: "Protocol message had invalid UTF-8.", "... invalid wire type."
                    Throwable cause = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause() : e;
                    return new Inbound(null, cause.getMessage());
                } catch (RuntimeException e) {
                    return new Inbound(null, e.toString());
                }
            }
        };
    }
}
