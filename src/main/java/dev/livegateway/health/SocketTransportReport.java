package dev.livegateway.health;

import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * Says at start-up which socket transport carries the gateway's connections: Netty's native epoll
 * ({@code quarkus.vertx.prefer-native-transport=true}, the default) or, where it cannot load, the
 * JDK's NIO, with the reason. Vert.x falls back silently, and NIO costs noticeably more CPU per
 * relayed message (docs/benchmarks.md), so an operator should see it in the log.
 */
@Singleton
public class SocketTransportReport {

    private static final Logger LOG = Logger.getLogger(SocketTransportReport.class);

    void onStart(@Observes StartupEvent start, Vertx vertx) {
        if (vertx.isNativeTransportEnabled()) {
            LOG.info("sockets: Netty's native epoll transport");
            return;
        }
        Throwable cause = vertx.unavailableNativeTransportCause();
        if (cause == null) {
            LOG.info("sockets: the JDK's NIO transport (quarkus.vertx.prefer-native-transport=false)");
        } else {
            LOG.warnf("sockets: the JDK's NIO transport, because Netty's native epoll transport is unavailable here (%s);"
                    + " the gateway works, with more CPU per message. It loads on Linux x86-64 with glibc and an"
                    + " executable temporary directory (-Dio.netty.native.workdir=...)", cause.toString());
        }
    }
}
