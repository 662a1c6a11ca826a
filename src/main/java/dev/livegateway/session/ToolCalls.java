package dev.livegateway.session;

import dev.livegateway.wire.ClientMessage;
import dev.livegateway.wire.ServerMessage;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The model's tool calls the caller has not answered, and the wait for the answers: a caller that
 * answers none of the pending calls within {@code live-gateway.session.tool-response-timeout}
 * (counted from the last tool call or tool response) is reported to {@code expired} with the
 * pending ids, sorted. Used on the session's context only.
 */
final class ToolCalls {

    private final Vertx vertx;
    private final Duration timeout;
    private final Consumer<List<String>> expired;
    private final Set<String> pending = new HashSet<>();
    private long timer = -1;

    ToolCalls(Vertx vertx, Duration timeout, Consumer<List<String>> expired) {
        this.vertx = vertx;
        this.timeout = timeout;
        this.expired = expired;
    }

    boolean anyPending() {
        return !pending.isEmpty();
    }

    int count() {
        return pending.size();
    }

    Duration timeout() {
        return timeout;
    }

    /** The model called tools: they are pending, and the wait starts again. */
    void called(ServerMessage.ToolCall call) {
        for (ServerMessage.FunctionCall f : call.functionCalls()) {
            if (f.id() != null) {
                pending.add(f.id());
            }
        }
        restartTimer();
    }

    /** The model withdrew calls. */
    void cancelled(List<String> ids) {
        pending.removeAll(ids);
        if (pending.isEmpty()) {
            cancelTimer();
        }
    }

    /** The caller answered: those calls are done, and the wait starts again for the rest. */
    void answered(ClientMessage.ToolResponse response) {
        for (ClientMessage.FunctionResponse r : response.functionResponses()) {
            if (r.id() != null) {
                pending.remove(r.id());
            }
        }
        restartTimer();
    }

    void cancelTimer() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }

    private void restartTimer() {
        cancelTimer();
        if (pending.isEmpty()) {
            return;
        }
        timer = vertx.setTimer(Math.max(1, timeout.toMillis()), id -> {
            timer = -1;
            if (!pending.isEmpty()) {
                expired.accept(pending.stream().sorted().toList());
            }
        });
    }
}
