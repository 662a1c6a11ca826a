package dev.livegateway.auth;

import io.grpc.BindableService;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;
import io.quarkus.grpc.GrpcService;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A test-only gRPC service, {@code livegateway.test.Whoami/Whoami}, that answers with the
 * authenticated tenant: a real, authenticated method on the real server, independent of the
 * Converse service. Messages are plain UTF-8 strings (no protobuf needed).
 */
@GrpcService
public class WhoamiTestService implements BindableService {

    static final MethodDescriptor<String, String> WHOAMI = MethodDescriptor.<String, String>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(MethodDescriptor.generateFullMethodName("livegateway.test.Whoami", "Whoami"))
            .setRequestMarshaller(new Utf8Marshaller())
            .setResponseMarshaller(new Utf8Marshaller())
            .build();

    @Override
    public ServerServiceDefinition bindService() {
        return ServerServiceDefinition.builder("livegateway.test.Whoami")
                .addMethod(WHOAMI, ServerCalls.asyncUnaryCall((request, response) -> {
                    response.onNext(CallerContext.tenant().id());
                    response.onCompleted();
                }))
                .build();
    }

    /** The Vert.x gRPC bridge writes messages through {@link io.grpc.Drainable}, as protobuf streams are. */
    static final class DrainableBytes extends ByteArrayInputStream implements io.grpc.Drainable {
        DrainableBytes(byte[] bytes) {
            super(bytes);
        }

        @Override
        public int drainTo(java.io.OutputStream target) throws IOException {
            int length = available();
            target.write(buf, pos, length);
            pos = count;
            return length;
        }
    }

    static final class Utf8Marshaller implements MethodDescriptor.Marshaller<String> {
        @Override
        public InputStream stream(String value) {
            return new DrainableBytes(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
            try {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
