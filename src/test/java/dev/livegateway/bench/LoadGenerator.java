package dev.livegateway.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.livegateway.api.v1.AudioChunk;
import dev.livegateway.api.v1.AudioEncoding;
import dev.livegateway.api.v1.AudioInputFormat;
import dev.livegateway.api.v1.AudioOutputFormat;
import dev.livegateway.audio.G711;
import dev.livegateway.api.v1.ClientEvent;
import dev.livegateway.api.v1.LiveGatewayGrpc;
import dev.livegateway.api.v1.Modality;
import dev.livegateway.api.v1.SessionConfig;
import dev.livegateway.wire.ClientMessage;
import dev.livegateway.wire.Content;
import dev.livegateway.wire.Setup;
import dev.livegateway.wire.Wire;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.netty.channel.EventLoop;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * The load generator, a process of its own: opens N conversations through the gateway (gRPC
 * Converse) or straight to the emulator (Live API WebSocket), streams audio in real time plus text
 * turns, and reports the round-trip latency of every chunk against its echo.
 *
 * <pre>
 * java -cp 'target/quarkus-app/lib/main/*:target/quarkus-app/app/*' dev.livegateway.bench.LoadGenerator \
 *     --gateway 127.0.0.1:8080 --sessions 500 --chunk-ms 20 --duration 20
 * </pre>
 *
 * Few threads: {@code --threads} event loops carry every session's sockets and timers.
 */
public final class LoadGenerator {

    static final String DEFAULT_DIRECT_MODEL = "projects/emulator/locations/us-central1/publishers/google/models/"
            + "gemini-live-2.5-flash";

    private final LoadOptions options;
    private final Measurements measurements = new Measurements();
    private final List<BenchSession> sessions = new ArrayList<>();
    private final BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    private final List<AutoCloseable> resources = new ArrayList<>();

    LoadGenerator(LoadOptions options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        LoadOptions options;
        try {
            options = LoadOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println("run with --help for the options");
            System.exit(2);
            return;
        }
        if (options == null) {
            System.out.print(LoadOptions.USAGE);
            return;
        }
        Map<String, Object> result = new LoadGenerator(options).run();
        System.out.println("RESULT " + new ObjectMapper().writeValueAsString(result));
        System.out.flush();
        System.exit(0);
    }

    Map<String, Object> run() throws Exception {
        long period = TimeUnit.MILLISECONDS.toNanos(options.chunkMillis());
        long textEvery = options.textEvery().toNanos();
        byte[] pcm = quietNoise(options.telephony() ? options.chunkBytes() * 2 : options.chunkBytes());
        if (options.viaGateway()) {
            createGatewaySessions(period, textEvery, pcm);
        } else {
            createDirectSessions(period, textEvery, pcm);
        }
        phase("ramp-up", options.sessions() + " sessions over " + options.rampUp().toMillis() + " ms");
        long rampStart = System.nanoTime();
        long gap = options.sessions() > 1 ? options.rampUp().toNanos() / (options.sessions() - 1) : 0;
        for (int i = 0; i < sessions.size(); i++) {
            sleepUntil(rampStart + i * gap);
            sessions.get(i).open();
        }
        long openDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < openDeadline && streamingCount() + failedCount() < sessions.size()) {
            Thread.sleep(50);
        }
        long opened = streamingCount();
        long openMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - rampStart);
        phase("opened", opened + " streaming, " + failedCount() + " failed, in " + openMillis + " ms");
        Thread.sleep(options.settle().toMillis());

        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
        long end = start + options.duration().toNanos();
        measurements.window(start, end);
        sleepUntil(start);
        phase("measure-start", "");
        sleepUntil(end);
        phase("measure-end", "");
        // Echoes of the last chunks of the window are still on their way.
        Thread.sleep(1000);
        Histogram audio = Measurements.snapshot(measurements.audioRoundTrip);
        Histogram text = Measurements.snapshot(measurements.textFirstReply);
        long streamingAtEnd = streamingCount();
        if (options.driven()) {
            phase("active", "waiting for a line on stdin");
            stdin.readLine();
        }
        sessions.forEach(BenchSession::stopStreaming);
        // Idle means quiet: wait until every echo still on its way has arrived (or is given up).
        long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        Thread.sleep(200);
        while (awaitingEchoes() > 0 && System.nanoTime() < drainDeadline) {
            Thread.sleep(100);
        }
        long lost = lostInWindow();
        if (options.driven()) {
            phase("idle", "waiting for a line on stdin");
            stdin.readLine();
        }
        sessions.forEach(BenchSession::close);
        Thread.sleep(500);
        closeResources();

        double seconds = options.duration().toNanos() / 1e9;
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("path", options.viaGateway() ? "gateway" : "direct");
        result.put("sessions", options.sessions());
        result.put("chunkMs", options.chunkMillis());
        result.put("audioFormat", options.telephony() ? "mulaw-8k" : "pcm16-16k");
        result.put("durationS", seconds);
        result.put("opened", opened);
        result.put("openMs", openMillis);
        result.put("streamingAtEnd", streamingAtEnd);
        result.put("openFailures", measurements.openFailures.sum());
        result.put("streamFailures", measurements.streamFailures.sum());
        result.put("audioSent", measurements.audioSent.sum());
        result.put("audioEchoed", measurements.audioEchoed.sum());
        result.put("audioLost", lost);
        result.put("unexpectedEchoes", measurements.unexpectedEchoes.sum());
        result.put("textTurns", measurements.textSent.sum());
        result.put("received", measurements.received.sum());
        result.put("messagesPerSecond", (measurements.audioSent.sum() + measurements.textSent.sum()
                + measurements.received.sum()) / seconds);
        result.put("audio", percentiles(audio));
        result.put("textFirstReply", percentiles(text));
        Map<String, Long> reasons = new LinkedHashMap<>();
        measurements.failureReasons.forEach((k, v) -> reasons.put(k, v.sum()));
        result.put("failureReasons", reasons);
        return result;
    }

    private void createGatewaySessions(long period, long textEvery, byte[] pcm) {
        ClientEvent audio = ClientEvent.newBuilder().setAudio(AudioChunk.newBuilder()
                .setData(ByteString.copyFrom(pcm)).setSampleRateHz(16000)).build();
        SessionConfig.Builder config = SessionConfig.newBuilder().setResponseModality(Modality.MODALITY_TEXT);
        if (options.telephony()) {
            // 8 kHz μ-law both ways, one event per model chunk (no frame_ms: each echo stays one event)
            audio = ClientEvent.newBuilder().setAudio(AudioChunk.newBuilder()
                    .setData(ByteString.copyFrom(G711.MULAW.encode(pcm)))).build();
            config.setInputAudio(AudioInputFormat.newBuilder().setEncoding(AudioEncoding.AUDIO_ENCODING_MULAW))
                    .setOutputAudio(AudioOutputFormat.newBuilder().setEncoding(AudioEncoding.AUDIO_ENCODING_MULAW));
        }
        if (options.model() != null) {
            config.setModel(options.model());
        }
        ClientEvent first = ClientEvent.newBuilder().setConfig(config).build();
        int connections = (options.sessions() + options.streamsPerConnection() - 1) / options.streamsPerConnection();
        List<NioEventLoopGroup> loops = new ArrayList<>();
        for (int i = 0; i < options.threads(); i++) {
            NioEventLoopGroup group = new NioEventLoopGroup(1);
            loops.add(group);
            resources.add(() -> group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS));
        }
        List<LiveGatewayGrpc.LiveGatewayStub> stubs = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            NioEventLoopGroup group = loops.get(c % loops.size());
            ManagedChannel channel = NettyChannelBuilder.forTarget(options.gatewayTarget())
                    .usePlaintext()
                    .eventLoopGroup(group)
                    .channelType(NioSocketChannel.class)
                    .directExecutor()
                    .build();
            resources.add(0, () -> channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
            LiveGatewayGrpc.LiveGatewayStub stub = LiveGatewayGrpc.newStub(channel);
            if (options.apiKey() != null) {
                Metadata headers = new Metadata();
                headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
                        "Bearer " + options.apiKey());
                stub = stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
            }
            stubs.add(stub);
        }
        for (int i = 0; i < options.sessions(); i++) {
            int c = i % connections;
            EventLoop loop = loops.get(c % loops.size()).next();
            sessions.add(new GatewaySession(measurements, period, textEvery, stubs.get(c), loop, first, audio,
                    options.telephony() ? options.chunkBytes() / 2 : 0));
        }
    }

    private void createDirectSessions(long period, long textEvery, byte[] pcm) {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(options.threads()).setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1));
        resources.add(() -> vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS));
        WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions()
                .setMaxConnections(Integer.MAX_VALUE / 2)
                .setTryUsePerMessageCompression(false)
                .setMaxMessageSize(16 << 20)
                .setMaxFrameSize(1 << 20)
                .setConnectTimeout(30_000));
        var uri = options.directUrl();
        WebSocketConnectOptions connect = new WebSocketConnectOptions()
                .setHost(uri.getHost())
                .setPort(uri.getPort() < 0 ? 80 : uri.getPort())
                .setURI(uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
        // No request timeout on the connect options: Vert.x kept it armed after the upgrade and closed
        // the first session's WebSocket (1000) 30 s after it opened, a direct-path "error" in every pass.
        // The same setup the gateway sends upstream for a TEXT session: resumption on, transparent.
        Setup setup = new Setup(options.model() != null ? options.model() : DEFAULT_DIRECT_MODEL,
                new Setup.GenerationConfig(List.of("TEXT"), null, null, null, null, null, null, null, null, null, null,
                        null, null),
                null, null, null, new Setup.SessionResumption(null, Boolean.TRUE), null, null, null, null, null);
        String setupJson = new String(Wire.write(ClientMessage.of(setup)), StandardCharsets.UTF_8);
        String audioJson = new String(Wire.write(ClientMessage.of(ClientMessage.RealtimeInput.audio(
                new Content.Blob("audio/pcm;rate=16000", pcm)))), StandardCharsets.UTF_8);
        List<Context> contexts = new ArrayList<>();
        for (int i = 0; i < options.threads(); i++) {
            contexts.add(vertx.getOrCreateContext());
        }
        for (int i = 0; i < options.sessions(); i++) {
            sessions.add(new DirectSession(measurements, period, textEvery, client, connect,
                    contexts.get(i % contexts.size()), setupJson, audioJson));
        }
    }

    /** Low-level noise well under the emulator's speech threshold: no turn is ever detected. */
    static byte[] quietNoise(int bytes) {
        byte[] pcm = new byte[bytes];
        long seed = 42;
        for (int i = 0; i + 1 < bytes; i += 2) {
            seed = seed * 6364136223846793005L + 1442695040888963407L;
            short sample = (short) ((seed >>> 33) % 200 - 100);
            pcm[i] = (byte) sample;
            pcm[i + 1] = (byte) (sample >> 8);
        }
        return pcm;
    }

    private long streamingCount() {
        return sessions.stream().filter(BenchSession::isStreaming).count();
    }

    private long failedCount() {
        return measurements.openFailures.sum() + measurements.streamFailures.sum();
    }

    private long awaitingEchoes() throws InterruptedException {
        AtomicLong awaiting = new AtomicLong();
        CountDownLatch done = new CountDownLatch(sessions.size());
        for (BenchSession session : sessions) {
            session.runOnLoop(() -> {
                if (!session.ended) {
                    awaiting.addAndGet(session.awaitingEchoes());
                }
                done.countDown();
            });
        }
        done.await(10, TimeUnit.SECONDS);
        return awaiting.get();
    }

    private long lostInWindow() throws InterruptedException {
        AtomicLong lost = new AtomicLong();
        CountDownLatch done = new CountDownLatch(sessions.size());
        for (BenchSession session : sessions) {
            session.runOnLoop(() -> {
                lost.addAndGet(session.lostInWindow());
                done.countDown();
            });
        }
        done.await(10, TimeUnit.SECONDS);
        return lost.get();
    }

    private void closeResources() {
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception ignored) {
                // shutting down anyway
            }
        }
    }

    private static Map<String, Object> percentiles(Histogram h) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("count", h.getTotalCount());
        p.put("p50", ms(h.getValueAtPercentile(50)));
        p.put("p90", ms(h.getValueAtPercentile(90)));
        p.put("p99", ms(h.getValueAtPercentile(99)));
        p.put("p999", ms(h.getValueAtPercentile(99.9)));
        p.put("max", ms(h.getMaxValue()));
        p.put("mean", h.getTotalCount() == 0 ? 0 : Math.round(h.getMean() / 1000.0) / 1000.0);
        return p;
    }

    private static double ms(long nanos) {
        return Math.round(nanos / 1000.0) / 1000.0;
    }

    private static void phase(String name, String detail) {
        System.out.println("PHASE " + name + " " + System.nanoTime() + (detail.isEmpty() ? "" : " " + detail));
        System.out.flush();
    }

    private static void sleepUntil(long deadline) {
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
        }
    }
}
