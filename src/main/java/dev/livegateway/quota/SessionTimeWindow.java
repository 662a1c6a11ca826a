package dev.livegateway.quota;

import java.time.Duration;

/**
 * The rolling window of the session-time limit, kept as buckets so that a store holds a bounded
 * number of counters per tenant (144 buckets of 10 minutes for 24 hours) however many sessions
 * run. Usage leaves the window one bucket at a time.
 *
 * @param length the window (24 h in production)
 * @param bucket the granularity
 */
public record SessionTimeWindow(Duration length, Duration bucket) {

    /** The production window: 24 hours in 10-minute buckets. */
    public static final SessionTimeWindow DAY = new SessionTimeWindow(Duration.ofHours(24), Duration.ofMinutes(10));

    public SessionTimeWindow {
        if (bucket.isZero() || bucket.isNegative() || length.compareTo(bucket) < 0) {
            throw new IllegalArgumentException("window " + length + " must hold at least one bucket of " + bucket);
        }
    }

    /** Start of the bucket containing {@code epochMillis}. */
    public long bucketStart(long epochMillis) {
        long width = bucket.toMillis();
        return epochMillis - Math.floorMod(epochMillis, width);
    }

    /** Whether the bucket starting at {@code bucketStart} still counts at {@code nowMillis}. */
    public boolean counts(long bucketStart, long nowMillis) {
        return bucketStart + bucket.toMillis() > nowMillis - length.toMillis();
    }

    /** When the usage of the bucket starting at {@code bucketStart} leaves the window. */
    public long leavesWindowAt(long bucketStart) {
        return bucketStart + bucket.toMillis() + length.toMillis();
    }
}
