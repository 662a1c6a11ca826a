package dev.livegateway.auth;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Authentication as in production: no development mode, tenant team-a and an admin key in the
 * configuration, tenant team-b in a tenants file that the test rewrites to rotate its key.
 */
public class AuthEnforcedProfile implements QuarkusTestProfile {

    static final String TEAM_A_KEY = "team-a-secret-key";
    static final String ADMIN_KEY = "admin-secret-key";
    static final String TEAM_B_FIRST_KEY = "team-b-first-key";
    static final String TEAM_B_SECOND_KEY = "team-b-second-key";
    static final Path TENANTS_FILE = createTenantsFile();

    /**
     * A fixed path: this class is loaded both by the test's and by the application's class
     * loader, and both must see the same file.
     */
    private static Path createTenantsFile() {
        try {
            Path dir = Files.createDirectories(Path.of("target", "auth-test").toAbsolutePath());
            Path file = dir.resolve("tenants.yaml");
            writeTeamBKeys(file, TEAM_B_FIRST_KEY);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void writeTeamBKeys(Path file, String... keys) throws IOException {
        StringBuilder yaml = new StringBuilder("tenants:\n  team-b:\n    key-hashes:\n");
        for (String key : keys) {
            yaml.append("      - ").append(KeyHashes.format(key)).append('\n');
        }
        Path temp = file.resolveSibling("tenants.yaml.tmp");
        Files.writeString(temp, yaml);
        // Atomic replace, as a Kubernetes Secret update swaps its symlink.
        Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "live-gateway.auth.anonymous-tenant", "",
                "live-gateway.auth.anonymous-admin", "false",
                "live-gateway.auth.tenants.team-a.key-hashes", KeyHashes.format(TEAM_A_KEY),
                "live-gateway.auth.admin-key-hashes", KeyHashes.format(ADMIN_KEY),
                "live-gateway.auth.tenants-file", TENANTS_FILE.toString(),
                "live-gateway.auth.tenants-file-check-interval", "0.2s",
                "live-gateway.quota.heartbeat-interval", "0.2s",
                "live-gateway.quota.lease-ttl", "2s",
                "live-gateway.quota.tenants.team-a.max-concurrent-sessions", "3");
    }
}
