package dev.livegateway.session;

import io.quarkus.arc.DefaultBean;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Resume tokens of a single replica. Expired tokens are swept every minute. */
@DefaultBean
@ApplicationScoped
public class InMemoryResumeTokenStore implements ResumeTokenStore {

    private final Map<String, ResumeRecord> records = new ConcurrentHashMap<>();

    @Override
    public Uni<Void> put(String token, ResumeRecord record) {
        records.put(token, record);
        return Uni.createFrom().voidItem();
    }

    @Override
    public Uni<Optional<ResumeRecord>> take(String token) {
        ResumeRecord record = records.remove(token);
        if (record != null && record.expiresAt().isBefore(Instant.now())) {
            record = null;
        }
        return Uni.createFrom().item(Optional.ofNullable(record));
    }

    @Override
    public Uni<Void> remove(String token) {
        records.remove(token);
        return Uni.createFrom().voidItem();
    }

    @Scheduled(every = "60s", delayed = "60s")
    void sweep() {
        Instant now = Instant.now();
        records.values().removeIf(r -> r.expiresAt().isBefore(now));
    }
}
