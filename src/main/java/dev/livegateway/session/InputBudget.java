package dev.livegateway.session;

import dev.livegateway.config.LimitsConfig;
import dev.livegateway.config.SessionSettings;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The replica-wide budget for buffered caller input: what sessions keep for replay until the
 * Live API confirms it, plus what they hold while moving to a new connection. Each session has an
 * {@link Account}; a session reads more caller input only while its account is within its
 * {@linkplain #allowance() allowance}, otherwise it stops requesting input (gRPC flow control)
 * and is woken when room frees up.
 *
 * <p>Fairness: the first half of the budget is shared first come, first served (a session may
 * buffer up to {@code live-gateway.session.replay-buffer-bytes}); once it is used, every session
 * may still buffer its equal share of the second half ({@code budget / 2 / sessions}), so sessions
 * that fill their buffers (one tenant's attack, or a Live API that stops confirming) are held
 * back, never the sessions that buffer little. The sum stays within the budget, plus the events a
 * session had already requested when it was held back.
 */
@Startup
@ApplicationScoped
public class InputBudget {

    private static final Logger LOG = Logger.getLogger(InputBudget.class);

    /** Default budget as a fraction of the maximum heap when {@code buffered-input-bytes} is not set. */
    static final int DEFAULT_HEAP_FRACTION = 4;

    private final long limit;
    private final long perSession;
    private final int largestEvent;
    private final AtomicLong buffered = new AtomicLong();
    /** Buffered bytes plus the reservations of events requested from callers and not yet received. */
    private final AtomicLong committed = new AtomicLong();
    private final AtomicInteger accounts = new AtomicInteger();
    private final AtomicInteger heldBack = new AtomicInteger();
    private final Set<Account> waiting = ConcurrentHashMap.newKeySet();

    @Inject
    InputBudget(LimitsConfig limits, SessionSettings sessions) {
        this(limits.bufferedInputBytes().orElse(Runtime.getRuntime().maxMemory() / DEFAULT_HEAP_FRACTION),
                sessions.replayBufferBytes(),
                // base64 in JSON: 4 bytes for every 3, plus the envelope; an audio chunk converted to
                // 16 kHz PCM16 grows at most 4 times (8 kHz G.711, see CallerAudio)
                (int) Math.min(Integer.MAX_VALUE,
                        Math.max(limits.maxVideoFrameBytes(), limits.maxAudioChunkBytes() * 4L) * 4L / 3 + 1024));
    }

    public InputBudget(long limit, long perSession, int largestEvent) {
        if (limit <= 0) {
            throw new IllegalArgumentException("live-gateway.limits.buffered-input-bytes must be positive, was " + limit);
        }
        if (perSession <= 0) {
            throw new IllegalArgumentException("live-gateway.session.replay-buffer-bytes must be positive, was "
                    + perSession);
        }
        this.limit = limit;
        this.perSession = perSession;
        this.largestEvent = largestEvent;
        LOG.debugf("buffered input budget: %d bytes for the replica, at most %d bytes per session", limit, perSession);
    }

    /** The replica-wide budget in bytes. */
    public long limit() {
        return limit;
    }

    /** The largest caller event the limits admit, in Live API JSON bytes: what a session assumes before its first event. */
    public int largestEvent() {
        return largestEvent;
    }

    /** Caller input buffered by all sessions of this replica right now, in bytes. */
    public long buffered() {
        return buffered.get();
    }

    /** Sessions that stopped reading caller input because their allowance is used up (for the gauge). */
    public int heldBack() {
        return heldBack.get();
    }

    /**
     * How much one session may buffer now: the per-session cap while less than half the budget is
     * committed, else the session's equal share of the other half (never more than the cap).
     */
    public long allowance() {
        if (committed.get() < limit / 2) {
            return perSession;
        }
        return share();
    }

    private long share() {
        return Math.min(perSession, Math.max(1, limit / 2 / Math.max(1, accounts.get())));
    }

    /**
     * Opens the account of one session; {@code wake} runs (on any thread, possibly inside a call of
     * the session itself, so it must only schedule the session's next look) when room frees up.
     */
    public Account open(Runnable wake) {
        accounts.incrementAndGet();
        return new Account(wake);
    }

    /**
     * Wakes the sessions waiting for room. Only a drop below half the budget or one session fewer
     * (bigger shares) can let a waiting session read again; its own confirmations wake it anyway.
     */
    private void wakeWaiting() {
        if (waiting.isEmpty()) {
            return;
        }
        for (Account account : waiting) {
            if (waiting.remove(account)) {
                account.wake.run();
            }
        }
    }

    /** Takes {@code bytes} from the shared half if they fit in it. */
    private boolean commitShared(long bytes) {
        while (true) {
            long current = committed.get();
            if (current + bytes > limit / 2) {
                return false;
            }
            if (committed.compareAndSet(current, current + bytes)) {
                return true;
            }
        }
    }

    /**
     * The bytes one session buffers, and the events it asked the caller for and has not received
     * (each reserved at the size of the session's largest event), so that input already requested
     * counts before it arrives. Used from the session's context only; the totals it feeds are
     * atomic because sessions run on different event loops.
     */
    public final class Account {
        private final Runnable wake;
        private volatile long bytes;
        private long reserved;
        private int outstanding;
        private boolean holdingBack;
        private boolean closed;

        private Account(Runnable wake) {
            this.wake = wake;
        }

        /** {@code n} more bytes are buffered. */
        public void add(long n) {
            bytes += n;
            buffered.addAndGet(n);
            committed.addAndGet(n);
        }

        /** {@code n} buffered bytes were confirmed, sent or dropped. */
        public void release(long n) {
            if (n <= 0) {
                return;
            }
            bytes -= n;
            buffered.addAndGet(-n);
            if (committed.addAndGet(-n) < limit / 2) {
                wakeWaiting();
            }
        }

        /** Bytes buffered by this session. */
        public long bytes() {
            return bytes;
        }

        /** What this session may buffer now (see {@link InputBudget#allowance()}). */
        public long allowance() {
            return InputBudget.this.allowance();
        }

        /** One requested caller event arrived: its reservation is returned (its bytes are {@link #add added}). */
        public void received() {
            if (outstanding == 0) {
                return;
            }
            long one = reserved / outstanding;
            outstanding--;
            reserved -= one;
            committed.addAndGet(-one);
        }

        /**
         * How many more caller events the session may request now (at most {@code window} in
         * flight); the reservation is taken. The events in flight must fit in the session's room
         * even if each is the {@linkplain #largestEvent() largest event the limits admit}, so one
         * session never exceeds its allowance by more than one event; against the replica-wide
         * budget each is reserved at {@code estimate} (the session's largest event so far), so that
         * sessions of small events do not look like sessions of video frames. A session with
         * nothing in flight gets one event within its allowance even when a largest one would not
         * fit. {@code mustRead}: one event at a time whatever the session buffers (a pending tool
         * call's answer must get through). When nothing may be requested because of the
         * replica-wide budget, the session is woken once others free room.
         */
        public int credits(int window, long estimate, boolean mustRead) {
            if (closed) {
                return 0;
            }
            long wanted = window - outstanding;
            long inFlightWorst = (long) outstanding * largestEvent;
            long granted = 0;
            if (wanted > 0 && bytes + inFlightWorst < perSession) {
                granted = fit(wanted, perSession - bytes - inFlightWorst, outstanding == 0);
                // The shared half first, then the session's share of the other half.
                while (granted > 0 && !commitShared(granted * estimate)) {
                    granted = Math.min(granted - 1, Math.max(0, (limit / 2 - committed.get()) / estimate));
                }
                if (granted == 0) {
                    granted = fit(wanted, share() - bytes - inFlightWorst, outstanding == 0);
                    committed.addAndGet(granted * estimate);
                }
            }
            if (granted == 0 && mustRead && outstanding == 0) {
                committed.addAndGet(estimate);
                granted = 1;
            }
            if (granted > 0) {
                outstanding += (int) granted;
                reserved += granted * estimate;
            }
            boolean stuck = outstanding == 0;
            setHoldingBack(stuck);
            if (stuck && bytes < perSession) {
                // Held back by the replica-wide budget, not by the session's own cap.
                waiting.add(this);
                // Room may have freed between the decision and the registration.
                if ((committed.get() + estimate <= limit / 2 || bytes < share()) && waiting.remove(this)) {
                    wake.run();
                }
            }
            return (int) granted;
        }

        /** Events of the largest admitted size that fit in {@code room}; one if none does but room is left and nothing is in flight. */
        private long fit(long wanted, long room, boolean idle) {
            if (room <= 0) {
                return 0;
            }
            long whole = Math.min(wanted, room / largestEvent);
            return whole > 0 ? whole : idle ? 1 : 0;
        }

        private void setHoldingBack(boolean value) {
            if (value != holdingBack) {
                holdingBack = value;
                heldBack.addAndGet(value ? 1 : -1);
            }
        }

        /** The session ended: everything it buffered or reserved is released. */
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            setHoldingBack(false);
            waiting.remove(this);
            accounts.decrementAndGet();
            long all = bytes;
            bytes = 0;
            buffered.addAndGet(-all);
            committed.addAndGet(-all - reserved);
            reserved = 0;
            outstanding = 0;
            // One session fewer: the others' shares grew.
            wakeWaiting();
        }
    }
}
