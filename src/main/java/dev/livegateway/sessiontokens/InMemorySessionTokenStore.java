package dev.livegateway.sessiontokens;

import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Session tokens of a single replica; every redemption is one atomic {@link ConcurrentHashMap#compute}.
 * Forgotten tokens are swept on every 64th save, so the map stays as small as the tokens alive.
 */
public final class InMemorySessionTokenStore implements SessionTokenStore {

    private record Slot(SessionToken token, Instant usedAt, Instant forgetAt) {}

    private final Map<String, Slot> slots = new ConcurrentHashMap<>();
    private final AtomicInteger saves = new AtomicInteger();

    @Override
    public Uni<Void> save(String digest, SessionToken token, Instant forgetAt) {
        if (saves.incrementAndGet() % 64 == 0) {
            Instant now = Instant.now();
            slots.values().removeIf(slot -> !slot.forgetAt().isAfter(now));
        }
        slots.put(digest, new Slot(token, null, forgetAt));
        return Uni.createFrom().voidItem();
    }

    @Override
    public Uni<Redemption> redeem(String digest, Instant now) {
        AtomicReference<Redemption> outcome = new AtomicReference<>(Redemption.UNKNOWN);
        slots.compute(digest, (key, slot) -> {
            if (slot == null || !slot.forgetAt().isAfter(now)) {
                return null;
            }
            if (slot.usedAt() != null) {
                outcome.set(new Redemption(Outcome.USED, slot.token(), slot.usedAt()));
                return slot;
            }
            if (!slot.token().expiresAt().isAfter(now)) {
                outcome.set(new Redemption(Outcome.EXPIRED, slot.token(), null));
                return slot;
            }
            outcome.set(new Redemption(Outcome.REDEEMED, slot.token(), null));
            return new Slot(slot.token(), now, slot.forgetAt());
        });
        return Uni.createFrom().item(outcome.get());
    }
}
