package dev.livegateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.livegateway.upstream.TargetSpec;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The pool's targets as operators write them: the production-pool overlay's file, environment variables, mistakes. */
class UpstreamTargetsConfigTest {

    private static UpstreamConfig config(Map<String, String> properties, Map<String, String> env) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(UpstreamConfig.class)
                .withConverter(java.time.Duration.class, 200, new io.quarkus.runtime.configuration.DurationConverter())
                .withSources(new PropertiesConfigSource(properties, "test", 250))
                .withSources(new EnvConfigSource(env, 300))
                .build();
        return config.getConfigMapping(UpstreamConfig.class);
    }

    private static List<TargetSpec> specs(UpstreamConfig config) {
        return new TreeMap<>(config.targets()).entrySet().stream().map(e -> TargetSpec.of(e.getKey(), e.getValue())).toList();
    }

    @Test
    void theProductionPoolOverlayDescribesThreeSoundTargets() throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("deploy/overlays/production-pool/upstreams.properties"))) {
            p.load(in);
        }
        Map<String, String> properties = new HashMap<>();
        p.stringPropertyNames().forEach(k -> properties.put(k, p.getProperty(k)));
        List<TargetSpec> specs = specs(config(properties, Map.of()));
        assertThat(specs).extracting(TargetSpec::name).containsExactly("gemini-overflow", "vertex-eu", "vertex-us");
        TargetSpec overflow = specs.get(0);
        assertThat(overflow.models()).containsExactly("gemini-live-2.5-flash", "gemini-live-2.5-flash-native-audio");
        assertThat(overflow.tenants()).containsExactly("team-a", "team-b");
        assertThat(overflow.maxSessions()).hasValue(100);
        // Its key comes from the pod's environment, absent here: the one problem, naming the key.
        assertThat(overflow.problems()).containsExactly("live-gateway.upstream.targets.\"gemini-overflow\".api-key-env"
                + " must name a set environment variable holding the Developer API key ('GEMINI_POOL_API_KEY' is unset or empty)");
        assertThat(specs.get(1).problems()).isEmpty();
        assertThat(specs.get(2).problems()).isEmpty();
        assertThat(specs.get(2).weight()).isEqualTo(3);
        assertThat(specs.get(2).toString()).contains("vertex-us", "PROJECT_ID", "us-central1");
    }

    @Test
    void withoutTargetsThePoolIsTheSingleUpstream() {
        assertThat(config(Map.of("live-gateway.upstream.mode", "vertex"), Map.of()).targets()).isEmpty();
    }

    @Test
    void everyMistakeNamesItsKeyAndWhatIsAllowed() {
        Map<String, String> properties = Map.of(
                "live-gateway.upstream.targets.broken.flavour", "vertex",
                "live-gateway.upstream.targets.broken.weight", "0",
                "live-gateway.upstream.targets.broken.max-sessions", "0",
                "live-gateway.upstream.targets.broken.api-version", "v2",
                "live-gateway.upstream.targets.broken.models", "projects/p/models/x",
                "live-gateway.upstream.targets.broken.endpoint", "ftp://nowhere",
                "live-gateway.upstream.targets.lonely.flavour", "endpoint",
                "live-gateway.upstream.targets.keyed.flavour", "developer",
                "live-gateway.upstream.targets.keyed.api-key", "k");
        List<TargetSpec> specs = specs(config(properties, Map.of()));
        String p = "live-gateway.upstream.targets.\"broken\".";
        assertThat(specs.get(0).problems()).containsExactlyInAnyOrder(
                p + "weight must be at least 1, got 0",
                p + "max-sessions must be at least 1 (or unset for no limit), got 0",
                p + "models lists model ids (e.g. gemini-live-2.5-flash), got 'projects/p/models/x'",
                p + "project is required for flavour vertex (the Google Cloud project id)",
                p + "api-version must be one of [v1, v1beta1], got 'v2'",
                p + "endpoint must be a ws:// or wss:// URL with a host, got 'ftp://nowhere'");
        assertThat(specs.get(1).problems()).isEmpty();
        assertThat(specs.get(1).toString()).doesNotContain("k]");
        assertThat(specs.get(2).problems()).containsExactly(
                "live-gateway.upstream.targets.\"lonely\".endpoint is required for flavour endpoint (a ws:// or wss:// URL)");
    }

    @Test
    void aTargetCanBeSetWithEnvironmentVariables() {
        UpstreamConfig config = config(Map.of(), Map.of(
                "LIVE_GATEWAY_UPSTREAM_TARGETS_EU_FLAVOUR", "vertex",
                "LIVE_GATEWAY_UPSTREAM_TARGETS_EU_PROJECT", "p",
                "LIVE_GATEWAY_UPSTREAM_TARGETS_EU_WEIGHT", "2"));
        List<TargetSpec> specs = specs(config);
        assertThat(specs).extracting(TargetSpec::name).containsExactly("eu");
        assertThat(specs.get(0).weight()).isEqualTo(2);
        assertThat(specs.get(0).problems()).isEmpty();
    }
}
