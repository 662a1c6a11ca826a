package dev.livegateway.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The order of the passes of one point when the run is interleaved (A/B with a baseline build,
 * repeats, or several streams-per-connection variants): {@code repeats} rounds, each with one direct
 * pass and one pass per streams-per-connection value through each gateway. Odd rounds run direct
 * first and the baseline last, even rounds the reverse (D G B, B G D, ...), so that a drift of the
 * machine over the point (a neighbour's load, the JIT, GC) falls on every path alike.
 */
final class PassPlan {

    static final String DIRECT = "direct";
    static final String GATEWAY = "gateway";
    static final String BASELINE = "baseline";

    /**
     * One pass of a point.
     *
     * @param path {@link #DIRECT}, {@link #GATEWAY} (the build under test) or {@link #BASELINE}
     * @param streams gRPC streams per HTTP/2 connection (0 for the direct path)
     * @param round 1-based round
     */
    record Pass(String path, int streams, int round) {

        boolean viaGateway() {
            return !path.equals(DIRECT);
        }

        /** File-name part of the pass: path, streams variant and round. */
        String label() {
            return path + (streams > 0 ? "-s" + streams : "") + "-r" + round;
        }
    }

    private PassPlan() {}

    /**
     * The passes of one point in running order.
     *
     * @param gateways the gateway paths still probed at this point ({@link #GATEWAY}, {@link #BASELINE})
     * @param streams the streams-per-connection variants of each gateway pass
     */
    static List<Pass> point(int repeats, List<String> gateways, List<Integer> streams) {
        List<Pass> all = new ArrayList<>();
        for (int round = 1; round <= repeats; round++) {
            List<Pass> passes = new ArrayList<>();
            passes.add(new Pass(DIRECT, 0, round));
            for (String gateway : gateways) {
                for (int s : streams) {
                    passes.add(new Pass(gateway, s, round));
                }
            }
            if (round % 2 == 0) {
                Collections.reverse(passes);
            }
            all.addAll(passes);
        }
        return all;
    }
}
