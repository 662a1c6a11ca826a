package dev.livegateway.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The start-up range check of {@code live-gateway.tools}: every problem named with its property. */
class ToolsConfigTest {

    @Test
    void defaultsAreValid() {
        assertThat(config(Map.of()).problems()).isEmpty();
    }

    @Test
    void everyValueOutOfRangeIsNamed() {
        ToolsConfig config = config(Map.of(
                "live-gateway.tools.history-size", "0",
                "live-gateway.tools.limits.max-entry-bytes", "100",
                "live-gateway.tools.limits.max-schema-depth", "0",
                "live-gateway.tools.reload-interval", "0s"));
        assertThat(config.problems()).containsExactlyInAnyOrder(
                "live-gateway.tools.history-size must be between 1 and 1000, got 0",
                "live-gateway.tools.limits.max-entry-bytes must be at least 1024, got 100",
                "live-gateway.tools.limits.max-schema-depth must be at least 1, got 0",
                "live-gateway.tools.reload-interval must be positive, got PT0S");
    }

    @Test
    void historySizeHasAnUpperBound() {
        assertThat(config(Map.of("live-gateway.tools.history-size", "1001")).problems())
                .containsExactly("live-gateway.tools.history-size must be between 1 and 1000, got 1001");
        assertThat(config(Map.of("live-gateway.tools.history-size", "1000")).problems()).isEmpty();
    }

    private static ToolsConfig config(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(ToolsConfig.class)
                .withConverter(java.time.Duration.class, 100, new io.quarkus.runtime.configuration.DurationConverter())
                .withDefaultValues(properties)
                .build();
        return config.getConfigMapping(ToolsConfig.class);
    }
}
