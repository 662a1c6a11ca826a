package dev.livegateway.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Splits a JFR recording of the gateway's measured window ({@code bench/run.sh --profile DIR}) by
 * layer: each CPU sample ({@code jdk.ExecutionSample}, and {@code jdk.NativeMethodSample} outside
 * idle waits, each weighted by its sampling period) is counted for the layer of the frame nearest the leaf that belongs to a known
 * library or gateway package (JDK frames count for the caller that used them, except Base64 and
 * socket I/O, which are layers of their own); allocation ({@code jdk.ObjectAllocationSample}
 * weights) likewise. With the pass's CPU time and message count, each share becomes µs and bytes
 * per relayed message. Prints a markdown table.
 *
 * <pre>java -cp ... dev.livegateway.bench.JfrLayers RECORDING.jfr [CPU_SECONDS MESSAGES]</pre>
 */
public final class JfrLayers {

    /** Package prefixes, most specific first, and the layer they are counted for. */
    private static final List<String[]> LAYERS = List.of(
            new String[] {"java.util.Base64", "base64 (JDK)"},
            new String[] {"sun.nio.ch.", "socket I/O (JDK NIO, syscalls)"},
            new String[] {"java.nio.channels.", "socket I/O (JDK NIO, syscalls)"},
            new String[] {"dev.livegateway.wire.", "gateway: wire (Live API JSON)"},
            new String[] {"dev.livegateway.session.", "gateway: session"},
            new String[] {"dev.livegateway.admission.", "gateway: admission"},
            new String[] {"dev.livegateway.grpc.", "gateway: grpc front"},
            new String[] {"dev.livegateway.websocket.", "gateway: websocket front"},
            new String[] {"dev.livegateway.upstream.", "gateway: upstream connection"},
            new String[] {"dev.livegateway.audio.", "gateway: audio conversion"},
            new String[] {"dev.livegateway.metrics.", "gateway: metrics and tracing"},
            new String[] {"dev.livegateway.", "gateway: other"},
            new String[] {"com.fasterxml.jackson.", "Jackson"},
            new String[] {"com.google.protobuf.", "protobuf"},
            new String[] {"io.quarkus.grpc.", "Quarkus gRPC bridge"},
            new String[] {"io.vertx.grpc.", "Vert.x gRPC (bridge transport)"},
            new String[] {"io.grpc.", "grpc-java"},
            new String[] {"io.vertx.core.http.impl.ws", "Vert.x WebSocket"},
            new String[] {"io.vertx.core.http.impl.WebSocket", "Vert.x WebSocket"},
            new String[] {"io.vertx.core.http.impl.Http2", "Vert.x HTTP/2"},
            new String[] {"io.vertx.core.http.impl.VertxHttp2", "Vert.x HTTP/2"},
            new String[] {"io.vertx.", "Vert.x core (contexts, event loop, buffers)"},
            new String[] {"io.netty.handler.codec.http2.", "Netty HTTP/2"},
            new String[] {"io.netty.handler.codec.http.websocketx.", "Netty WebSocket"},
            new String[] {"io.netty.handler.codec.compression.", "Netty compression"},
            new String[] {"io.netty.handler.ssl.", "Netty TLS"},
            new String[] {"io.netty.", "Netty (buffers, event loop, channel pipeline)"},
            new String[] {"io.smallrye.mutiny.", "Mutiny"},
            new String[] {"io.opentelemetry.", "OpenTelemetry"},
            new String[] {"io.micrometer.", "Micrometer"},
            new String[] {"org.jboss.log", "logging"},
            new String[] {"io.quarkus.", "Quarkus (other)"});

    private JfrLayers() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1 && args.length != 3) {
            System.err.println("usage: JfrLayers RECORDING.jfr [CPU_SECONDS MESSAGES]");
            System.exit(2);
        }
        Map<String, Long> cpu = new TreeMap<>();
        Map<String, Long> allocated = new TreeMap<>();
        long cpuSamples = 0;
        long allocatedBytes = 0;
        // Java and native samples come at different periods (10 and 20 ms in settings=profile): each
        // sample counts for its period, so both kinds add up to thread time.
        long javaPeriod = period(Path.of(args[0]), "jdk.ExecutionSample", 10);
        long nativePeriod = period(Path.of(args[0]), "jdk.NativeMethodSample", 20);
        try (RecordingFile recording = new RecordingFile(Path.of(args[0]))) {
            while (recording.hasMoreEvents()) {
                RecordedEvent e = recording.readEvent();
                String type = e.getEventType().getName();
                long weight = type.equals("jdk.ExecutionSample") ? javaPeriod
                        : type.equals("jdk.NativeMethodSample") && !idle(e.getStackTrace()) ? nativePeriod : 0;
                if (weight > 0) {
                    cpu.merge(layer(e.getStackTrace()), weight, Long::sum);
                    cpuSamples += weight;
                } else if (type.equals("jdk.ObjectAllocationSample")) {
                    long bytes = e.getLong("weight");
                    allocated.merge(layer(e.getStackTrace()), bytes, Long::sum);
                    allocatedBytes += bytes;
                }
            }
        }
        double cpuSeconds = args.length == 3 ? Double.parseDouble(args[1]) : 0;
        double messages = args.length == 3 ? Double.parseDouble(args[2]) : 0;
        Map<String, long[]> rows = new LinkedHashMap<>();
        cpu.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(en -> rows.put(en.getKey(), new long[] {en.getValue(), allocated.getOrDefault(en.getKey(), 0L)}));
        allocated.forEach((k, v) -> rows.putIfAbsent(k, new long[] {0, v}));
        System.out.printf("%d ms of sampled thread time (Java samples every %d ms, native every %d ms), %.1f MB allocated (sampled weights) in %s%n%n", cpuSamples, javaPeriod, nativePeriod,
                allocatedBytes / 1e6, args[0]);
        System.out.println(messages > 0
                ? "| layer | CPU share | CPU µs / relayed message | allocation share | bytes / relayed message |"
                : "| layer | CPU share | allocation share |");
        System.out.println(messages > 0 ? "|---|---:|---:|---:|---:|" : "|---|---:|---:|");
        for (Map.Entry<String, long[]> row : rows.entrySet()) {
            double cpuShare = cpuSamples == 0 ? 0 : (double) row.getValue()[0] / cpuSamples;
            double allocShare = allocatedBytes == 0 ? 0 : (double) row.getValue()[1] / allocatedBytes;
            if (messages > 0) {
                System.out.printf("| %s | %.1f %% | %.2f | %.1f %% | %.0f |%n", row.getKey(), 100 * cpuShare,
                        cpuShare * cpuSeconds * 1e6 / messages, 100 * allocShare, row.getValue()[1] / messages);
            } else {
                System.out.printf("| %s | %.1f %% | %.1f %% |%n", row.getKey(), 100 * cpuShare, 100 * allocShare);
            }
        }
        if (messages > 0) {
            System.out.printf("| **total** | 100 %% | %.2f | 100 %% | %.0f |%n", cpuSeconds * 1e6 / messages,
                    allocatedBytes / messages);
        }
    }

    /** The sampling period in ms of {@code eventType} in the recording's settings, or {@code fallback}. */
    private static long period(Path file, String eventType, long fallback) throws IOException {
        try (RecordingFile recording = new RecordingFile(file)) {
            long id = recording.readEventTypes().stream().filter(t -> t.getName().equals(eventType))
                    .mapToLong(jdk.jfr.EventType::getId).findFirst().orElse(-1);
            while (recording.hasMoreEvents()) {
                RecordedEvent e = recording.readEvent();
                if (e.getEventType().getName().equals("jdk.ActiveSetting") && e.getLong("id") == id
                        && e.getString("name").equals("period")) {
                    String value = e.getString("value").strip();
                    if (value.endsWith(" ms")) {
                        return Long.parseLong(value.substring(0, value.length() - 3).strip());
                    }
                }
            }
        }
        return fallback;
    }

    /** A native sample of a thread waiting (epoll, park, sleep), not working. */
    private static boolean idle(RecordedStackTrace stack) {
        if (stack == null || stack.getFrames().isEmpty()) {
            return true;
        }
        String top = frameName(stack.getFrames().get(0));
        return top.contains("EPoll.wait") || top.contains("epollWait") || top.contains("Unsafe.park")
                || top.contains("Thread.sleep") || top.contains("Object.wait") || top.contains("KQueue")
                || top.contains("Native.epoll");
    }

    /** The layer of the frame nearest the leaf that belongs to a known package; "JDK (other)" if none. */
    static String layer(RecordedStackTrace stack) {
        if (stack == null) {
            return "unknown (no stack)";
        }
        for (RecordedFrame frame : stack.getFrames()) {
            String layer = layerOfFrame(frameName(frame));
            if (layer != null) {
                return layer;
            }
        }
        return "JDK (other)";
    }

    /** The layer of a frame named {@code package.Class.method}, or null when its package is not a known layer. */
    static String layerOfFrame(String name) {
        for (String[] layer : LAYERS) {
            if (name.startsWith(layer[0])) {
                return layer[1];
            }
        }
        return null;
    }

    private static String frameName(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }
}
