package dev.livegateway.upstream;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The one reconnection policy, prefix {@code live-gateway.reconnect}: how {@link LiveConnector}
 * opens a Live API connection, for a new session and for every resumption alike. Each attempt has
 * a timeout; transient failures are retried with exponential backoff and jitter until the retries
 * or the deadline run out; a circuit breaker for the endpoint makes a dead region fail fast.
 */
@ConfigMapping(prefix = "live-gateway.reconnect")
public interface ReconnectConfig {

    /** Retries after the first attempt (so {@code max-retries + 1} attempts at most). At least 0. */
    @WithDefault("3")
    int maxRetries();

    /** Delay before the first retry; doubles for each further retry up to {@link #maxDelay()}. Positive. */
    @WithDefault("200ms")
    Duration initialDelay();

    /** Longest delay between two attempts. At least {@link #initialDelay()}. */
    @WithDefault("5s")
    Duration maxDelay();

    /** Random variation added to or taken from each delay. Not negative. */
    @WithDefault("100ms")
    Duration jitter();

    /** No retry starts later than this after the first attempt; then the stream ends with UNAVAILABLE. Positive. */
    @WithDefault("60s")
    Duration deadline();

    /**
     * How long a session keeps trying to resume an interrupted conversation (goAway handover,
     * dropped connection, stall) with its handle: attempts are retried with the same backoff, however
     * many it takes, until this much time has passed; then the stream ends with UNAVAILABLE and a
     * resume token. A conversation is worth more patience than a new session, whose caller can
     * simply retry ({@link #maxRetries()} and {@link #deadline()}). Positive.
     */
    @WithDefault("30s")
    Duration resumeDeadline();

    /** Longest time one attempt (upgrade, setup, setupComplete) may take. Positive. */
    @WithDefault("30s")
    Duration attemptTimeout();

    /** The circuit breaker for the Live API endpoint. */
    Breaker breaker();

    /** Failures are counted over a rolling window of the last {@code request-volume-threshold} attempts. */
    interface Breaker {
        /** Attempts in the rolling window. At least 1. */
        @WithDefault("10")
        int requestVolumeThreshold();

        /** Share of failed attempts in the window that opens the breaker, in (0, 1]. */
        @WithDefault("0.8")
        double failureRatio();

        /** How long an open breaker fails attempts fast before it lets a trial through. Positive. */
        @WithDefault("15s")
        Duration delay();

        /** Successful trials that close a half-open breaker. At least 1. */
        @WithDefault("1")
        int successThreshold();
    }

    /** Every range violation, each naming its property and what is allowed; empty when valid. */
    default List<String> problems() {
        List<String> problems = new ArrayList<>();
        String p = "live-gateway.reconnect.";
        if (maxRetries() < 0) {
            problems.add(p + "max-retries must be 0 or more, got " + maxRetries());
        }
        positive(problems, p + "initial-delay", initialDelay());
        positive(problems, p + "deadline", deadline());
        positive(problems, p + "resume-deadline", resumeDeadline());
        positive(problems, p + "attempt-timeout", attemptTimeout());
        positive(problems, p + "breaker.delay", breaker().delay());
        if (maxDelay().compareTo(initialDelay()) < 0) {
            problems.add(p + "max-delay must be at least initial-delay (" + initialDelay() + "), got " + maxDelay());
        }
        if (jitter().isNegative()) {
            problems.add(p + "jitter must not be negative, got " + jitter());
        }
        if (breaker().requestVolumeThreshold() < 1) {
            problems.add(p + "breaker.request-volume-threshold must be at least 1, got " + breaker().requestVolumeThreshold());
        }
        if (!(breaker().failureRatio() > 0 && breaker().failureRatio() <= 1)) {
            problems.add(p + "breaker.failure-ratio must be in (0, 1], got " + breaker().failureRatio());
        }
        if (breaker().successThreshold() < 1) {
            problems.add(p + "breaker.success-threshold must be at least 1, got " + breaker().successThreshold());
        }
        return problems;
    }

    private static void positive(List<String> problems, String key, Duration value) {
        if (value.isNegative() || value.isZero()) {
            problems.add(key + " must be positive, got " + value);
        }
    }
}
