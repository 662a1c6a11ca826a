package dev.livegateway.grpc;

import dev.livegateway.admission.StatusMapper;
import dev.livegateway.api.v1.ServerEvent;
import dev.livegateway.session.CallerChannel;
import io.grpc.stub.ServerCallStreamObserver;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A session's view of its gRPC stream: outbound events honour the transport's readiness
 * ({@code isReady}/{@code onReady}), inbound events are pulled with {@code request(n)}.
 * gRPC-java wants one thread at a time on the observer; the session only calls from its context.
 */
final class GrpcCallerChannel implements CallerChannel {

    private final ServerCallStreamObserver<ServerEvent> call;
    private final Context context;
    private final StatusMapper statuses;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** The transport refused a write: the stream is gone although no cancellation said so. */
    private volatile boolean broken;
    private volatile Runnable readyHandler = () -> { };
    private final io.vertx.core.http.HttpConnection connection;

    GrpcCallerChannel(ServerCallStreamObserver<ServerEvent> call, Context context, StatusMapper statuses) {
        this.call = call;
        this.connection = CallerConnections.current();
        this.context = context;
        this.statuses = statuses;
        call.setOnReadyHandler(() -> {
            if (Vertx.currentContext() == context) {
                readyHandler.run();
            } else {
                context.runOnContext(v -> readyHandler.run());
            }
        });
    }

    @Override
    public boolean isReady() {
        return !closed.get() && call.isReady();
    }

    @Override
    public void onReady(Runnable handler) {
        this.readyHandler = handler;
    }

    @Override
    public void send(ServerEvent event) {
        if (!closed.get() && !broken && !call.isCancelled()) {
            try {
                call.onNext(event);
            } catch (IllegalStateException | io.grpc.StatusRuntimeException e) {
                // e.g. "The stream has been closed": the caller left; the session's caller watch ends it
                broken = true;
            }
        }
    }

    @Override
    public boolean gone() {
        return broken || call.isCancelled() || CallerConnections.closed(connection);
    }

    @Override
    public void requestInput(int n) {
        if (!closed.get() && !broken && n > 0) {
            try {
                call.request(n);
            } catch (IllegalStateException e) {
                broken = true;
            }
        }
    }

    @Override
    public void complete() {
        if (closed.compareAndSet(false, true) && !broken && !call.isCancelled()) {
            try {
                call.onCompleted();
            } catch (IllegalStateException e) {
                broken = true;
            }
        }
    }

    @Override
    public void fail(Throwable error, String resumeToken) {
        if (closed.compareAndSet(false, true) && !broken && !call.isCancelled()) {
            try {
                call.onError(statuses.toStatusException(error, resumeToken));
            } catch (IllegalStateException e) {
                broken = true;
            }
        }
    }

    boolean closed() {
        return closed.get();
    }
}
