package dev.livegateway.grpc;

import io.netty.channel.Channel;
import io.netty.handler.flush.FlushConsolidationHandler;

/**
 * Coalesces the socket flushes of a caller's HTTP/2 connection. Vert.x flushes every gRPC message
 * written from outside a read of that connection, which is how all model output arrives (it is
 * read from a Live API WebSocket, another connection): one {@code writev} per message. Many
 * sessions share a caller connection, so under load dozens of their messages are written in one
 * turn of the event loop; with this handler they leave in one flush at the end of that turn
 * (Netty's {@link FlushConsolidationHandler}), which costs microseconds of latency and saves a
 * system call and a pass through the channel per message.
 */
final class FlushCoalescing {

    static final String HANDLER_NAME = "live-gateway-flush-coalescing";

    private FlushCoalescing() {}

    /**
     * Installs the handler in front of the connection's HTTP/2 handler, once; does nothing for a
     * connection without one. Must run on the channel's event loop.
     */
    static void install(Channel channel) {
        CallerConnections.installBeforeHttp2(channel, HANDLER_NAME, http2 -> new FlushConsolidationHandler(
                FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true));
    }
}
