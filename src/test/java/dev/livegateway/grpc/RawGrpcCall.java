package dev.livegateway.grpc;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A Converse call over raw HTTP/2 (cleartext, prior knowledge): writes gRPC frames with any bytes
 * and reads the response as it is on the wire, trailers undecoded. What a caller that is not a
 * well-behaved gRPC library sends, and what grpc-js reads.
 */
final class RawGrpcCall implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(15);

    private final Vertx vertx = Vertx.vertx();
    private final HttpClient client;
    private final HttpClientRequest request;
    private final CompletableFuture<HttpClientResponse> response = new CompletableFuture<>();
    private final CompletableFuture<Void> firstData = new CompletableFuture<>();
    private final CompletableFuture<Void> end = new CompletableFuture<>();

    private RawGrpcCall(int port) throws Exception {
        client = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false).setDefaultHost("localhost").setDefaultPort(port));
        request = client.request(HttpMethod.POST, "/livegateway.v1.LiveGateway/Converse")
                .toCompletionStage().toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        request.putHeader("content-type", "application/grpc").putHeader("te", "trailers").setChunked(true);
        request.response().onSuccess(r -> {
            r.handler(data -> firstData.complete(null));
            r.endHandler(v -> end.complete(null));
            r.exceptionHandler(end::completeExceptionally);
            response.complete(r);
        }).onFailure(response::completeExceptionally);
        request.sendHead();
    }

    static RawGrpcCall open(int port) throws Exception {
        return new RawGrpcCall(port);
    }

    /** Writes one length-prefixed gRPC message (uncompressed) holding exactly {@code payload}. */
    RawGrpcCall send(byte[] payload) {
        Buffer frame = Buffer.buffer().appendByte((byte) 0).appendInt(payload.length).appendBytes(payload);
        request.write(frame);
        return this;
    }

    /** Waits for the first response message (e.g. SessionStarted). */
    void awaitData() throws Exception {
        firstData.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Waits for the end of the response; the gRPC status and message as sent on the wire. */
    Ended awaitEnd() throws Exception {
        HttpClientResponse r = response.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        end.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        // A trailers-only response carries the status in the headers.
        String status = r.trailers().get("grpc-status") != null ? r.trailers().get("grpc-status") : r.getHeader("grpc-status");
        String message = r.trailers().get("grpc-message") != null ? r.trailers().get("grpc-message")
                : r.getHeader("grpc-message");
        return new Ended(status == null ? -1 : Integer.parseInt(status), message);
    }

    /** The stream's end: the numeric grpc-status and the raw grpc-message header value (null if none). */
    record Ended(int status, String rawMessage) {}

    @Override
    public void close() {
        request.reset();
        client.close();
        vertx.close();
    }
}
