package dev.livegateway.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Reads the passes of one interleaved point (see {@link PassPlan}) and sums them up per path:
 * median and min–max over the rounds of each figure, the per-round added latency (a gateway round
 * minus the direct pass of the same round) and the CPU per message of the gateway and of the
 * emulator in the same pass. Works on the report's JSON, so a saved report renders the same.
 */
final class AbComparison {

    /** Median and spread of one figure over the rounds; NaN when no round had it. */
    record Spread(double median, double min, double max) {

        static final Spread NONE = new Spread(Double.NaN, Double.NaN, Double.NaN);

        static Spread of(List<Double> values) {
            List<Double> v = values.stream().filter(d -> !Double.isNaN(d)).sorted().toList();
            if (v.isEmpty()) {
                return NONE;
            }
            int n = v.size();
            double median = n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
            return new Spread(median, v.get(0), v.get(n - 1));
        }

        /** "median (min–max)", or the median alone when the rounds agree or there is one. */
        String format(String pattern) {
            if (Double.isNaN(median)) {
                return "n/a";
            }
            String m = String.format(Locale.ROOT, pattern, median);
            if (min == max) {
                return m;
            }
            return m + " (" + String.format(Locale.ROOT, pattern, min) + "–" + String.format(Locale.ROOT, pattern, max)
                    + ")";
        }
    }

    private AbComparison() {}

    /** The passes of {@code path} (and, for a gateway, of one streams variant) at this point. */
    static List<JsonNode> passes(JsonNode point, String path, int streams) {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode pass : point.path("passes")) {
            if (pass.path("path").asText().equals(path)
                    && (path.equals(PassPlan.DIRECT) || pass.path("streams").asInt() == streams)) {
                found.add(pass);
            }
        }
        return found;
    }

    static Spread spread(List<JsonNode> passes, ToDoubleFunction<JsonNode> figure) {
        List<Double> values = new ArrayList<>();
        passes.forEach(p -> values.add(figure.applyAsDouble(p)));
        return Spread.of(values);
    }

    static double latency(JsonNode pass, String percentile) {
        return pass.path("audio").path(percentile).asDouble(Double.NaN);
    }

    /** Per round: this gateway pass's percentile minus the same round's direct pass's. */
    static Spread added(JsonNode point, List<JsonNode> gatewayPasses, String percentile) {
        List<Double> values = new ArrayList<>();
        List<JsonNode> direct = passes(point, PassPlan.DIRECT, 0);
        for (JsonNode g : gatewayPasses) {
            for (JsonNode d : direct) {
                if (d.path("round").asInt() == g.path("round").asInt()) {
                    values.add(latency(g, percentile) - latency(d, percentile));
                }
            }
        }
        return Spread.of(values);
    }

    /** Messages the load generator exchanged in the window: sent audio and text plus everything received. */
    static double messages(JsonNode pass) {
        return pass.path("audioSent").asDouble() + pass.path("textTurns").asDouble() + pass.path("received").asDouble();
    }

    /** Gateway CPU µs per relayed message (both directions) in this pass; NaN for a direct pass. */
    static double gatewayMicrosPerMessage(JsonNode pass) {
        double cpu = pass.path("window").path("gatewayCpuS").asDouble(Double.NaN);
        double n = messages(pass);
        return n == 0 ? Double.NaN : cpu * 1e6 / n;
    }

    /**
     * Emulator CPU µs per message it handled: in a direct pass the load generator's messages, in a
     * gateway pass the same messages relayed to and from it.
     */
    static double emulatorMicrosPerMessage(JsonNode pass) {
        double cpu = pass.path("window").path("emulatorCpuS").asDouble(Double.NaN);
        double n = messages(pass);
        return n == 0 ? Double.NaN : cpu * 1e6 / n;
    }

    /** Gateway µs/msg ÷ emulator µs/msg, both from the same pass. */
    static double gatewayToEmulator(JsonNode pass) {
        return gatewayMicrosPerMessage(pass) / emulatorMicrosPerMessage(pass);
    }

    static double idlePercent(JsonNode pass) {
        return pass.path("window").path("machineIdlePercent").asDouble(Double.NaN);
    }

    static boolean machineBound(JsonNode pass) {
        return pass.path("window").path("machineBound").asBoolean(false);
    }

    static long errors(JsonNode pass) {
        return pass.path("openFailures").asLong() + pass.path("streamFailures").asLong() + pass.path("audioLost").asLong();
    }

    static long errors(List<JsonNode> passes) {
        return passes.stream().mapToLong(AbComparison::errors).sum();
    }

    /** The direct path kept real time at this point: median p99 under 100 ms and no errors in any round. */
    static boolean directRealTime(JsonNode point) {
        List<JsonNode> direct = passes(point, PassPlan.DIRECT, 0);
        return !direct.isEmpty() && errors(direct) == 0
                && spread(direct, p -> latency(p, "p99")).median() < BenchReport.SATURATED_DIRECT_P99_MS;
    }

    /** p{50,99} of the gateway's own relay-time histogram in one direction (ms), NaN when absent. */
    static double relay(JsonNode pass, String direction, String percentile) {
        return pass.path("relay").path(direction).path(percentile).asDouble(Double.NaN);
    }

    /**
     * The medians of a path's passes in the shape of a legacy pass ({@code audio.p50/p99/p999},
     * throughput, failures summed), so that the latency plot reads an interleaved point as it
     * reads a plain one.
     */
    static Map<String, Object> summary(List<JsonNode> passes) {
        Map<String, Object> audio = new LinkedHashMap<>();
        for (String p : new String[] {"p50", "p90", "p99", "p999"}) {
            audio.put(p, spread(passes, pass -> latency(pass, p)).median());
        }
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("audio", audio);
        s.put("messagesPerSecond", spread(passes, pass -> pass.path("messagesPerSecond").asDouble()).median());
        s.put("durationS", passes.isEmpty() ? 0 : passes.get(0).path("durationS").asDouble());
        for (String f : new String[] {"openFailures", "streamFailures", "audioLost"}) {
            s.put(f, passes.stream().mapToLong(p -> p.path(f).asLong()).sum());
        }
        return s;
    }
}
