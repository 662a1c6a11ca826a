package dev.livegateway.toolrun;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A gateway-run call in flight: its result is reported exactly once, whether the call ends, is
 * cancelled ({@link #cancel()}: the request in flight is reset, no retry follows) or runs out of
 * time (its deadline). The report may come on any thread.
 */
public final class RunningCall {

    private final CallHandle handle;
    private final AtomicBoolean finished = new AtomicBoolean();
    private final Consumer<CallResult> done;
    private volatile Runnable onFinish = () -> { };

    RunningCall(CallHandle handle, Consumer<CallResult> done) {
        this.handle = handle;
        this.done = done;
    }

    /** Runs (once) when the call finishes, before the report: the call's own clean-up. */
    void onFinish(Runnable cleanUp) {
        this.onFinish = cleanUp;
    }

    /** Reports {@code result} unless the call already finished; whether it did. */
    boolean finish(CallResult result) {
        if (!finished.compareAndSet(false, true)) {
            return false;
        }
        onFinish.run();
        done.accept(result);
        return true;
    }

    /** The model withdrew the call: the request is aborted and the call reported CANCELLED. */
    public void cancel() {
        abort(CallOutcome.CANCELLED, "the model cancelled the call");
    }

    /** Aborts the call for {@code why}: the request in flight is reset, and the call is reported so. */
    void abort(CallOutcome why, String message) {
        if (finished.get()) {
            return;
        }
        handle.abort(why);
        finish(CallResult.failed(why, message, handle.attempts()));
    }

    public boolean finished() {
        return finished.get();
    }

    int attempts() {
        return handle.attempts();
    }
}
