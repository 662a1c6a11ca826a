package dev.livegateway.grpc;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

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

    /** Whether the connection is known to be closed. */
    static boolean closed(HttpConnection connection) {
        return connection instanceof ConnectionBase base && !base.channel().isActive();
    }
}
