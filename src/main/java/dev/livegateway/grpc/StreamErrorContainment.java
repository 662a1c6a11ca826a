package dev.livegateway.grpc;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Stream;
import org.jboss.logging.Logger;

/**
 * Keeps the failure of a write on one stream the caller has reset from closing the caller's whole
 * connection, and with it every other conversation multiplexed on it.
 * <p>
 * Vert.x 4.5 writes the trailers of a response with a void promise. When the caller resets the
 * stream while those trailers still wait in Netty's HTTP/2 flow controller (written during a read
 * of the same connection, or queued behind DATA the caller's flow-control window holds back),
 * Netty fails the promise with a stream error, the void promise fires it down the pipeline, and
 * Vert.x's {@code exceptionCaught} closes the connection without a GOAWAY. A stream error concerns
 * one stream, which Netty has already closed: in front of the HTTP/2 handler this drops such an
 * error instead of passing it on. See docs/upstream-reports.md.
 */
final class StreamErrorContainment extends ChannelInboundHandlerAdapter {

    static final String HANDLER_NAME = "live-gateway-stream-error-containment";

    private static final Logger LOG = Logger.getLogger(StreamErrorContainment.class);

    private final Http2Connection connection;

    private StreamErrorContainment(Http2Connection connection) {
        this.connection = connection;
    }

    /**
     * Installs the handler right in front of the connection's HTTP/2 handler, once; does nothing
     * for a connection without one. Must run on the channel's event loop.
     */
    static void install(Channel channel) {
        CallerConnections.installBeforeHttp2(channel, HANDLER_NAME, http2 -> new StreamErrorContainment(http2.connection()));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (Http2CodecUtil.getEmbeddedHttp2Exception(cause) instanceof Http2Exception.StreamException error
                && closed(error.streamId())) {
            LOG.debugf("a write on HTTP/2 stream %d failed after the caller reset it (%s); the connection and"
                    + " its other streams stay open", error.streamId(), error.getMessage());
            return;
        }
        ctx.fireExceptionCaught(cause);
    }

    private boolean closed(int streamId) {
        Http2Stream stream = connection.stream(streamId);
        return stream == null || stream.state() == Http2Stream.State.CLOSED;
    }
}
