package dev.livegateway.toolrun;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One gateway-run call's state shared by its attempts: how many were made, and the abort of the
 * request in flight (a cancellation, the turn's budget), which also stops further retries.
 */
final class CallHandle {

    private final AtomicInteger attempts = new AtomicInteger();
    private volatile CallOutcome aborted;
    private volatile Runnable abortCurrent;

    /** An attempt starts; {@code abort} stops its request. Returns false when the call was already aborted. */
    boolean attempt(Runnable abort) {
        attempts.incrementAndGet();
        abortCurrent = abort;
        return aborted == null;
    }

    /** The attempt's request ended: nothing to abort any more. */
    void attemptEnded() {
        abortCurrent = null;
    }

    int attempts() {
        return attempts.get();
    }

    /** Aborts the request in flight and refuses further attempts. */
    void abort(CallOutcome why) {
        aborted = why;
        Runnable current = abortCurrent;
        if (current != null) {
            current.run();
        }
    }

    /** Why the call was aborted, or null. */
    CallOutcome aborted() {
        return aborted;
    }
}
