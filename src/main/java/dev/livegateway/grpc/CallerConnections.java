package dev.livegateway.grpc;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.function.Function;

/**
 * Remembers the HTTP/2 connection each gRPC call arrived on, so a session can tell when its
 * caller's connection is gone. A caller that closes its connection without a RST_STREAM (a crash,
 * a race between cancel and shutdown) is not always reported to the call by the transport; without
 * this a session could hold a Live API session and a quota lease for nobody. The first call on a
 * connection also installs {@link FlushCoalescing} and {@link StreamErrorContainment} on it.
 */
@ApplicationScoped
public class CallerConnections {

    private static final String KEY = "live-gateway.caller-connection";

    /** Runs before the gRPC handler on the same request context. */
    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(rc -> {
            String contentType = rc.request().getHeader("content-type");
            Context context = Vertx.currentContext();
            if (contentType != null && contentType.startsWith("application/grpc") && context != null) {
                HttpConnection connection = rc.request().connection();
                context.putLocal(KEY, connection);
                if (connection instanceof ConnectionBase base) {
                    FlushCoalescing.install(base.channel());
                    StreamErrorContainment.install(base.channel());
                }
            }
            rc.next();
        });
    }

    /** The connection of the call being set up, read in the service method; null if unknown. */
    static HttpConnection current() {
        Context context = Vertx.currentContext();
        return context == null ? null : context.getLocal(KEY);
    }

    /**
     * Puts a handler right in front of the connection's HTTP/2 handler, once (by {@code name}); does
     * nothing for a connection without one. Must run on the channel's event loop.
     */
    static void installBeforeHttp2(Channel channel, String name, Function<Http2ConnectionHandler, ChannelHandler> handler) {
        ChannelPipeline pipeline = channel.pipeline();
        if (pipeline.get(name) != null) {
            return;
        }
        ChannelHandlerContext http2 = pipeline.context(Http2ConnectionHandler.class);
        if (http2 != null) {
            pipeline.addBefore(http2.name(), name, handler.apply((Http2ConnectionHandler) http2.handler()));
        }
    }

    /** Whether the connection is known to be closed. */
    static boolean closed(HttpConnection connection) {
        return connection instanceof ConnectionBase base && !base.channel().isActive();
    }
}
