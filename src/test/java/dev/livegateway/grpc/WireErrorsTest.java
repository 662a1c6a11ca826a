package dev.livegateway.grpc;

import static dev.livegateway.grpc.ConverseTest.textConfig;
import static org.assertj.core.api.Assertions.assertThat;

import dev.livegateway.GatewayStream;
import dev.livegateway.api.v1.ClientEvent;
import dev.livegateway.api.v1.RealtimeText;
import dev.livegateway.api.v1.SessionConfig;
import io.grpc.Status;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayOutputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * What reaches the wire when a caller sends bytes that are not a ClientEvent, and how a status
 * message is written in the grpc-message trailer: through the real port, with a raw HTTP/2 client.
 */
@QuarkusTest
class WireErrorsTest {

    private static final int INVALID_ARGUMENT = Status.Code.INVALID_ARGUMENT.value();

    @TestHTTPResource("/")
    URL base;

    @Test
    void garbageBytesEndTheStreamWithInvalidArgument() throws Exception {
        try (RawGrpcCall call = RawGrpcCall.open(base.getPort())) {
            call.send("not a protobuf message at all".getBytes(StandardCharsets.US_ASCII));
            RawGrpcCall.Ended end = call.awaitEnd();
            assertThat(end.status()).as("grpc-status of %s", end).isEqualTo(INVALID_ARGUMENT);
            assertThat(decode(end.rawMessage())).contains("ClientEvent", "not a valid livegateway.v1.ClientEvent");
        }
    }

    @Test
    void invalidUtf8InAStringFieldOfTheConfigEndsTheStream() throws Exception {
        byte[] config = withInvalidUtf8(ClientEvent.newBuilder().setConfig(textConfig().toBuilder()
                .setSystemInstruction("ab")).build());
        try (RawGrpcCall call = RawGrpcCall.open(base.getPort())) {
            call.send(config);
            RawGrpcCall.Ended end = call.awaitEnd();
            assertThat(end.status()).as("grpc-status of %s", end).isEqualTo(INVALID_ARGUMENT);
            assertThat(decode(end.rawMessage())).contains("ClientEvent", "UTF-8");
        }
    }

    @Test
    void invalidUtf8AfterTheSessionStartedEndsTheStream() throws Exception {
        byte[] text = withInvalidUtf8(ClientEvent.newBuilder().setText(RealtimeText.newBuilder().setText("ab")).build());
        try (RawGrpcCall call = RawGrpcCall.open(base.getPort())) {
            call.send(ClientEvent.newBuilder().setConfig(textConfig()).build().toByteArray());
            call.awaitData(); // SessionStarted
            call.send(text);
            RawGrpcCall.Ended end = call.awaitEnd();
            assertThat(end.status()).as("grpc-status of %s", end).isEqualTo(INVALID_ARGUMENT);
            assertThat(decode(end.rawMessage())).contains("ClientEvent", "UTF-8");
        }
    }

    @Test
    void statusMessagesAreEncodedOnceAsTheGrpcSpecSays() throws Exception {
        String model = "modèle:ü✓";
        String expectedStart = "config.model: '" + model + "' is not a model name";
        // grpc-java decodes whatever percent-encoding it gets: the text arrives exactly as written.
        String description;
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            stream.config(SessionConfig.newBuilder().setModel(model).build());
            Status status = stream.awaitEnd();
            assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            description = status.getDescription();
            assertThat(description).startsWith(expectedStart).doesNotContain("%3A", "%2F", "%");
        }
        // On the wire: only bytes outside 0x20-0x7E and '%' are percent-encoded (grpc-js decodes with
        // decodeURI, which leaves %3A, %2F, %2C ... as they are).
        try (RawGrpcCall call = RawGrpcCall.open(base.getPort())) {
            call.send(ClientEvent.newBuilder().setConfig(SessionConfig.newBuilder().setModel(model)).build().toByteArray());
            RawGrpcCall.Ended end = call.awaitEnd();
            assertThat(end.status()).isEqualTo(INVALID_ARGUMENT);
            assertThat(end.rawMessage()).isEqualTo(specEncode(description))
                    .startsWith("config.model: 'mod%C3%A8le:%C3%BC%E2%9C%93' is not a model name")
                    .contains("projects/{p}/locations/{l}");
        }
    }

    @Test
    void reflectionStillDescribesConverse() throws Exception {
        // Converse is bound with its own request marshaller (LiveGatewayService.bindService): grpcurl and
        // buf curl must still find the service and its schema.
        io.grpc.ManagedChannel channel = io.grpc.ManagedChannelBuilder.forAddress("localhost", base.getPort())
                .usePlaintext().build();
        try {
            java.util.concurrent.CompletableFuture<io.grpc.reflection.v1.ServerReflectionResponse> answer =
                    new java.util.concurrent.CompletableFuture<>();
            var requests = io.grpc.reflection.v1.ServerReflectionGrpc.newStub(channel).serverReflectionInfo(
                    new io.grpc.stub.StreamObserver<>() {
                        @Override
                        public void onNext(io.grpc.reflection.v1.ServerReflectionResponse value) {
                            answer.complete(value);
                        }

                        @Override
                        public void onError(Throwable t) {
                            answer.completeExceptionally(t);
                        }

                        @Override
                        public void onCompleted() {}
                    });
            requests.onNext(io.grpc.reflection.v1.ServerReflectionRequest.newBuilder()
                    .setFileContainingSymbol("livegateway.v1.LiveGateway").build());
            var files = answer.get(15, java.util.concurrent.TimeUnit.SECONDS).getFileDescriptorResponse();
            requests.onCompleted();
            assertThat(files.getFileDescriptorProtoCount()).isPositive();
            boolean converse = false;
            for (com.google.protobuf.ByteString bytes : files.getFileDescriptorProtoList()) {
                for (var service : com.google.protobuf.DescriptorProtos.FileDescriptorProto.parseFrom(bytes).getServiceList()) {
                    converse |= service.getName().equals("LiveGateway")
                            && service.getMethodList().stream().anyMatch(m -> m.getName().equals("Converse"));
                }
            }
            assertThat(converse).as("LiveGateway.Converse described by reflection").isTrue();
        } finally {
            channel.shutdownNow();
        }
    }

    /** The serialized event with its two-character string "ab" replaced by an invalid UTF-8 sequence. */
    private static byte[] withInvalidUtf8(ClientEvent event) {
        byte[] bytes = event.toByteArray();
        for (int i = 0; i + 1 < bytes.length; i++) {
            if (bytes[i] == 'a' && bytes[i + 1] == 'b') {
                bytes[i] = (byte) 0xC3; // a lead byte followed by one that cannot continue it
                bytes[i + 1] = (byte) 0x28;
                return bytes;
            }
        }
        throw new AssertionError("no 'ab' in the serialized event");
    }

    /** The gRPC spec's Percent-Encoded grpc-message: UTF-8, bytes outside 0x20-0x7E and '%' as %XX. */
    static String specEncode(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if (c >= 0x20 && c <= 0x7E && c != '%') {
                out.append((char) c);
            } else {
                out.append('%').append(String.format("%02X", c));
            }
        }
        return out.toString();
    }

    /** Percent-decoding as grpc-java does it. */
    static String decode(String raw) {
        assertThat(raw).as("grpc-message").isNotNull();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] bytes = raw.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '%' && i + 2 < bytes.length) {
                out.write(Integer.parseInt(raw.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.write(bytes[i]);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
