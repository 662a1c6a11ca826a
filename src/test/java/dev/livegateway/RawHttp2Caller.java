package dev.livegateway;

import dev.livegateway.api.v1.ClientEvent;
import dev.livegateway.api.v1.ServerEvent;
import com.google.protobuf.InvalidProtocolBufferException;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2FrameLogger;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.logging.LogLevel;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A gRPC caller written at the HTTP/2 frame level (Netty, h2c with prior knowledge), for tests that
 * need frame sequences the grpc-java client never sends: {@link Call#cancelLikeGrpcJs()} sends what
 * grpc-js (Node) sends when a call is cancelled, an empty DATA frame with END_STREAM immediately
 * followed by RST_STREAM(CANCEL), in one write. Many calls share the one connection, as a grpc-js
 * channel multiplexes them. Every inbound frame is recorded, including frames the HTTP/2 codec
 * drops because the stream is already closed on this side.
 */
public final class RawHttp2Caller implements AutoCloseable {

    private static final String CONVERSE = "/livegateway.v1.LiveGateway/Converse";

    private final EventLoopGroup group = new NioEventLoopGroup(1);
    private final Map<Integer, Call> calls = new ConcurrentHashMap<>();
    /** Frames that say the connection is in trouble: GOAWAY and RST_STREAM from the gateway. */
    private final List<String> serverErrors = new CopyOnWriteArrayList<>();
    private final CompletableFuture<String> goAway = new CompletableFuture<>();
    private final String authority;
    private final String apiKey;
    private Http2ConnectionHandler http2;
    private Channel channel;
    private ChannelHandlerContext ctx;

    private RawHttp2Caller(int port, String apiKey) {
        this.authority = "localhost:" + port;
        this.apiKey = apiKey;
    }

    /** Connects to the gateway's gRPC port; {@code apiKey} (nullable) goes in {@code authorization: Bearer}. */
    public static RawHttp2Caller connect(int port, String apiKey) throws InterruptedException {
        return connect(port, apiKey, Http2CodecUtil.DEFAULT_WINDOW_SIZE);
    }

    /** Connects announcing {@code streamWindow} as the flow-control window of each stream. */
    public static RawHttp2Caller connect(int port, String apiKey, int streamWindow) throws InterruptedException {
        RawHttp2Caller caller = new RawHttp2Caller(port, apiKey);
        caller.start(port, streamWindow);
        return caller;
    }

    private void start(int port, int streamWindow) throws InterruptedException {
        http2 = new Http2ConnectionHandlerBuilder().server(false).frameListener(new Listener())
                .initialSettings(Http2Settings.defaultSettings().initialWindowSize(streamWindow))
                .frameLogger(new Recorder()).build();
        channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(http2)
                .connect("localhost", port).sync().channel();
        ctx = channel.pipeline().context(http2);
    }

    /** Opens a Converse call: sends its HEADERS. */
    public Call open() {
        return onLoop(() -> {
            int id = http2.connection().local().incrementAndGetNextStreamId();
            Call call = new Call(id);
            calls.put(id, call);
            Http2Headers headers = new DefaultHttp2Headers().method("POST").scheme("http").path(CONVERSE)
                    .authority(authority)
                    .add("content-type", "application/grpc")
                    .add("te", "trailers")
                    .add("user-agent", "grpc-node-js/1.14.1")
                    .add("grpc-accept-encoding", "identity,deflate,gzip")
                    .add("accept-encoding", "identity");
            if (apiKey != null) {
                headers.add("authorization", "Bearer " + apiKey);
            }
            http2.encoder().writeHeaders(ctx, id, headers, 0, false, ctx.newPromise());
            channel.flush();
            return call;
        });
    }

    /** Whether the TCP connection is still open. */
    public boolean connected() {
        return channel.isActive();
    }

    /** The GOAWAY the gateway sent, described; null if none. */
    public String goAway() {
        return goAway.getNow(null);
    }

    /** RST_STREAM and GOAWAY frames the gateway sent, described, in order. */
    public List<String> serverErrors() {
        return List.copyOf(serverErrors);
    }

    @Override
    public void close() {
        if (channel != null) {
            channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    private <T> T onLoop(java.util.concurrent.Callable<T> action) {
        try {
            return group.next().submit(action).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("HTTP/2 client action failed", e);
        }
    }

    private void onLoop(Runnable action) {
        onLoop(() -> {
            action.run();
            return null;
        });
    }

    /** One Converse call on the connection. */
    public final class Call {

        private final int id;
        private final BlockingQueue<ServerEvent> events = new LinkedBlockingQueue<>();
        private final CompletableFuture<Http2Headers> trailers = new CompletableFuture<>();
        private final CompletableFuture<Long> reset = new CompletableFuture<>();
        /** Frames the gateway sent on this stream after the RST_STREAM of this side. */
        private final List<String> framesAfterCancel = new CopyOnWriteArrayList<>();
        private volatile boolean cancelled;
        private volatile boolean reading = true;
        private final java.util.concurrent.atomic.AtomicLong received = new java.util.concurrent.atomic.AtomicLong();
        private ByteBuf pending = Unpooled.EMPTY_BUFFER;

        private Call(int id) {
            this.id = id;
        }

        public int id() {
            return id;
        }

        /** Sends one event, framed as a gRPC message. */
        public Call send(ClientEvent event) {
            byte[] bytes = event.toByteArray();
            ByteBuf frame = Unpooled.buffer(5 + bytes.length).writeByte(0).writeInt(bytes.length).writeBytes(bytes);
            onLoop(() -> {
                http2.encoder().writeData(ctx, id, frame, 0, false, ctx.newPromise());
                channel.flush();
            });
            return this;
        }

        /** Half-closes: an empty DATA frame with END_STREAM. */
        public void halfClose() {
            onLoop(() -> {
                http2.encoder().writeData(ctx, id, Unpooled.EMPTY_BUFFER, 0, true, ctx.newPromise());
                channel.flush();
            });
        }

        /**
         * Cancels as grpc-js does: an empty DATA frame with END_STREAM and RST_STREAM(CANCEL), written
         * together (one flush), after which the stream is closed on this side.
         */
        public void cancelLikeGrpcJs() {
            onLoop(() -> {
                cancelled = true;
                http2.encoder().frameWriter().writeData(ctx, id, Unpooled.EMPTY_BUFFER, 0, true, ctx.newPromise());
                http2.encoder().frameWriter().writeRstStream(ctx, id, Http2Error.CANCEL.code(), ctx.newPromise());
                channel.flush();
                Http2Stream stream = http2.connection().stream(id);
                if (stream != null) {
                    stream.close();
                }
            });
        }

        /** Waits for the next event of the given kind, dropping the others. */
        public ServerEvent await(ServerEvent.EventCase kind, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                ServerEvent event = events.poll(20, TimeUnit.MILLISECONDS);
                if (event != null && event.getEventCase() == kind) {
                    return event;
                }
                if (event == null && (trailers.isDone() || reset.isDone() || !channel.isActive())) {
                    throw new AssertionError("stream " + id + " ended before " + kind + ": trailers "
                            + trailers.getNow(null) + ", reset " + reset.getNow(null) + ", connection "
                            + (channel.isActive() ? "open" : "closed") + ", gateway errors " + serverErrors);
                }
            }
            throw new AssertionError("no " + kind + " on stream " + id + " within " + timeout);
        }

        /**
         * Stops reading: DATA from now on is neither decoded nor given back to flow control, so the
         * stream's window runs out and the gateway's further output for it waits, as for a stuck caller.
         */
        public void stopReading() {
            reading = false;
        }

        /** DATA bytes received on this stream. */
        public long bytesReceived() {
            return received.get();
        }

        /** Polls the events received so far, handing each to {@code sink}. */
        public void drain(Consumer<ServerEvent> sink) {
            for (ServerEvent e = events.poll(); e != null; e = events.poll()) {
                sink.accept(e);
            }
        }

        /** The trailers the gateway ended the call with (waits for them). */
        public Http2Headers awaitTrailers(Duration timeout) throws Exception {
            return trailers.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        /** The RST_STREAM code the gateway sent on this stream, if any. */
        public Long resetByGateway() {
            return reset.getNow(null);
        }

        public List<String> framesAfterCancel() {
            return List.copyOf(framesAfterCancel);
        }

        private void onData(ByteBuf data) {
            pending = pending.isReadable() ? Unpooled.wrappedBuffer(pending, data.retain()) : data.retain();
            while (pending.readableBytes() >= 5) {
                int length = pending.getInt(pending.readerIndex() + 1);
                if (pending.readableBytes() < 5 + length) {
                    break;
                }
                pending.skipBytes(5);
                byte[] bytes = new byte[length];
                pending.readBytes(bytes);
                try {
                    events.add(ServerEvent.parseFrom(bytes));
                } catch (InvalidProtocolBufferException e) {
                    throw new IllegalStateException("undecodable ServerEvent on stream " + id, e);
                }
            }
            if (!pending.isReadable()) {
                pending.release();
                pending = Unpooled.EMPTY_BUFFER;
            }
        }
    }

    /** Frames the codec accepted for open streams. */
    private final class Listener extends Http2FrameAdapter {

        @Override
        public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream) {
            int processed = data.readableBytes() + padding;
            Call call = calls.get(streamId);
            if (call != null) {
                call.received.addAndGet(data.readableBytes());
                if (!call.reading) {
                    return 0;
                }
                if (!call.cancelled) {
                    call.onData(data);
                }
            }
            return processed;
        }

        @Override
        public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding,
                boolean endOfStream) {
            Call call = calls.get(streamId);
            if (call != null && endOfStream) {
                call.trailers.complete(headers);
            }
        }

        @Override
        public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int streamDependency,
                short weight, boolean exclusive, int padding, boolean endOfStream) {
            onHeadersRead(ctx, streamId, headers, padding, endOfStream);
        }

        @Override
        public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
            Call call = calls.get(streamId);
            if (call != null) {
                call.reset.complete(errorCode);
            }
        }
    }

    /** Sees every inbound frame before the codec's stream-state checks, closed streams included. */
    private final class Recorder extends Http2FrameLogger {

        Recorder() {
            super(LogLevel.TRACE, RawHttp2Caller.class);
        }

        private void afterCancel(int streamId, String frame) {
            Call call = calls.get(streamId);
            if (call != null && call.cancelled) {
                call.framesAfterCancel.add(frame);
            }
        }

        @Override
        public void logData(Direction direction, ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding,
                boolean endStream) {
            if (direction == Direction.INBOUND) {
                afterCancel(streamId, "DATA(" + data.readableBytes() + " bytes" + (endStream ? ", END_STREAM)" : ")"));
            }
        }

        @Override
        public void logHeaders(Direction direction, ChannelHandlerContext ctx, int streamId, Http2Headers headers,
                int padding, boolean endStream) {
            if (direction == Direction.INBOUND) {
                afterCancel(streamId, "HEADERS(" + headers + (endStream ? ", END_STREAM)" : ")"));
            }
        }

        @Override
        public void logHeaders(Direction direction, ChannelHandlerContext ctx, int streamId, Http2Headers headers,
                int streamDependency, short weight, boolean exclusive, int padding, boolean endStream) {
            logHeaders(direction, ctx, streamId, headers, padding, endStream);
        }

        @Override
        public void logRstStream(Direction direction, ChannelHandlerContext ctx, int streamId, long errorCode) {
            if (direction == Direction.INBOUND) {
                String frame = "RST_STREAM(stream " + streamId + ", " + Http2Error.valueOf(errorCode) + ")";
                serverErrors.add(frame);
                afterCancel(streamId, frame);
            }
        }

        @Override
        public void logGoAway(Direction direction, ChannelHandlerContext ctx, int lastStreamId, long errorCode,
                ByteBuf debugData) {
            if (direction == Direction.INBOUND) {
                String frame = "GOAWAY(last stream " + lastStreamId + ", " + Http2Error.valueOf(errorCode) + ", "
                        + debugData.toString(java.nio.charset.StandardCharsets.UTF_8) + ")";
                serverErrors.add(frame);
                goAway.complete(frame);
            }
        }
    }
}
