package dev.livegateway.quota;

import java.time.Instant;

/**
 * One active lease as the store sees it, whichever replica holds it.
 *
 * @param sessionId the session
 * @param tenant    its tenant
 * @param pool      its upstream pool, or {@code null}
 * @param model     its model
 * @param replicaId the replica that runs it
 * @param startedAt when it was admitted
 * @param expiresAt when it expires unless renewed
 * @param revoked   whether an operator asked to end it
 */
public record LeaseInfo(
        String sessionId,
        String tenant,
        String pool,
        String model,
        String replicaId,
        Instant startedAt,
        Instant expiresAt,
        boolean revoked) {}
