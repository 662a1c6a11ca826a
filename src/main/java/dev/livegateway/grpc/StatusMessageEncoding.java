package dev.livegateway.grpc;

import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.spi.Prioritized;
import java.nio.charset.StandardCharsets;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Writes the {@code grpc-message} trailer as the gRPC spec says: UTF-8 with only the bytes outside
 * 0x20-0x7E and {@code %} percent-encoded. The Vert.x gRPC server (gRPC on the HTTP port) encodes
 * the status description with {@code URLEncoder}, which also encodes {@code : / , ; ? @ & = + $ #}
 * and others; grpc-java decodes any escape, but grpc-js decodes with {@code decodeURI}, which keeps
 * those escapes, so Node callers read {@code config.model%3A ...}. This interceptor puts the
 * description into the trailers itself, correctly encoded, and closes the call without one, so the
 * bridge has nothing to encode. The separate grpc-java server (use-separate-server=true) already
 * encodes per spec and is left alone. Outermost, so that every close passes through it.
 */
@ApplicationScoped
@GlobalInterceptor
public class StatusMessageEncoding implements ServerInterceptor, Prioritized {

    /** grpc-message with the spec's encoding. */
    static final Metadata.Key<String> GRPC_MESSAGE = Metadata.Key.of("grpc-message", new SpecPercentEncoding());

    private final boolean separateServer;

    StatusMessageEncoding(@ConfigProperty(name = "quarkus.grpc.server.use-separate-server", defaultValue = "true")
            boolean separateServer) {
        this.separateServer = separateServer;
    }

    @Override
    public int getPriority() {
        return Integer.MAX_VALUE;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        if (separateServer) {
            return next.startCall(call, headers);
        }
        return next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                if (!status.isOk() && status.getDescription() != null) {
                    trailers.discardAll(GRPC_MESSAGE);
                    trailers.put(GRPC_MESSAGE, status.getDescription());
                    status = Status.fromCode(status.getCode()).withCause(status.getCause());
                }
                super.close(status, trailers);
            }
        }, headers);
    }

    /** The Percent-Encoded form of the gRPC over HTTP/2 spec (as grpc-java writes it). */
    static final class SpecPercentEncoding implements Metadata.AsciiMarshaller<String> {

        private static final char[] HEX = "0123456789ABCDEF".toCharArray();

        @Override
        public String toAsciiString(String value) {
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            StringBuilder out = new StringBuilder(bytes.length + 16);
            for (byte b : bytes) {
                int c = b & 0xFF;
                if (c >= 0x20 && c <= 0x7E && c != '%') {
                    out.append((char) c);
                } else {
                    out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
                }
            }
            return out.toString();
        }

        @Override
        public String parseAsciiString(String serialized) {
            byte[] in = serialized.getBytes(StandardCharsets.US_ASCII);
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(in.length);
            for (int i = 0; i < in.length; i++) {
                if (in[i] == '%' && i + 2 < in.length) {
                    int high = Character.digit(in[i + 1], 16);
                    int low = Character.digit(in[i + 2], 16);
                    if (high >= 0 && low >= 0) {
                        out.write((high << 4) | low);
                        i += 2;
                        continue;
                    }
                }
                out.write(in[i]);
            }
            return out.toString(StandardCharsets.UTF_8);
        }
    }
}
