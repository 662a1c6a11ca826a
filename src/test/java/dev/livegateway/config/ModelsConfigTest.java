package dev.livegateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The model capability table as shipped (application.properties) and as an operator extends it
 * without a release: a properties entry or environment variables.
 */
class ModelsConfigTest {

    private static Map<String, String> shipped() throws IOException {
        Properties p = new Properties();
        try (InputStream in = ModelsConfigTest.class.getResourceAsStream("/application.properties")) {
            p.load(in);
        }
        Map<String, String> out = new HashMap<>();
        p.stringPropertyNames().stream().filter(k -> k.startsWith("live-gateway.models."))
                .forEach(k -> out.put(k, p.getProperty(k)));
        return out;
    }

    private static ModelsConfig config(Map<String, String> properties, Map<String, String> env) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(ModelsConfig.class)
                .withSources(new PropertiesConfigSource(properties, "test", 250))
                .withSources(new EnvConfigSource(env, 300))
                .build();
        return config.getConfigMapping(ModelsConfig.class);
    }

    @Test
    void theShippedTableKnowsThe25And3xModelsAndIsSound() throws IOException {
        ModelsConfig table = config(shipped(), Map.of());
        assertThat(table.problems()).isEmpty();
        assertThat(table.models().keySet()).contains("gemini-live-2.5-flash", "gemini-live-2.5-flash-native-audio",
                "gemini-3.1-flash-live-preview", "gemini-3.8-live", "gemini-3.8-live-extended-thinking");
        ModelsConfig.Model extended = table.find("projects/p/locations/l/publishers/google/models/gemini-3.8-live-extended-thinking")
                .orElseThrow();
        assertThat(extended.thinking()).isEqualTo(ModelsConfig.Thinking.REQUIRED);
        assertThat(extended.thinkingLevels()).contains(java.util.List.of("LOW", "MEDIUM", "HIGH"));
        assertThat(extended.functionBehaviors()).containsExactly(ModelsConfig.Behavior.NON_BLOCKING);
        assertThat(extended.backgroundReasoning()).isTrue();
        assertThat(table.find("gemini-3.8-live").orElseThrow().defaultFunctionBehavior())
                .isEqualTo(ModelsConfig.Behavior.NON_BLOCKING);
        assertThat(table.find("some-future-live-model")).isEmpty();
    }

    @Test
    void aModelIsAddedByPropertyOrByEnvironmentVariable() throws IOException {
        Map<String, String> properties = new HashMap<>(shipped());
        properties.put("live-gateway.models.\"gemini-3.9-live\".thinking", "refused");
        Map<String, String> env = Map.of(
                "LIVE_GATEWAY_MODELS__GEMINI_4_0_LIVE__THINKING", "required",
                "LIVE_GATEWAY_MODELS__GEMINI_4_0_LIVE__THINKING_LEVELS", "LOW,HIGH",
                "LIVE_GATEWAY_MODELS__GEMINI_4_0_LIVE__DEFAULT_FUNCTION_BEHAVIOR", "NON_BLOCKING");
        ModelsConfig table = config(properties, env);
        assertThat(table.find("gemini-3.9-live").orElseThrow().thinking()).isEqualTo(ModelsConfig.Thinking.REFUSED);
        // Environment variables cannot spell the dots of a model id: ids match loosely.
        ModelsConfig.Model fromEnv = table.find("models/gemini-4.0-live").orElseThrow();
        assertThat(fromEnv.thinking()).isEqualTo(ModelsConfig.Thinking.REQUIRED);
        assertThat(fromEnv.thinkingLevels()).contains(java.util.List.of("LOW", "HIGH"));
        assertThat(fromEnv.defaultFunctionBehavior()).isEqualTo(ModelsConfig.Behavior.NON_BLOCKING);
        assertThat(table.problems()).isEmpty();
    }

    @Test
    void contradictionsAreNamedWithTheirKeys() {
        ModelsConfig table = config(Map.of(
                "live-gateway.models.\"m\".thinking-levels", "LOW,LOUD",
                "live-gateway.models.\"m\".function-behaviors", "BLOCKING",
                "live-gateway.models.\"m\".default-function-behavior", "NON_BLOCKING"), Map.of());
        assertThat(table.problems()).containsExactlyInAnyOrder(
                "live-gateway.models.\"m\".thinking-levels: unknown level 'LOUD'; allowed: MINIMAL, LOW, MEDIUM, HIGH,"
                        + " XHIGH, or NONE alone",
                "live-gateway.models.\"m\".default-function-behavior NON_BLOCKING is not among function-behaviors [BLOCKING]");
    }
}
