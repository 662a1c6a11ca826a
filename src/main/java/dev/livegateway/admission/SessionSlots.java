package dev.livegateway.admission;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The replica's session slots ({@code live-gateway.limits.max-sessions}): one for each session
 * admitted or being admitted, taken when a stream's config is admitted and given back when the
 * stream is refused or its session ends. Thread-safe (streams of every event loop share it); one
 * per {@link SessionAdmission}.
 */
final class SessionSlots {

    private final int max;
    private final AtomicInteger taken = new AtomicInteger();

    SessionSlots(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("live-gateway.limits.max-sessions must be at least 1, was " + max);
        }
        this.max = max;
    }

    /** Takes a slot; false when all {@code max-sessions} are taken. */
    boolean take() {
        while (true) {
            int current = taken.get();
            if (current >= max) {
                return false;
            }
            if (taken.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    /** Gives back a slot taken with {@link #take()}. */
    void giveBack() {
        taken.decrementAndGet();
    }
}
