package dev.livegateway.session;

import io.quarkus.arc.DefaultBean;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Resume tokens of a single replica; every change of a token is one atomic {@link
 * ConcurrentHashMap#compute}. Expired tokens and tombstones are swept every minute.
 */
@DefaultBean
@ApplicationScoped
public class InMemoryResumeTokenStore implements ResumeTokenStore {

    /** A live record, or the tombstone of a taken one ({@code takenBy} set, {@code record} null). */
    private record Slot(ResumeRecord record, String takenBy, Instant expiresAt) {}

    private final Map<String, Slot> slots = new ConcurrentHashMap<>();

    @Override
    public Uni<Boolean> save(String token, ResumeRecord record) {
        AtomicBoolean saved = new AtomicBoolean();
        slots.compute(token, (key, slot) -> {
            if (slot != null && slot.takenBy() != null && slot.expiresAt().isAfter(Instant.now())) {
                return slot;
            }
            saved.set(true);
            return new Slot(record, null, record.expiresAt());
        });
        return Uni.createFrom().item(saved.get());
    }

    @Override
    public Uni<Take> take(String token, String tenant, String takerSessionId) {
        AtomicReference<Take> outcome = new AtomicReference<>(Take.UNKNOWN);
        Instant now = Instant.now();
        slots.compute(token, (key, slot) -> {
            if (slot == null || !slot.expiresAt().isAfter(now)) {
                return null;
            }
            if (slot.takenBy() != null) {
                outcome.set(Take.alreadyTaken(slot.takenBy()));
                return slot;
            }
            if (!slot.record().tenant().equals(tenant)) {
                outcome.set(Take.OTHER_TENANT);
                return slot;
            }
            outcome.set(Take.taken(slot.record()));
            return new Slot(null, takerSessionId, slot.expiresAt());
        });
        return Uni.createFrom().item(outcome.get());
    }

    @Override
    public Uni<Void> put(String token, ResumeRecord record) {
        slots.put(token, new Slot(record, null, record.expiresAt()));
        return Uni.createFrom().voidItem();
    }

    @Override
    public Uni<Void> remove(String token) {
        slots.remove(token);
        return Uni.createFrom().voidItem();
    }

    @Scheduled(every = "60s", delayed = "60s")
    void sweep() {
        Instant now = Instant.now();
        slots.values().removeIf(slot -> slot.expiresAt().isBefore(now));
    }
}
