package dev.livegateway.admission;

import dev.livegateway.config.LimitsConfig;
import io.vertx.core.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;

/**
 * The replica's gate on streams that have not sent their first event (their SessionConfig) yet:
 * counted per tenant, at most {@code live-gateway.limits.unconfigured-streams-per-tenant} at once,
 * each until its first event, which must come within {@code live-gateway.limits.first-event-timeout}
 * ({@link FirstEventWait}). The counts are shared by the streams of every event loop; one per
 * {@link SessionAdmission}.
 */
final class UnconfiguredStreams {

    private final LimitsConfig limits;
    /** Per tenant: streams open that have not sent their SessionConfig yet; no entry for zero. */
    private final ConcurrentMap<String, Integer> open = new ConcurrentHashMap<>();

    UnconfiguredStreams(LimitsConfig limits) {
        this.limits = limits;
    }

    /** What is wrong with the gate's limits, each naming its property (empty when nothing). */
    List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (limits.firstEventTimeout().isNegative() || limits.firstEventTimeout().isZero()) {
            problems.add("live-gateway.limits.first-event-timeout must be positive, got " + limits.firstEventTimeout());
        }
        if (limits.unconfiguredStreamsPerTenant() < 1) {
            problems.add("live-gateway.limits.unconfigured-streams-per-tenant must be at least 1, got "
                    + limits.unconfiguredStreamsPerTenant());
        }
        return problems;
    }

    /** The wait of a new stream of {@code tenant} for its first event (counted once it awaits). */
    FirstEventWait stream(String tenant) {
        return new FirstEventWait(tenant);
    }

    /** Streams of {@code tenant} open without config (diagnostics and tests). */
    int count(String tenant) {
        return open.getOrDefault(tenant, 0);
    }

    /**
     * Counts a new stream of {@code tenant} without config; null when counted, else the refusal
     * (the tenant's limit is reached, and the stream is not counted).
     */
    private UnconfiguredStreamException enter(String tenant) {
        boolean[] entered = {false};
        open.compute(tenant, (t, count) -> {
            int now = count == null ? 0 : count;
            if (now >= limits.unconfiguredStreamsPerTenant()) {
                return count;
            }
            entered[0] = true;
            return now + 1;
        });
        return entered[0] ? null : UnconfiguredStreamException.tooMany(tenant, limits.unconfiguredStreamsPerTenant());
    }

    /** The stream sent its first event or ended. */
    private void leave(String tenant) {
        open.computeIfPresent(tenant, (t, count) -> count <= 1 ? null : count - 1);
    }

    /** One stream's wait for its first event; used on the stream's context. */
    final class FirstEventWait {

        private final String tenant;
        /** Counted among the tenant's streams without config ({@link #enter}). */
        private boolean counted;
        private long timer = -1;
        private Context context;

        private FirstEventWait(String tenant) {
            this.tenant = tenant;
        }

        /**
         * The stream waits for its first event: it counts among the tenant's streams without config
         * until {@link #arrived()}, which must come within {@code first-event-timeout}, else
         * {@code timedOut} runs on {@code context} with the refusal (the count already given back).
         * Returns the refusal, counting nothing, when the tenant's limit is reached. Call on {@code context}.
         */
        UnconfiguredStreamException await(Context context, Consumer<UnconfiguredStreamException> timedOut) {
            UnconfiguredStreamException tooMany = enter(tenant);
            if (tooMany != null) {
                return tooMany;
            }
            counted = true;
            this.context = context;
            timer = context.owner().setTimer(Math.max(1, limits.firstEventTimeout().toMillis()),
                    id -> context.runOnContext(v -> {
                        timer = -1;
                        if (counted) {
                            arrived();
                            timedOut.accept(UnconfiguredStreamException.timedOut(limits.firstEventTimeout()));
                        }
                    }));
            return null;
        }

        /** The stream's first event arrived, or the stream ended: it no longer counts as without config. Idempotent. */
        void arrived() {
            if (timer >= 0) {
                context.owner().cancelTimer(timer);
                timer = -1;
            }
            if (counted) {
                counted = false;
                leave(tenant);
            }
        }
    }
}
