package dev.livegateway.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who may call the gateway. Prefix {@code live-gateway.auth}. Keys are never configured in clear:
 * only their SHA-256 hashes, written {@code sha256:<64 hex digits>}
 * ({@code printf %s "$KEY" | sha256sum}).
 */
@ConfigMapping(prefix = "live-gateway.auth")
public interface AuthConfig {

    /**
     * Tenants and the hashes of their API keys, e.g.
     * {@code live-gateway.auth.tenants.team-a.key-hashes=sha256:...,sha256:...}. Several hashes
     * per tenant let a key be rotated: add the new one, move callers, remove the old one.
     */
    Map<String, TenantKeys> tenants();

    /** Hashes of the admin keys that open the REST admin API under {@code /v1/}. */
    Optional<List<String>> adminKeyHashes();

    /**
     * A YAML or JSON file with more tenants and admin keys (in Kubernetes: a mounted Secret),
     * merged with the ones above and re-read when its content changes, so keys rotate without a
     * restart. Format: {@code tenants: {team-a: {key-hashes: [sha256:...]}}, admin-key-hashes: [...]}.
     */
    Optional<String> tenantsFile();

    /** How often the tenants file is checked for changes. */
    @WithDefault("10s")
    Duration tenantsFileCheckInterval();

    /**
     * Development mode: gRPC callers that send no key are served as this tenant (e.g.
     * {@code default}). Callers sending a wrong key are still refused. Allowed only in the dev,
     * test and emulator profiles: start-up fails in every other profile (prod, staging, ...).
     */
    Optional<String> anonymousTenant();

    /**
     * Development mode: the REST admin API answers requests without an admin key. Allowed only in
     * the dev, test and emulator profiles: start-up fails in every other profile (prod, staging, ...).
     */
    @WithDefault("false")
    boolean anonymousAdmin();

    /** The API keys of one tenant. */
    interface TenantKeys {

        /** Hashes ({@code sha256:<hex>}) of the tenant's API keys. */
        List<String> keyHashes();
    }
}
