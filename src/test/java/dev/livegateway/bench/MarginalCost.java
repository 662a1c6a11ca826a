package dev.livegateway.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * Marginal gateway CPU per relayed message: for one chunk size and one gateway build, the
 * least-squares slope of the gateway's CPU during the window (cores, minus the background it burns
 * idle, measured before the point) against the relayed messages per second, over every pass
 * without errors whose machine was not the limit. The plain figure (CPU ÷ messages) carries the
 * idle background and per-session overheads; the slope is what one more message costs.
 */
final class MarginalCost {

    /**
     * @param micros slope in µs per message, NaN when fewer than two load levels qualified
     * @param passes passes in the fit
     * @param levels distinct session counts in the fit
     * @param plain median over the same passes of the plain CPU µs per relayed message
     */
    record Fit(double micros, int passes, int levels, double plain) {}

    private MarginalCost() {}

    static Fit fit(JsonNode report, int chunkMs, String path, int streams) {
        List<double[]> xy = new ArrayList<>();
        List<Double> plain = new ArrayList<>();
        HashSet<Integer> levels = new HashSet<>();
        for (JsonNode point : report.path("points")) {
            if (point.path("chunkMs").asInt() != chunkMs) {
                continue;
            }
            double background = point.path("backgroundCores").path(path).asDouble(Double.NaN);
            for (JsonNode pass : AbComparison.passes(point, path, streams)) {
                double cpu = pass.path("window").path("gatewayCpuS").asDouble(Double.NaN);
                double seconds = pass.path("durationS").asDouble();
                if (AbComparison.errors(pass) > 0 || AbComparison.machineBound(pass) || Double.isNaN(cpu)
                        || Double.isNaN(background) || seconds <= 0) {
                    continue;
                }
                xy.add(new double[] {pass.path("messagesPerSecond").asDouble(), cpu / seconds - background});
                plain.add(AbComparison.gatewayMicrosPerMessage(pass));
                levels.add(point.path("sessions").asInt());
            }
        }
        double slope = levels.size() < 2 ? Double.NaN : slope(xy);
        return new Fit(slope * 1e6, xy.size(), levels.size(), AbComparison.Spread.of(plain).median());
    }

    /** Least-squares slope of y against x; NaN when x does not vary. */
    static double slope(List<double[]> xy) {
        int n = xy.size();
        if (n < 2) {
            return Double.NaN;
        }
        double mx = xy.stream().mapToDouble(p -> p[0]).average().orElse(0);
        double my = xy.stream().mapToDouble(p -> p[1]).average().orElse(0);
        double sxx = 0;
        double sxy = 0;
        for (double[] p : xy) {
            sxx += (p[0] - mx) * (p[0] - mx);
            sxy += (p[0] - mx) * (p[1] - my);
        }
        return sxx == 0 ? Double.NaN : sxy / sxx;
    }
}
