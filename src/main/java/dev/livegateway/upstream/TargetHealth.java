package dev.livegateway.upstream;

import java.time.Duration;
import java.time.Instant;

/**
 * How a target answered recently: the outcome of its latest connection attempts. A target is
 * recently healthy when its last attempt succeeded or its last failure is older than the
 * {@link #RECOVERY} window; placement prefers such targets.
 */
public final class TargetHealth {

    /** A failure older than this no longer makes a target count as unhealthy. */
    static final Duration RECOVERY = Duration.ofSeconds(30);

    private int consecutiveFailures;
    private Instant lastSuccess;
    private Instant lastFailure;
    private String lastError;
    private long connectMillis = -1;

    synchronized void succeeded(Duration connectTime) {
        consecutiveFailures = 0;
        lastSuccess = Instant.now();
        long millis = connectTime.toMillis();
        connectMillis = connectMillis < 0 ? millis : (connectMillis * 3 + millis) / 4;
    }

    synchronized void failed(String why) {
        consecutiveFailures++;
        lastFailure = Instant.now();
        lastError = why;
    }

    /** Whether the target answered well recently: no failure since its last success, or none within {@link #RECOVERY}. */
    public synchronized boolean recentlyHealthy() {
        return consecutiveFailures == 0 || lastFailure.isBefore(Instant.now().minus(RECOVERY));
    }

    /** A snapshot for the admin API. */
    public synchronized Snapshot snapshot() {
        return new Snapshot(recentlyHealthy(), consecutiveFailures, lastSuccess, lastFailure, lastError,
                connectMillis < 0 ? null : connectMillis);
    }

    /**
     * @param connectMillis smoothed time of successful connects, or null before the first
     */
    public record Snapshot(boolean healthy, int consecutiveFailures, Instant lastSuccess, Instant lastFailure,
            String lastError, Long connectMillis) {}
}
