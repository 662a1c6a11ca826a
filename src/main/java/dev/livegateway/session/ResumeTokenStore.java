package dev.livegateway.session;

import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where resume tokens live. The in-memory store serves one replica; a shared store (Redis) lets
 * any replica continue any caller's session.
 */
public interface ResumeTokenStore {

    /** What a token stands for: the Live session's newest handle and how to set it up again. */
    record ResumeRecord(String tenant, String handle, String setupJson, List<String> tools, String gatewaySessionId,
            Instant expiresAt) {}

    Uni<Void> put(String token, ResumeRecord record);

    /** Removes and returns the record: a token continues one stream only. */
    Uni<Optional<ResumeRecord>> take(String token);

    Uni<Void> remove(String token);
}
