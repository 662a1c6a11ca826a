package dev.livegateway.quota;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * A running session's claim on its quota. The {@link QuotaService} renews it every heartbeat
 * while it is active; the session must {@link #release()} it when its stream ends, however it
 * ends. If the replica dies first, the lease expires in the store after its TTL.
 *
 * <p>The lease can end on its own while the session runs: an operator revoked it, or it could
 * not be renewed within the renewal grace. The session learns it through
 * {@link #onTerminated(Consumer)}, ends its stream with the message, and releases the lease.
 */
public final class Lease {

    private static final Logger LOG = Logger.getLogger(Lease.class);

    private enum State {
        ACTIVE,
        TERMINATED,
        RELEASED
    }

    private final LeaseStore store;
    private final LeaseStore.LeaseRecord record;
    private final QuotaService owner;
    private final Duration ttl;
    private final Duration renewalGrace;
    private final Context callbackContext;
    private final AtomicReference<State> state = new AtomicReference<>(State.ACTIVE);
    private final AtomicBoolean renewalInFlight = new AtomicBoolean();
    private final List<Consumer<LeaseTermination>> terminationCallbacks = new ArrayList<>();
    private volatile boolean needsReinstate;
    private volatile long lastRenewedNanos = System.nanoTime();
    private volatile boolean renewalFailing;
    private LeaseTermination termination;
    private CompletableFuture<Void> released;

    Lease(QuotaService owner, LeaseStore store, LeaseStore.LeaseRecord record, Duration ttl, Duration renewalGrace,
            Context callbackContext) {
        this.owner = owner;
        this.store = store;
        this.record = record;
        this.ttl = ttl;
        this.renewalGrace = renewalGrace;
        this.callbackContext = callbackContext;
    }

    public String sessionId() {
        return record.sessionId();
    }

    public String tenant() {
        return record.tenant();
    }

    /** The upstream pool, or {@code null}. */
    public String pool() {
        return record.pool();
    }

    public String model() {
        return record.model();
    }

    public String replicaId() {
        return record.replicaId();
    }

    /** When the store admitted the session. */
    public Instant acquiredAt() {
        return Instant.ofEpochMilli(record.startedAtMillis());
    }

    /** True until the lease is terminated or released. */
    public boolean isActive() {
        return state.get() == State.ACTIVE;
    }

    /** Why the lease ended while the session ran, if it did. */
    public synchronized Optional<LeaseTermination> termination() {
        return Optional.ofNullable(termination);
    }

    /**
     * Registers what to do when the lease ends while the session runs (revoked or lost). Runs at
     * most once per callback, on the Vert.x context that admitted the session when there was one,
     * else on a quota thread; it must not block. Registered after the fact, it runs at once.
     * Not called after {@link #release()}.
     */
    public Lease onTerminated(Consumer<LeaseTermination> callback) {
        LeaseTermination already;
        synchronized (this) {
            already = termination;
            if (already == null) {
                terminationCallbacks.add(callback);
            }
        }
        if (already != null) {
            dispatch(callback, already);
        }
        return this;
    }

    /**
     * Gives the quota back. Idempotent: the first call starts the release at once (whether or not
     * the returned {@link Uni} is subscribed); every call returns the same outcome. Never fails:
     * if the store cannot be reached after a few quick retries the lease expires there after its
     * TTL instead.
     */
    public Uni<Void> release() {
        CompletableFuture<Void> outcome;
        synchronized (this) {
            if (released == null) {
                state.set(State.RELEASED);
                owner.forget(this);
                released = releaseInStore();
            }
            outcome = released;
        }
        // A copy, so that a subscriber cancelling its Uni cannot cancel the release itself.
        return Uni.createFrom().completionStage(outcome.copy());
    }

    private CompletableFuture<Void> releaseInStore() {
        return store.release(record)
                .onFailure().retry().withBackOff(Duration.ofMillis(50), Duration.ofMillis(500)).atMost(3)
                .onFailure().invoke(failure -> LOG.warnf(
                        "Could not release the lease of session %s (%s); it expires in the store within %s",
                        record.sessionId(), failure.getMessage(), ttl))
                .onFailure().recoverWithNull()
                .subscribeAsCompletionStage();
    }

    /** One heartbeat: renews the lease unless a renewal is still in flight. */
    void heartbeat() {
        if (state.get() != State.ACTIVE || !renewalInFlight.compareAndSet(false, true)) {
            return;
        }
        boolean reinstating = needsReinstate;
        Uni<LeaseStore.RenewalOutcome> renewal = reinstating
                ? store.reinstate(record, ttl).replaceWith(LeaseStore.RenewalOutcome.RENEWED)
                : store.renew(record, ttl);
        renewal.subscribe().with(outcome -> renewed(outcome, reinstating), this::renewalFailed);
    }

    private void renewed(LeaseStore.RenewalOutcome outcome, boolean reinstated) {
        renewalInFlight.set(false);
        if (state.get() == State.RELEASED) {
            if (reinstated) {
                // The session ended while its lease was being re-created: release it again.
                store.release(record).subscribe().with(ok -> {}, failure -> {});
            }
            return;
        }
        switch (outcome) {
            case RENEWED -> {
                lastRenewedNanos = System.nanoTime();
                needsReinstate = false;
                if (renewalFailing || reinstated) {
                    LOG.infof("Lease of session %s renewed again%s", record.sessionId(),
                            reinstated ? " (re-created: it had expired in the store)" : "");
                }
                renewalFailing = false;
            }
            case REVOKED -> terminate(new LeaseTermination(LeaseTermination.Reason.REVOKED,
                    "Session " + record.sessionId() + " was ended by an operator"));
            case LOST -> {
                // Expired in the store while the session ran (an outage longer than the TTL, or
                // Redis lost its data): count it again at once.
                needsReinstate = true;
                heartbeat();
            }
        }
    }

    private void renewalFailed(Throwable failure) {
        renewalInFlight.set(false);
        if (!renewalFailing) {
            renewalFailing = true;
            LOG.warnf("Cannot renew the lease of session %s: %s; the session continues and the lease is renewed "
                    + "when the store answers (grace %s)", record.sessionId(), failure.getMessage(), renewalGrace);
        }
        if (System.nanoTime() - lastRenewedNanos > renewalGrace.toNanos()) {
            terminate(new LeaseTermination(LeaseTermination.Reason.LOST,
                    "The session quota store has been unreachable for more than " + renewalGrace
                            + ", so this session can no longer be counted; reconnect to be admitted again"));
        }
    }

    /** Ends the lease while its session runs and tells the session. */
    void terminate(LeaseTermination why) {
        if (!state.compareAndSet(State.ACTIVE, State.TERMINATED)) {
            return;
        }
        owner.forget(this);
        List<Consumer<LeaseTermination>> callbacks;
        synchronized (this) {
            termination = why;
            callbacks = List.copyOf(terminationCallbacks);
            terminationCallbacks.clear();
        }
        LOG.infof("Lease of session %s (tenant %s) terminated: %s", record.sessionId(), record.tenant(), why.message());
        callbacks.forEach(callback -> dispatch(callback, why));
    }

    private void dispatch(Consumer<LeaseTermination> callback, LeaseTermination why) {
        Runnable run = () -> {
            try {
                callback.accept(why);
            } catch (RuntimeException e) {
                LOG.errorf(e, "Lease termination callback of session %s failed", record.sessionId());
            }
        };
        if (callbackContext != null) {
            callbackContext.runOnContext(ignored -> run.run());
        } else {
            run.run();
        }
    }
}
