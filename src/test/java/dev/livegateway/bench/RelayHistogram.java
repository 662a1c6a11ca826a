package dev.livegateway.bench;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The gateway's own relay-time histogram ({@code live_gateway_relay_seconds}, tag {@code direction}
 * = {@code to_model} | {@code to_caller}) read from the Prometheus text on the management port.
 * Two scrapes, at the edges of a measured window, give that window's distribution by subtracting
 * the cumulative bucket counts; a percentile is interpolated linearly inside its bucket. A build
 * without the metric (an older baseline) yields an empty scrape, rendered as "n/a".
 */
final class RelayHistogram {

    static final String METRIC = "live_gateway_relay_seconds";
    static final String[] DIRECTIONS = {"to_model", "to_caller"};

    /** Per direction, cumulative count per upper bound in seconds (+Inf as infinity). */
    private final Map<String, TreeMap<Double, Double>> buckets;

    private RelayHistogram(Map<String, TreeMap<Double, Double>> buckets) {
        this.buckets = buckets;
    }

    /** Scrapes {@code /q/metrics}; an unreachable endpoint or an absent metric gives an empty histogram. */
    static RelayHistogram scrape(int managementPort) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + managementPort + "/q/metrics")
                    .toURL().openConnection();
            c.setRequestProperty("Accept", "text/plain");
            c.setConnectTimeout(1000);
            c.setReadTimeout(5000);
            return parse(new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            return new RelayHistogram(Map.of());
        }
    }

    static RelayHistogram parse(String prometheusText) {
        Map<String, TreeMap<Double, Double>> buckets = new LinkedHashMap<>();
        for (String line : prometheusText.split("\n")) {
            if (!line.startsWith(METRIC + "_bucket{")) {
                continue;
            }
            String labels = line.substring(line.indexOf('{') + 1, line.lastIndexOf('}'));
            String direction = label(labels, "direction");
            String le = label(labels, "le");
            if (direction == null || le == null) {
                continue;
            }
            double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
            double count = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            buckets.computeIfAbsent(direction, d -> new TreeMap<>()).merge(bound, count, Double::sum);
        }
        return new RelayHistogram(buckets);
    }

    /**
     * The window between {@code before} and {@code after}: per direction, its count and p50/p99 in
     * ms, or null when the metric is absent in either scrape.
     */
    static Map<String, Object> window(RelayHistogram before, RelayHistogram after) {
        if (before.buckets.isEmpty() || after.buckets.isEmpty()) {
            return null;
        }
        Map<String, Object> result = new LinkedHashMap<>();
        for (String direction : DIRECTIONS) {
            TreeMap<Double, Double> b = before.buckets.getOrDefault(direction, new TreeMap<>());
            TreeMap<Double, Double> a = after.buckets.get(direction);
            if (a == null) {
                continue;
            }
            TreeMap<Double, Double> diff = new TreeMap<>();
            a.forEach((le, n) -> diff.put(le, n - b.getOrDefault(le, 0.0)));
            Map<String, Object> d = new LinkedHashMap<>();
            double total = diff.isEmpty() ? 0 : diff.lastEntry().getValue();
            d.put("count", (long) total);
            d.put("p50Ms", percentile(diff, 0.50) * 1000);
            d.put("p99Ms", percentile(diff, 0.99) * 1000);
            result.put(direction, d);
        }
        return result;
    }

    /**
     * The quantile {@code q} of cumulative buckets, interpolated linearly between a bucket's lower
     * and upper bound; in the +Inf bucket, the last finite bound (the most that can be said). NaN
     * for an empty window.
     */
    static double percentile(TreeMap<Double, Double> cumulative, double q) {
        double total = cumulative.isEmpty() ? 0 : cumulative.lastEntry().getValue();
        if (total <= 0) {
            return Double.NaN;
        }
        double rank = q * total;
        double lower = 0;
        double below = 0;
        for (Map.Entry<Double, Double> e : cumulative.entrySet()) {
            double upper = e.getKey();
            double count = e.getValue();
            if (count >= rank) {
                if (Double.isInfinite(upper)) {
                    return lower;
                }
                double inBucket = count - below;
                return inBucket <= 0 ? upper : lower + (upper - lower) * (rank - below) / inBucket;
            }
            lower = upper;
            below = count;
        }
        return lower;
    }

    private static String label(String labels, String name) {
        int i = labels.indexOf(name + "=\"");
        while (i > 0 && labels.charAt(i - 1) != ',') {
            i = labels.indexOf(name + "=\"", i + 1); // "le" inside another label's name, e.g. "scale"
        }
        if (i < 0) {
            return null;
        }
        int from = i + name.length() + 2;
        return labels.substring(from, labels.indexOf('"', from));
    }
}
