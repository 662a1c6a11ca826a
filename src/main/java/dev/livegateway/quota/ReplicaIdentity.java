package dev.livegateway.quota;

import jakarta.inject.Singleton;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The id of this gateway replica, recorded in its leases and shown in session listings:
 * {@code live-gateway.replica-id}, else the {@code HOSTNAME} environment variable (the pod name
 * in Kubernetes), else a random id.
 */
@Singleton
public class ReplicaIdentity {

    private final String id;

    public ReplicaIdentity(@ConfigProperty(name = "live-gateway.replica-id") Optional<String> configured) {
        this.id = configured.filter(s -> !s.isBlank())
                .or(() -> Optional.ofNullable(System.getenv("HOSTNAME")).filter(s -> !s.isBlank()))
                .orElseGet(() -> "replica-" + UUID.randomUUID().toString().substring(0, 8));
    }

    /** This replica's id. */
    public String id() {
        return id;
    }
}
