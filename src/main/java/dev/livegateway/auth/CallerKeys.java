package dev.livegateway.auth;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigUtils;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The keys the gateway accepts: from configuration and from the tenants file, which is re-read
 * whenever its content changes (checked every {@code tenants-file-check-interval}), so keys
 * rotate without a restart. A file that becomes invalid is reported and ignored: the last good
 * keys stay in force rather than locking everyone out.
 */
@ApplicationScoped
public class CallerKeys {

    private static final Logger LOG = Logger.getLogger(CallerKeys.class);

    private final AuthConfig config;
    private final Vertx vertx;
    private volatile Keyring keyring = Keyring.EMPTY;
    private Keyring configured = Keyring.EMPTY;
    private byte[] lastFileDigest;
    private long timerId = -1;

    public CallerKeys(AuthConfig config, Vertx vertx) {
        this.config = config;
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent start) {
        refuseDevelopmentModeInProduction(config, ConfigUtils.getProfiles());
        configured = fromConfiguration(config);
        keyring = configured;
        config.tenantsFile().filter(f -> !f.isBlank()).ifPresent(file -> {
            if (!Files.isReadable(Path.of(file))) {
                throw new IllegalStateException("live-gateway.auth.tenants-file " + file + " does not exist or is not "
                        + "readable; create it, mount the Secret, or remove the property");
            }
            reloadTenantsFile(true);
            timerId = vertx.setPeriodic(config.tenantsFileCheckInterval().toMillis(),
                    id -> vertx.executeBlocking(() -> reloadTenantsFile(false), false)
                            .onFailure(e -> LOG.error("Checking the tenants file failed", e)));
        });
        Keyring current = keyring;
        LOG.infof("Caller authentication: %d tenant(s) with keys%s, %d admin key(s)%s%s", current.tenantIds().size(),
                current.tenantIds().isEmpty() ? "" : " " + current.tenantIds(), current.adminKeyCount(),
                config.anonymousTenant().map(t -> "; DEVELOPMENT MODE: callers without a key are tenant " + t).orElse(""),
                config.anonymousAdmin() ? "; DEVELOPMENT MODE: admin API open without a key" : "");
        if (current.tenantIds().isEmpty() && config.anonymousTenant().isEmpty()) {
            LOG.warn("No tenant has an API key: every gRPC call will be refused. Configure "
                    + "live-gateway.auth.tenants.<id>.key-hashes or live-gateway.auth.tenants-file");
        }
    }

    void stop(@Observes ShutdownEvent stop) {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
    }

    /** The profiles in which callers without a key may be served: local development, tests, the local emulator. */
    static final List<String> DEVELOPMENT_PROFILES = List.of("dev", "test", "emulator");

    /**
     * Fails start-up when a development-mode shortcut (anonymous tenant or open admin API) is on in
     * any profile but {@link #DEVELOPMENT_PROFILES}: prod, and custom ones such as staging alike.
     */
    static void refuseDevelopmentModeInProduction(AuthConfig config, List<String> profiles) {
        if (profiles.stream().anyMatch(DEVELOPMENT_PROFILES::contains)) {
            return;
        }
        List<String> properties = new ArrayList<>();
        config.anonymousTenant().ifPresent(t -> properties.add("live-gateway.auth.anonymous-tenant"));
        if (config.anonymousAdmin()) {
            properties.add("live-gateway.auth.anonymous-admin");
        }
        if (!properties.isEmpty()) {
            throw new IllegalStateException("Development mode authentication is refused in profile(s) " + profiles
                    + ": it is allowed only in the " + String.join(", ", DEVELOPMENT_PROFILES) + " profiles; remove "
                    + String.join(" and ", properties) + " (and give callers API keys through "
                    + "live-gateway.auth.tenants.<id>.key-hashes or live-gateway.auth.tenants-file), or, for a local "
                    + "trial, run with -Dquarkus.profile=emulator");
        }
    }

    static Keyring fromConfiguration(AuthConfig config) {
        List<Keyring.Entry> entries = new ArrayList<>();
        config.tenants().forEach((id, keys) -> {
            String where = "live-gateway.auth.tenants.\"" + id + "\".key-hashes";
            Principal principal = new Principal(new Tenant(TenantIds.check(id, where)));
            keys.keyHashes().forEach(hash -> entries.add(new Keyring.Entry(KeyHashes.parse(hash, where), principal, where)));
        });
        config.adminKeyHashes().orElse(List.of()).forEach(hash -> entries.add(new Keyring.Entry(
                KeyHashes.parse(hash, "live-gateway.auth.admin-key-hashes"), Principal.ADMIN,
                "live-gateway.auth.admin-key-hashes")));
        return Keyring.of(entries);
    }

    /**
     * Re-reads the tenants file if its content changed.
     *
     * @param initial at start-up, an invalid file fails start-up instead of being ignored
     * @return whether new keys were taken into use
     */
    synchronized boolean reloadTenantsFile(boolean initial) {
        String file = config.tenantsFile().orElseThrow();
        byte[] content;
        try {
            content = Files.readAllBytes(Path.of(file));
        } catch (IOException e) {
            if (initial) {
                throw new IllegalStateException("Cannot read live-gateway.auth.tenants-file " + file + ": " + e.getMessage());
            }
            LOG.warnf("Cannot read the tenants file %s (%s); keeping the keys loaded before", file, e.getMessage());
            return false;
        }
        byte[] digest = KeyHashes.digest(content);
        if (Arrays.equals(digest, lastFileDigest)) {
            return false;
        }
        lastFileDigest = digest;
        try {
            keyring = configured.plus(TenantsFile.parse(content, file));
        } catch (IllegalArgumentException e) {
            if (initial) {
                throw new IllegalStateException("Invalid live-gateway.auth.tenants-file: " + e.getMessage());
            }
            LOG.errorf("The tenants file changed but is invalid, so the keys loaded before stay in force: %s", e.getMessage());
            return false;
        }
        if (!initial) {
            LOG.infof("Tenants file %s reloaded: %d tenant(s) with keys, %d admin key(s)", file,
                    keyring.tenantIds().size(), keyring.adminKeyCount());
        }
        return true;
    }

    /** Whose key this is, if anyone's. */
    public Optional<Principal> identify(String presentedKey) {
        return keyring.identify(presentedKey);
    }

    /** The tenant of callers without a key, in development mode. */
    public Optional<Tenant> anonymousTenant() {
        return config.anonymousTenant().filter(t -> !t.isBlank()).map(Tenant::new);
    }

    /** Whether the admin API is open without a key (development mode). */
    public boolean anonymousAdmin() {
        return config.anonymousAdmin();
    }

    /** Tenants that currently have a key. */
    public java.util.Set<String> tenantIds() {
        return keyring.tenantIds();
    }
}
