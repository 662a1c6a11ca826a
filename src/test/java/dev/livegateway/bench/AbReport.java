package dev.livegateway.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livegateway.bench.AbComparison.Spread;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The markdown of an interleaved run (A/B against a baseline build, repeats, streams-per-connection
 * variants): per point and path the median and spread over the rounds, the CPU of gateway,
 * emulator and load generator, the machine's idle share, the gateway's own relay-time histogram,
 * the marginal CPU per message and the targets of issue 20. {@link BenchReport} writes it in place
 * of the plain tables when the report carries {@code ab}.
 */
final class AbReport {

    /** A pass whose window left the machine less idle than this was limited by the box. */
    static final double MACHINE_BOUND_IDLE_PERCENT = 10;
    static final double MARGINAL_RATIO_TARGET = 0.5;
    static final double EMULATOR_RATIO_TARGET = 1.0;
    static final double CAPACITY_RATIO_TARGET = 0.8;

    private AbReport() {}

    static String render(JsonNode r) {
        JsonNode ab = r.path("ab");
        List<String> gateways = gateways(r);
        List<Integer> streams = new ArrayList<>();
        ab.path("streamsPerConnection").forEach(s -> streams.add(s.asInt()));
        StringBuilder md = new StringBuilder();
        md.append("#### Interleaved passes").append(ab.hasNonNull("baseline") ? ": build under test (*gateway*) against "
                + "the baseline build (*baseline*)" : "").append("\n\n");
        if (ab.hasNonNull("baseline")) {
            md.append("Baseline: `").append(ab.path("baseline").asText()).append("`, started beside the build under test"
                    + " with the same JVM options, settings and tenant, on ports of its own; the one not under load idles. ");
            if (ab.path("baselineProps").size() > 0) {
                md.append("The baseline alone also ran with");
                ab.path("baselineProps").forEach(p -> md.append(" `-D").append(p.asText()).append('`'));
                md.append(". ");
            }
        }
        md.append("Each point ran ").append(ab.path("repeats").asInt()).append(" round(s) in alternating order (")
                .append(ab.hasNonNull("baseline") ? "direct, gateway, baseline, then baseline, gateway, direct"
                        : "direct, gateway, then gateway, direct")
                .append(", ...), each pass a new load-generator JVM; streams per HTTP/2 connection: ").append(streams).append(". Figures are the median over the rounds with the "
                + "min–max spread in brackets; *added p99* pairs each gateway pass with the direct pass of its round.\n\n");

        md.append("| chunk | sessions | path | p50 | p99 | p99.9 | **added p99** | gateway µs / msg | emulator µs / msg "
                + "| gateway ÷ emulator | load generator (cores) | machine idle % | errors |\n");
        md.append("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (JsonNode pt : r.path("points")) {
            for (Row row : rows(pt, gateways, streams)) {
                List<JsonNode> p = row.passes;
                md.append(String.format(Locale.ROOT, "| %d ms | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %d |%n",
                        pt.path("chunkMs").asInt(), pt.path("sessions").asInt(), row.label,
                        AbComparison.spread(p, x -> AbComparison.latency(x, "p50")).format("%.2f"),
                        AbComparison.spread(p, x -> AbComparison.latency(x, "p99")).format("%.2f"),
                        AbComparison.spread(p, x -> AbComparison.latency(x, "p999")).format("%.2f"),
                        row.gateway ? AbComparison.added(pt, p, "p99").format("%.2f") : "—",
                        row.gateway ? AbComparison.spread(p, AbComparison::gatewayMicrosPerMessage).format("%.1f") : "—",
                        AbComparison.spread(p, AbComparison::emulatorMicrosPerMessage).format("%.1f"),
                        row.gateway ? AbComparison.spread(p, AbComparison::gatewayToEmulator).format("%.2f") : "—",
                        AbComparison.spread(p, x -> x.path("window").path("loadGeneratorCpuS").asDouble(Double.NaN)
                                / x.path("durationS").asDouble()).format("%.2f"),
                        idle(p), AbComparison.errors(p)));
            }
        }
        md.append("\n*gateway µs / msg*: CPU of the driven gateway over the window per message relayed (both"
                + " directions); *emulator µs / msg*: the emulator's CPU per message it handled in the same pass;"
                + " *machine idle %*: the machine's idle share over the window (/proc/stat); **bound k/n**: in k of"
                + " n rounds the machine was under ").append(f0(MACHINE_BOUND_IDLE_PERCENT))
                .append(" % idle, the box, not the gateway, was the limit (left out of the marginal cost).\n\n");

        md.append("#### Gateway's own relay time and idle background\n\n");
        md.append("From `live_gateway_relay_seconds` on the management port, scraped at the edges of each measured"
                + " window (bucket differences, interpolated within a bucket; n/a where the build has no such"
                + " metric). Background: the gateway's CPU idle over 3 s before the point.\n\n");
        md.append("| chunk | sessions | path | background (cores) | to model p50 (ms) | to model p99 (ms) "
                + "| to caller p50 (ms) | to caller p99 (ms) |\n|---|---:|---|---:|---:|---:|---:|---:|\n");
        for (JsonNode pt : r.path("points")) {
            for (Row row : rows(pt, gateways, streams)) {
                if (!row.gateway) {
                    continue;
                }
                md.append(String.format(Locale.ROOT, "| %d ms | %d | %s | %s | %s | %s | %s | %s |%n",
                        pt.path("chunkMs").asInt(), pt.path("sessions").asInt(), row.label,
                        f3(pt.path("backgroundCores").path(row.path).asDouble(Double.NaN)),
                        relay(row.passes, "to_model", "p50Ms"), relay(row.passes, "to_model", "p99Ms"),
                        relay(row.passes, "to_caller", "p50Ms"), relay(row.passes, "to_caller", "p99Ms")));
            }
        }

        md.append("\n#### Marginal gateway CPU per relayed message\n\n");
        md.append("Least-squares slope of (gateway CPU in the window − its idle background, in cores) against relayed"
                + " messages per second, over the passes without errors and not machine-bound (at least two session"
                + " counts, else n/a), beside the plain figure (CPU ÷ messages, median over the same passes).\n\n");
        md.append("| chunk | streams / conn | gateway marginal µs / msg | baseline marginal µs / msg | **ratio** "
                + "| gateway plain µs / msg | baseline plain µs / msg | passes / session counts in the fit |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---|\n");
        for (int chunk : BenchReport.chunkSizes(r)) {
            for (int s : streams) {
                MarginalCost.Fit g = MarginalCost.fit(r, chunk, PassPlan.GATEWAY, s);
                MarginalCost.Fit b = MarginalCost.fit(r, chunk, PassPlan.BASELINE, s);
                md.append(String.format(Locale.ROOT, "| %d ms | %d | %s | %s | %s | %s | %s | %d / %d; %d / %d |%n",
                        chunk, s, f1(g.micros()), f1(b.micros()), f2(ratio(g, b)), f1(g.plain()),
                        f1(b.plain()), g.passes(), g.levels(), b.passes(), b.levels()));
            }
        }
        md.append("\n").append(targets(r, streams.isEmpty() ? 100 : streams.get(0)));
        return md.toString();
    }

    /** The "Issue 20 targets" table, for the first streams-per-connection variant. */
    static String targets(JsonNode r, int streams) {
        StringBuilder md = new StringBuilder("#### Issue 20 targets\n\n| target | measured | met |\n|---|---|---|\n");
        for (int chunk : List.of(20, 100)) {
            if (!BenchReport.chunkSizes(r).contains(chunk)) {
                continue;
            }
            MarginalCost.Fit g = MarginalCost.fit(r, chunk, PassPlan.GATEWAY, streams);
            MarginalCost.Fit b = MarginalCost.fit(r, chunk, PassPlan.BASELINE, streams);
            double ratio = ratio(g, b);
            md.append("| ").append(chunk).append(" ms: marginal gateway CPU ≤ ").append(f1(MARGINAL_RATIO_TARGET))
                    .append(" × baseline | ").append(f1(g.micros())).append(" vs ").append(f1(b.micros()))
                    .append(" µs / msg, ratio ").append(f2(ratio))
                    .append(g.micros() <= 0 || b.micros() <= 0 ? " (a slope ≤ 0 is noise: more points or rounds)" : "")
                    .append(" | ").append(met(ratio, MARGINAL_RATIO_TARGET))
                    .append(" |\n");
        }
        double worst = Double.NaN;
        String where = "no point without errors and not machine-bound";
        for (JsonNode pt : r.path("points")) {
            List<JsonNode> p = AbComparison.passes(pt, PassPlan.GATEWAY, streams);
            if (p.isEmpty() || AbComparison.errors(p) > 0 || p.stream().anyMatch(AbComparison::machineBound)) {
                continue;
            }
            double ratio = AbComparison.spread(p, AbComparison::gatewayToEmulator).median();
            if (Double.isNaN(worst) || ratio > worst) {
                worst = ratio;
                where = f1(AbComparison.spread(p, AbComparison::gatewayMicrosPerMessage).median()) + " vs "
                        + f1(AbComparison.spread(p, AbComparison::emulatorMicrosPerMessage).median()) + " µs / msg at "
                        + pt.path("sessions").asInt() + " × " + pt.path("chunkMs").asInt() + " ms (worst point)";
            }
        }
        md.append("| gateway CPU per relayed message ≤ ").append(f1(EMULATOR_RATIO_TARGET))
                .append(" × emulator's per message handled | ratio ").append(f2(worst)).append(": ").append(where)
                .append(" | ").append(met(worst, EMULATOR_RATIO_TARGET)).append(" |\n");
        for (int chunk : BenchReport.chunkSizes(r)) {
            int gateway = -1;
            int baseline = -1;
            int direct = -1;
            int largestProbed = -1;
            for (JsonNode pt : r.path("points")) {
                if (pt.path("chunkMs").asInt() != chunk) {
                    continue;
                }
                int n = pt.path("sessions").asInt();
                largestProbed = Math.max(largestProbed, n);
                if (AbComparison.directRealTime(pt)) {
                    direct = Math.max(direct, n);
                }
                if (keepsTarget(pt, PassPlan.GATEWAY, streams)) {
                    gateway = Math.max(gateway, n);
                }
                if (keepsTarget(pt, PassPlan.BASELINE, streams)) {
                    baseline = Math.max(baseline, n);
                }
            }
            boolean ok = direct > 0 && gateway >= CAPACITY_RATIO_TARGET * direct;
            md.append("| ").append(chunk).append(" ms: largest N with gateway p99 added ≤ ")
                    .append(f0(BenchReport.ADDED_P99_TARGET_MS)).append(" ms and no errors ≥ ")
                    .append(f1(CAPACITY_RATIO_TARGET)).append(" × largest N where the direct path keeps real time | gateway ")
                    .append(n(gateway)).append(", direct ").append(n(direct))
                    .append(direct == largestProbed ? " (the largest probed: direct may go further)" : "")
                    .append(", baseline ").append(n(baseline)).append(" | ")
                    .append(direct <= 0 ? "n/a" : ok ? "yes" : "**no**").append(" |\n");
        }
        return md.toString();
    }

    /** New ÷ baseline marginal cost; NaN unless both slopes are positive (a slope ≤ 0 is noise, not a cost). */
    private static double ratio(MarginalCost.Fit gateway, MarginalCost.Fit baseline) {
        return gateway.micros() > 0 && baseline.micros() > 0 ? gateway.micros() / baseline.micros() : Double.NaN;
    }

    /** A gateway path at a point: median added p99 within the target, no errors in any round, direct real time. */
    private static boolean keepsTarget(JsonNode pt, String path, int streams) {
        List<JsonNode> p = AbComparison.passes(pt, path, streams);
        return !p.isEmpty() && AbComparison.errors(p) == 0 && AbComparison.directRealTime(pt)
                && AbComparison.added(pt, p, "p99").median() <= BenchReport.ADDED_P99_TARGET_MS;
    }

    private record Row(String path, String label, boolean gateway, List<JsonNode> passes) {}

    private static List<Row> rows(JsonNode pt, List<String> gateways, List<Integer> streams) {
        List<Row> rows = new ArrayList<>();
        rows.add(new Row(PassPlan.DIRECT, PassPlan.DIRECT, false, AbComparison.passes(pt, PassPlan.DIRECT, 0)));
        for (String g : gateways) {
            for (int s : streams) {
                List<JsonNode> p = AbComparison.passes(pt, g, s);
                if (!p.isEmpty()) {
                    rows.add(new Row(g, streams.size() > 1 ? g + ", " + s + " / conn" : g, true, p));
                }
            }
        }
        return rows;
    }

    private static List<String> gateways(JsonNode r) {
        List<String> g = new ArrayList<>(List.of(PassPlan.GATEWAY));
        if (r.path("ab").hasNonNull("baseline")) {
            g.add(PassPlan.BASELINE);
        }
        return g;
    }

    private static String idle(List<JsonNode> passes) {
        long bound = passes.stream().filter(AbComparison::machineBound).count();
        String text = AbComparison.spread(passes, AbComparison::idlePercent).format("%.0f");
        return bound == 0 ? text : text + " **bound " + bound + "/" + passes.size() + "**";
    }

    private static String relay(List<JsonNode> passes, String direction, String percentile) {
        return AbComparison.spread(passes, p -> AbComparison.relay(p, direction, percentile)).format("%.3f");
    }

    private static String met(double ratio, double target) {
        return Double.isNaN(ratio) ? "n/a" : ratio <= target ? "yes" : "**no**";
    }

    private static String n(int sessions) {
        return sessions < 0 ? "none" : Integer.toString(sessions);
    }

    private static String f0(double v) {
        return String.format(Locale.ROOT, "%.0f", v);
    }

    private static String f1(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "n/a" : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String f2(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "n/a" : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String f3(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.3f", v);
    }
}
