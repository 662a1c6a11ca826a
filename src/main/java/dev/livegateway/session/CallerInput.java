package dev.livegateway.session;

import dev.livegateway.upstream.LiveConnection;
import java.util.function.Consumer;

/**
 * Flow control of caller input (gRPC requests): asks the caller for more events unless the Live
 * API's side is congested (the WebSocket's write queue is full: then waits for its drain) or the
 * session's buffered input is at its allowance ({@link InputBudget}). Events in flight are sized as
 * the largest seen so far, or before the first as the largest the limits admit. Used on the
 * session's context only.
 */
final class CallerInput {

    private final CallerChannel caller;
    private final InputBudget.Account budget;
    private final int window;
    private final int largestEventEstimate;
    /** Told, with the connection, when a full write queue drained. */
    private final Consumer<LiveConnection> drained;
    /** The largest caller event (Live API JSON bytes) so far; 0 before the first. */
    private int largestEvent;
    private boolean waitingForDrain;

    CallerInput(CallerChannel caller, InputBudget.Account budget, int window, int largestEventEstimate,
            Consumer<LiveConnection> drained) {
        this.caller = caller;
        this.budget = budget;
        this.window = window;
        this.largestEventEstimate = largestEventEstimate;
        this.drained = drained;
    }

    /** {@code count} requested events arrived. */
    void received(int count) {
        for (int i = 0; i < count; i++) {
            budget.received();
        }
    }

    /** A caller event of {@code bytes} (Live API JSON) is being relayed. */
    void relaying(int bytes) {
        largestEvent = Math.max(largestEvent, bytes);
    }

    /**
     * Requests more input if there is room. {@code open} is the open connection or null (moving);
     * a pending tool call's answer must get through, so reading is never held back then.
     */
    void request(LiveConnection open, boolean toolCallPending) {
        if (open != null && open.writeQueueFull()) {
            if (!waitingForDrain) {
                waitingForDrain = true;
                open.drainHandler(v -> {
                    waitingForDrain = false;
                    drained.accept(open);
                });
            }
            return;
        }
        long estimate = Math.max(1024, largestEvent > 0 ? largestEvent : largestEventEstimate);
        int request = budget.credits(window, estimate, toolCallPending);
        if (request > 0) {
            caller.requestInput(request);
        }
    }
}
