package dev.livegateway.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders a benchmark report (the driver's JSON) as a markdown section and puts it into the
 * document between {@code <!-- bench:NAME:begin -->} and {@code <!-- bench:NAME:end -->},
 * leaving the hand-written text and the other sections alone. An interleaved run (its report has
 * {@code ab}) is rendered by {@link AbReport} after the same header.
 */
final class BenchReport {

    static final double ADDED_P99_TARGET_MS = 10;
    static final double SATURATED_DIRECT_P99_MS = 100;

    private BenchReport() {}

    static void writeSection(JsonNode report, Path doc, String name, String pngName) throws IOException {
        String begin = "<!-- bench:" + name + ":begin -->";
        String end = "<!-- bench:" + name + ":end -->";
        String section = begin + "\n" + render(report, name, pngName) + end;
        String text = Files.exists(doc) ? Files.readString(doc) : "# Benchmarks\n";
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        if (from >= 0 && to > from) {
            text = text.substring(0, from) + section + text.substring(to + end.length());
        } else {
            text = text.stripTrailing() + "\n\n" + section + "\n";
        }
        Files.writeString(doc, text);
    }

    static String render(JsonNode r, String name, String pngName) {
        StringBuilder md = new StringBuilder();
        JsonNode m = r.path("machine");
        md.append("### Results: ").append(name).append("\n\n");
        md.append("Run ").append(r.path("date").asText()).append(" with `").append(r.path("command").asText())
                .append("`.\n\n");
        md.append("Machine: ").append(m.path("cpu").asText()).append(", ").append(m.path("cores").asInt())
                .append(" cores, ").append(m.path("memory").asText()).append(" RAM; ").append(m.path("os").asText())
                .append("; ").append(m.path("jdk").asText()).append(". Gateway, emulator and load generator share it.")
                .append(" Load average (1 min) at start ").append(f1(r.path("loadAverageAtStart").asDouble()))
                .append(", at end ").append(f1(r.path("loadAverageAtEnd").asDouble()))
                .append(" (per point in the tables).\n\n");

        List<Long> plain = readyTimes(r, false);
        List<Long> archived = readyTimes(r, true);
        long medianReady = median(archived.isEmpty() ? plain : archived);
        String readiness = r.path("startups").path(0).path("readiness").asText();
        md.append("Start-up to ready (process start until ").append(readiness).append("), JVM ")
                .append(r.path("gatewayJdk").asText(m.path("jdk").asText())).append(": ");
        if (!archived.isEmpty()) {
            md.append("median **").append(median(archived)).append(" ms** with the start-up archive (`")
                    .append(r.path("startupArchive").asText()).append("`, trained by ")
                    .append("`src/main/docker/train-startup-archive.sh`) over ").append(archived.size()).append(" starts ")
                    .append(archived).append("; without it ");
        }
        md.append("median ").append(median(plain)).append(" ms over ").append(plain.size()).append(" starts ")
                .append(plain).append(".\n\n");

        if (r.has("ab")) {
            // An interleaved run (A/B, repeats, streams variants): its own tables; older reports
            // have no "ab" and render as before.
            md.append(AbReport.render(r)).append("\n![added latency against sessions (medians)](").append(pngName)
                    .append(")\n");
            return md.toString();
        }
        md.append("#### Round-trip latency of one audio chunk (ms)\n\n");
        md.append("| chunk | sessions | direct p50 | direct p99 | direct p99.9 | gateway p50 | gateway p99 | gateway p99.9 "
                + "| **added p50** | **added p99** | **added p99.9** | msg/s (gateway) | errors | load |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (JsonNode pt : r.path("points")) {
            JsonNode d = pt.path("direct").path("audio");
            JsonNode g = pt.path("gateway").path("audio");
            md.append(String.format(Locale.ROOT, "| %d ms | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %.0f | %s | %s |%n",
                    pt.path("chunkMs").asInt(), pt.path("sessions").asInt(),
                    f2(d.path("p50").asDouble()), f2(d.path("p99").asDouble()), f2(d.path("p999").asDouble()),
                    f2(g.path("p50").asDouble()), f2(g.path("p99").asDouble()), f2(g.path("p999").asDouble()),
                    f2(added(pt, "p50")), f2(added(pt, "p99")), f2(added(pt, "p999")),
                    pt.path("gateway").path("messagesPerSecond").asDouble(), errorText(pt),
                    f1(pt.path("loadAverage").asDouble()) + steal(pt) + (saturated(pt) ? " (saturated)" : "")));
        }
        md.append("\n#### Gateway resources\n\n");
        md.append("| chunk | sessions | gateway CPU (cores) | CPU µs / relayed message | CPU s / session-minute "
                + "| heap KB / active session | heap KB / idle session | RSS KB / active session | RSS KB / idle session |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (JsonNode pt : r.path("points")) {
            md.append(String.format(Locale.ROOT, "| %d ms | %d | %s | %s | %s | %s | %s | %s | %s |%n",
                    pt.path("chunkMs").asInt(), pt.path("sessions").asInt(),
                    f2(cpuCores(pt)), f1(cpuMicrosPerMessage(pt)), f3(cpuPerSessionMinute(pt)),
                    perSessionKb(pt, "active", "heapBytes"), perSessionKb(pt, "idle", "heapBytes"),
                    perSessionKb(pt, "active", "rssBytes"), perSessionKb(pt, "idle", "rssBytes")));
        }
        boolean telephony = false;
        for (JsonNode pt : r.path("points")) {
            telephony |= pt.has("telephony");
        }
        if (telephony) {
            md.append("\n#### Telephony: 8 kHz G.711 μ-law in and out, next to PCM16 16 kHz (gateway path)\n\n");
            md.append("The same point with callers that speak μ-law at 8 kHz both ways (`SessionConfig.input_audio` /"
                    + " `output_audio`): the gateway converts each chunk to 16 kHz PCM16 and each 24 kHz answer to"
                    + " 8 kHz μ-law.\n\n");
            md.append("| chunk | sessions | PCM16 p50 | PCM16 p99 | μ-law p50 | μ-law p99 | PCM16 CPU µs / msg "
                    + "| μ-law CPU µs / msg | μ-law added CPU µs / chunk round trip | errors |\n");
            md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            for (JsonNode pt : r.path("points")) {
                if (!pt.has("telephony")) {
                    continue;
                }
                JsonNode g = pt.path("gateway").path("audio");
                JsonNode t = pt.path("telephony").path("audio");
                double pcm = cpuMicrosPerMessage(pt.path("gateway"), pt.path("resources"));
                double mulaw = cpuMicrosPerMessage(pt.path("telephony"), pt.path("telephonyResources"));
                md.append(String.format(Locale.ROOT, "| %d ms | %d | %s | %s | %s | %s | %s | %s | %s | %d |%n",
                        pt.path("chunkMs").asInt(), pt.path("sessions").asInt(),
                        f2(g.path("p50").asDouble()), f2(g.path("p99").asDouble()),
                        f2(t.path("p50").asDouble()), f2(t.path("p99").asDouble()), f1(pcm), f1(mulaw),
                        f1(2 * (mulaw - pcm)), pt.path("telephony").path("openFailures").asLong()
                                + pt.path("telephony").path("streamFailures").asLong()
                                + pt.path("telephony").path("audioLost").asLong()));
            }
            md.append("\n*added CPU per chunk round trip*: twice the difference per message (one chunk in, one echo"
                    + " out), i.e. both conversions of one 20 or 100 ms chunk.\n");
        }
        md.append("\n*(saturated)*: the direct path itself missed real time (p99 over ")
                .append(f0(SATURATED_DIRECT_P99_MS)).append(" ms or errors): the machine, not the gateway, was the limit,"
                        + " and the point's added latency means nothing.\n");
        md.append("\nLargest session count with p99 added latency under 10 ms, no errors and the direct path"
                + " keeping real time: ");
        List<String> largest = new ArrayList<>();
        for (int chunk : chunkSizes(r)) {
            int n = largestWithin(r, chunk);
            largest.add(chunk + " ms chunks: **" + (n < 0 ? "none" : Integer.toString(n)) + "**");
        }
        md.append(String.join("; ", largest)).append(".\n\n");

        md.append("#### Targets\n\n| target | measured | met |\n|---|---|---|\n");
        JsonNode p500 = point(r, 20, 500);
        if (p500 != null) {
            boolean ok = added(p500, "p99") < ADDED_P99_TARGET_MS && errors(p500) == 0;
            md.append("| 500 sessions × 20 ms: p99 added < 10 ms, no errors | ").append(f2(added(p500, "p99")))
                    .append(" ms, ").append(errorText(p500)).append(" errors | ").append(ok ? "yes" : "**no**")
                    .append(" |\n");
        }
        if (chunkSizes(r).contains(100)) {
            int n = largestWithin(r, 100);
            md.append("| 100 ms chunks: ≥ 1,000 sessions with p99 added < 10 ms | largest N: ")
                    .append(n < 0 ? "none" : Integer.toString(n))
                    .append(" | ").append(n >= 1000 ? "yes" : "**no**").append(" |\n");
        }
        double worstCpu = Double.NaN;
        for (JsonNode pt : r.path("points")) {
            if (pt.path("sessions").asInt() >= 100 && errors(pt) == 0) {
                double cpu = cpuMicrosPerMessage(pt);
                worstCpu = Double.isNaN(worstCpu) ? cpu : Math.max(worstCpu, cpu);
            }
        }
        md.append("| gateway CPU < 20 µs per relayed message | worst point with ≥ 100 sessions and no errors: ")
                .append(Double.isNaN(worstCpu) ? "no such point" : f1(worstCpu) + " µs").append(" | ")
                .append(worstCpu < 20 ? "yes" : "**no**").append(" |\n");
        JsonNode big = largestMemoryPoint(r);
        if (big != null) {
            double idle = perSession(big, "idle", "heapBytes") / 1024;
            double active = perSession(big, "active", "heapBytes") / 1024;
            md.append("| heap < 50 KB per idle session | ").append(f1(idle)).append(" KB at ")
                    .append(big.path("sessions").asInt()).append(" sessions × ").append(big.path("chunkMs").asInt())
                    .append(" ms (largest point without errors) | ").append(idle < 50 ? "yes" : "**no**")
                    .append(" |\n");
            md.append("| heap < 200 KB per active session | ").append(f1(active)).append(" KB at ")
                    .append(big.path("sessions").asInt()).append(" sessions × ").append(big.path("chunkMs").asInt())
                    .append(" ms | ")
                    .append(active < 200 ? "yes" : "**no**").append(" |\n");
        }
        if (big == null) {
            md.append("| heap < 50 KB idle / < 200 KB active per session | no point with ≥ 100 sessions and no errors | **no** |\n");
        }
        md.append("| ready in < 2 s (JVM mode) | median ").append(medianReady).append(" ms | ")
                .append(medianReady >= 0 && medianReady < 2000 ? "yes" : "**no**").append(" |\n\n");
        md.append("![added latency against sessions](").append(pngName).append(")\n");
        return md.toString();
    }

    static double added(JsonNode pt, String percentile) {
        return pt.path("gateway").path("audio").path(percentile).asDouble()
                - pt.path("direct").path("audio").path(percentile).asDouble();
    }

    static long errors(JsonNode pt) {
        JsonNode g = pt.path("gateway");
        return g.path("openFailures").asLong() + g.path("streamFailures").asLong() + g.path("audioLost").asLong();
    }

    private static String errorText(JsonNode pt) {
        JsonNode g = pt.path("gateway");
        JsonNode d = pt.path("direct");
        long gw = errors(pt);
        long direct = d.path("openFailures").asLong() + d.path("streamFailures").asLong() + d.path("audioLost").asLong();
        if (gw == 0 && direct == 0) {
            return "0";
        }
        return "gw " + g.path("openFailures").asLong() + " open/" + g.path("streamFailures").asLong() + " stream/"
                + g.path("audioLost").asLong() + " lost; direct " + direct;
    }

    static double cpuCores(JsonNode pt) {
        return pt.path("resources").path("gatewayCpuSeconds").asDouble() / pt.path("gateway").path("durationS").asDouble();
    }

    /** CPU time per message crossing the gateway, both directions (caller's sends plus receives). */
    static double cpuMicrosPerMessage(JsonNode pt) {
        return cpuMicrosPerMessage(pt.path("gateway"), pt.path("resources"));
    }

    /** The same for one pass ({@code gateway} or {@code telephony}) and its resources. */
    static double cpuMicrosPerMessage(JsonNode pass, JsonNode resources) {
        double messages = pass.path("audioSent").asDouble() + pass.path("textTurns").asDouble()
                + pass.path("received").asDouble();
        return messages == 0 ? 0 : resources.path("gatewayCpuSeconds").asDouble() * 1e6 / messages;
    }

    static double cpuPerSessionMinute(JsonNode pt) {
        double sessionMinutes = pt.path("sessions").asDouble() * pt.path("gateway").path("durationS").asDouble() / 60;
        return pt.path("resources").path("gatewayCpuSeconds").asDouble() / sessionMinutes;
    }

    /** Bytes per session above the empty gateway's baseline; NaN below 100 sessions (noise). */
    static double perSession(JsonNode pt, String phase, String field) {
        int n = pt.path("sessions").asInt();
        JsonNode res = pt.path("resources");
        long base = res.path("baseline").path(field).asLong(-1);
        long now = res.path(phase).path(field).asLong(-1);
        if (n < 100 || base < 0 || now < 0) {
            return Double.NaN;
        }
        return (now - base) / (double) n;
    }

    private static String perSessionKb(JsonNode pt, String phase, String field) {
        double v = perSession(pt, phase, field);
        return Double.isNaN(v) ? "—" : f1(v / 1024);
    }

    static List<Integer> chunkSizes(JsonNode r) {
        List<Integer> sizes = new ArrayList<>();
        r.path("points").forEach(pt -> {
            if (!sizes.contains(pt.path("chunkMs").asInt())) {
                sizes.add(pt.path("chunkMs").asInt());
            }
        });
        return sizes;
    }

    /**
     * The machine could not keep up with real time even without the gateway (direct p99 over
     * 100 ms or direct errors): the difference of two drowned paths says nothing about the gateway.
     */
    static boolean saturated(JsonNode pt) {
        JsonNode d = pt.path("direct");
        return d.path("audio").path("p99").asDouble() > SATURATED_DIRECT_P99_MS || d.path("openFailures").asLong()
                + d.path("streamFailures").asLong() + d.path("audioLost").asLong() > 0;
    }

    static int largestWithin(JsonNode r, int chunk) {
        int best = -1;
        for (JsonNode pt : r.path("points")) {
            if (pt.path("chunkMs").asInt() == chunk && errors(pt) == 0 && !saturated(pt)
                    && added(pt, "p99") < ADDED_P99_TARGET_MS) {
                best = Math.max(best, pt.path("sessions").asInt());
            }
        }
        return best;
    }

    private static JsonNode point(JsonNode r, int chunk, int sessions) {
        for (JsonNode pt : r.path("points")) {
            if (pt.path("chunkMs").asInt() == chunk && pt.path("sessions").asInt() == sessions) {
                return pt;
            }
        }
        return null;
    }

    /** The largest error-free point with memory figures: a backlogged gateway's heap is its queues. */
    private static JsonNode largestMemoryPoint(JsonNode r) {
        JsonNode best = null;
        for (JsonNode pt : r.path("points")) {
            if (!Double.isNaN(perSession(pt, "idle", "heapBytes")) && errors(pt) == 0
                    && (best == null || pt.path("sessions").asInt() > best.path("sessions").asInt())) {
                best = pt;
            }
        }
        return best;
    }

    private static String f0(double v) {
        return String.format(Locale.ROOT, "%.0f", v);
    }

    /** Ready times of the starts with or without the start-up archive (the kept gateway included). */
    private static List<Long> readyTimes(JsonNode r, boolean archive) {
        List<Long> times = new ArrayList<>();
        r.path("startups").forEach(s -> {
            if (s.path("archive").asBoolean(false) == archive) {
                times.add(s.path("readyMs").asLong());
            }
        });
        return times;
    }

    /** ", steal N %" when the run recorded the hypervisor's steal time for the point. */
    private static String steal(JsonNode pt) {
        JsonNode steal = pt.path("stealPercent");
        return steal.isNumber() && !Double.isNaN(steal.asDouble())
                ? String.format(Locale.ROOT, ", steal %.0f %%", steal.asDouble()) : "";
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.isEmpty() ? -1 : sorted.get(sorted.size() / 2);
    }

    private static String f1(double v) {
        return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String f2(double v) {
        return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String f3(double v) {
        return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%.3f", v);
    }
}
