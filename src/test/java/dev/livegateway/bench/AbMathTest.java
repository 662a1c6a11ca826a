package dev.livegateway.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The arithmetic of the interleaved benchmark: pass order, relay-time window percentiles, marginal slope. */
class AbMathTest {

    @Test
    void roundsAlternateTheirOrder() {
        List<PassPlan.Pass> plan = PassPlan.point(2, List.of(PassPlan.GATEWAY, PassPlan.BASELINE), List.of(100));
        assertThat(plan).extracting(PassPlan.Pass::path).containsExactly("direct", "gateway", "baseline",
                "baseline", "gateway", "direct");
        assertThat(plan).extracting(PassPlan.Pass::round).containsExactly(1, 1, 1, 2, 2, 2);
        assertThat(plan.get(1).label()).isEqualTo("gateway-s100-r1");
    }

    @Test
    void relayWindowInterpolatesWithinTheBucketOfTheDifference() {
        RelayHistogram before = RelayHistogram.parse("""
                live_gateway_relay_seconds_bucket{direction="to_model",le="0.001"} 100
                live_gateway_relay_seconds_bucket{direction="to_model",le="0.002"} 100
                live_gateway_relay_seconds_bucket{direction="to_model",le="+Inf"} 100
                """);
        // The window: 50 in (0, 1 ms], 50 in (1, 2 ms]; one scope label ending in "le" must not confuse.
        RelayHistogram after = RelayHistogram.parse("""
                live_gateway_relay_seconds_bucket{direction="to_model",le="0.001",scale="x"} 150
                live_gateway_relay_seconds_bucket{direction="to_model",le="0.002",scale="x"} 200
                live_gateway_relay_seconds_bucket{direction="to_model",le="+Inf",scale="x"} 200
                """);
        @SuppressWarnings("unchecked")
        Map<String, Object> toModel = (Map<String, Object>) RelayHistogram.window(before, after).get("to_model");
        assertThat(toModel.get("count")).isEqualTo(100L);
        assertThat((double) toModel.get("p50Ms")).isCloseTo(1.0, within(1e-9));
        assertThat((double) toModel.get("p99Ms")).isCloseTo(1.98, within(1e-9));
    }

    @Test
    void relayWindowIsAbsentWithoutTheMetric() {
        assertThat(RelayHistogram.window(RelayHistogram.parse("other_metric 1\n"),
                RelayHistogram.parse("other_metric 2\n"))).isNull();
    }

    @Test
    void marginalSlopeIgnoresTheFixedPart() {
        // 0.2 cores background-like offset plus 25 µs per message
        List<double[]> xy = List.of(new double[] {10_000, 0.2 + 0.25}, new double[] {20_000, 0.2 + 0.5},
                new double[] {40_000, 0.2 + 1.0});
        assertThat(MarginalCost.slope(xy) * 1e6).isCloseTo(25, within(1e-9));
        assertThat(MarginalCost.slope(List.of(new double[] {1, 1}, new double[] {1, 2}))).isNaN();
    }
}
