package dev.livegateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Key hashes, the tenants file format, and the production guard, without a server. */
class KeyringTest {

    @Test
    void hashesMatchSha256sum() {
        // printf %s test | sha256sum
        assertThat(KeyHashes.format("test"))
                .isEqualTo("sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
        assertThat(KeyHashes.parse("9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08", "x"))
                .isEqualTo(KeyHashes.digest("test"));
        assertThatThrownBy(() -> KeyHashes.parse("my-clear-text-key", "live-gateway.auth.admin-key-hashes"))
                .hasMessageContaining("live-gateway.auth.admin-key-hashes")
                .hasMessageContaining("sha256:<64 hex digits>")
                .hasMessageNotContaining("my-clear-text-key");
    }

    @Test
    void tenantsFileIdentifiesTenantsAndAdmins() {
        String yaml = """
                tenants:
                  team-a:
                    key-hashes: [%s, %s]
                admin-key-hashes:
                  - %s
                """.formatted(KeyHashes.format("a1"), KeyHashes.format("a2"), KeyHashes.format("root"));
        Keyring keyring = TenantsFile.parse(yaml.getBytes(StandardCharsets.UTF_8), "tenants.yaml");
        assertThat(keyring.identify("a1")).contains(new Principal(new Tenant("team-a")));
        assertThat(keyring.identify("a2")).contains(new Principal(new Tenant("team-a")));
        assertThat(keyring.identify("root")).contains(Principal.ADMIN);
        assertThat(keyring.identify("other")).isEmpty();
        assertThat(keyring.identify("")).isEmpty();
        assertThat(keyring.tenantIds()).containsExactly("team-a");
    }

    @Test
    void tenantsFileJsonWorksToo() {
        String json = "{\"tenants\": {\"t1\": {\"key-hashes\": [\"" + KeyHashes.format("k") + "\"]}}}";
        assertThat(TenantsFile.parse(json.getBytes(StandardCharsets.UTF_8), "tenants.json").identify("k"))
                .contains(new Principal(new Tenant("t1")));
    }

    @Test
    void tenantsFileMistakesNameTheirPlace() {
        assertThatThrownBy(() -> TenantsFile.parse("tenants:\n  team-a:\n    keys: [x]\n".getBytes(), "f.yaml"))
                .hasMessageContaining("f.yaml: tenants.team-a: unknown field 'keys'");
        assertThatThrownBy(() -> TenantsFile.parse("tenants:\n  team-a:\n    key-hashes: [abc]\n".getBytes(), "f.yaml"))
                .hasMessageContaining("f.yaml: tenants.team-a.key-hashes must be a key hash");
        assertThatThrownBy(() -> TenantsFile.parse("tenants:\n  'bad id!':\n    key-hashes: []\n".getBytes(), "f.yaml"))
                .hasMessageContaining("tenant id 'bad id!' is invalid");
        String shared = KeyHashes.format("same");
        assertThatThrownBy(() -> TenantsFile.parse(("tenants:\n  a:\n    key-hashes: [" + shared + "]\n"
                + "admin-key-hashes: [" + shared + "]\n").getBytes(), "f.yaml"))
                .hasMessageContaining("one key cannot belong to two tenants, or to a tenant and an admin");
    }

    private static AuthConfig config(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(AuthConfig.class)
                // Quarkus' duration syntax ("10s"), as in the application
                .withConverter(java.time.Duration.class, 100, new io.quarkus.runtime.configuration.DurationConverter())
                .withDefaultValues(properties)
                .build();
        return config.getConfigMapping(AuthConfig.class);
    }

    @Test
    void developmentModeIsRefusedInProduction() {
        AuthConfig dev = config(Map.of("live-gateway.auth.anonymous-tenant", "default"));
        assertThatThrownBy(() -> CallerKeys.refuseDevelopmentModeInProduction(dev, List.of("prod")))
                .hasMessageContaining("remove live-gateway.auth.anonymous-tenant");
        AuthConfig openAdmin = config(Map.of("live-gateway.auth.anonymous-admin", "true"));
        assertThatThrownBy(() -> CallerKeys.refuseDevelopmentModeInProduction(openAdmin, List.of("prod")))
                .hasMessageContaining("remove live-gateway.auth.anonymous-admin");
        CallerKeys.refuseDevelopmentModeInProduction(dev, List.of("dev"));
        CallerKeys.refuseDevelopmentModeInProduction(config(Map.of()), List.of("prod"));
    }

    @Test
    void developmentModeIsRefusedInEveryProfileButDevTestAndEmulator() {
        AuthConfig openAdmin = config(Map.of("live-gateway.auth.anonymous-admin", "true"));
        for (String profile : List.of("staging", "production", "qa", "prod-eu")) {
            assertThatThrownBy(() -> CallerKeys.refuseDevelopmentModeInProduction(openAdmin, List.of(profile)))
                    .as(profile)
                    .hasMessageContaining("refused in profile(s) [" + profile + "]")
                    .hasMessageContaining("remove live-gateway.auth.anonymous-admin")
                    .hasMessageContaining("dev, test, emulator");
        }
        for (String profile : List.of("dev", "test", "emulator")) {
            CallerKeys.refuseDevelopmentModeInProduction(openAdmin, List.of(profile));
        }
    }

    @Test
    void configuredKeysAreValidated() {
        AuthConfig config = config(Map.of(
                "live-gateway.auth.tenants.team-a.key-hashes", KeyHashes.format("a"),
                "live-gateway.auth.admin-key-hashes", "plain-text"));
        assertThatThrownBy(() -> CallerKeys.fromConfiguration(config))
                .hasMessageContaining("live-gateway.auth.admin-key-hashes must be a key hash");
    }
}
