package dev.livegateway.upstream;

import dev.livegateway.quota.Lease;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A session's place in the pool: the target it was placed on (its conversation stays there), the
 * model name as sent to it, its first connection, and its share of the target's capacity (a lease
 * when the target has {@code max-sessions}). The session {@link #release()}s it when it ends.
 */
public final class Placement {

    private final UpstreamTarget target;
    private final String model;
    private final LiveConnection connection;
    private final Lease lease;
    private final AtomicBoolean released = new AtomicBoolean();

    Placement(UpstreamTarget target, String model, LiveConnection connection, Lease lease) {
        this.target = target;
        this.model = model;
        this.connection = connection;
        this.lease = lease;
    }

    public String targetName() {
        return target.name();
    }

    UpstreamTarget target() {
        return target;
    }

    /** The qualified model name sent to the target. */
    public String model() {
        return model;
    }

    /** The first connection, open and paused until the session starts it. */
    public LiveConnection connection() {
        return connection;
    }

    /** Gives the target's capacity back; idempotent. */
    public void release() {
        if (released.compareAndSet(false, true)) {
            target.sessionCount().decrementAndGet();
            if (lease != null) {
                lease.release();
            }
        }
    }
}
