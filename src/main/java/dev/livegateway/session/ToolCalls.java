package dev.livegateway.session;

import dev.livegateway.wire.ClientMessage;
import dev.livegateway.wire.ServerMessage;
import dev.livegateway.wire.Tool;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The model's tool calls the caller has not answered, and the wait for the answers. A call is
 * BLOCKING or NON_BLOCKING as its function was declared (the model's default when the declaration
 * says nothing, see {@link ModelRules}). A BLOCKING call holds the model: the session neither moves
 * nor watches for stalls while one is pending, and a caller that answers none of the pending
 * BLOCKING calls within {@code live-gateway.session.tool-response-timeout} (counted from the last
 * tool call or tool response) is reported to {@code expired} with their ids, sorted. A
 * NON_BLOCKING call holds nothing: the model goes on talking, the session may move to a new
 * connection meanwhile (the Live session keeps the call, and the caller's response, sent or held
 * during the move, reaches the new connection once), and the function may take as long as it needs.
 * Used on the session's context only.
 */
final class ToolCalls {

    private final Vertx vertx;
    private final Duration timeout;
    private final Consumer<List<String>> expired;
    private final ModelRules rules;
    /** Function name → NON_BLOCKING, from the setup's tools and the latest context update's. */
    private final Map<String, Boolean> nonBlockingFunctions = new HashMap<>();
    /** Pending call id → NON_BLOCKING. */
    private final Map<String, Boolean> pending = new HashMap<>();
    private long timer = -1;

    ToolCalls(Vertx vertx, Duration timeout, ModelRules rules, List<Tool> tools, Consumer<List<String>> expired) {
        this.vertx = vertx;
        this.timeout = timeout;
        this.rules = rules;
        this.expired = expired;
        declared(tools);
    }

    /** The model's functions are now these (the setup's, or a context update's that replaced them). */
    void declared(List<Tool> tools) {
        nonBlockingFunctions.clear();
        if (tools == null) {
            return;
        }
        for (Tool tool : tools) {
            if (tool.functionDeclarations() != null) {
                for (Tool.FunctionDeclaration f : tool.functionDeclarations()) {
                    nonBlockingFunctions.put(f.name(), rules.nonBlocking(f.behavior()));
                }
            }
        }
    }

    /** Any call pending, BLOCKING or not. */
    boolean anyPending() {
        return !pending.isEmpty();
    }

    /** A BLOCKING call is pending: the model waits for the caller. */
    boolean anyBlocking() {
        return pending.containsValue(Boolean.FALSE);
    }

    int count() {
        return pending.size();
    }

    /** Pending NON_BLOCKING calls. */
    int nonBlockingCount() {
        return (int) pending.values().stream().filter(Boolean::booleanValue).count();
    }

    Duration timeout() {
        return timeout;
    }

    /** The model called tools: they are pending, and the wait starts again. */
    void called(ServerMessage.ToolCall call) {
        for (ServerMessage.FunctionCall f : call.functionCalls()) {
            if (f.id() != null) {
                pending.put(f.id(), nonBlockingFunctions.getOrDefault(f.name(), rules.nonBlocking(null)));
            }
        }
        restartTimer();
    }

    /** The model withdrew calls. */
    void cancelled(List<String> ids) {
        ids.forEach(pending::remove);
        if (!anyBlocking()) {
            cancelTimer();
        }
    }

    /**
     * The caller answered: those calls are done (a NON_BLOCKING response with {@code willContinue}
     * keeps its call pending), and the wait starts again for the rest.
     */
    void answered(ClientMessage.ToolResponse response) {
        for (ClientMessage.FunctionResponse r : response.functionResponses()) {
            if (r.id() != null && !(Boolean.TRUE.equals(r.willContinue()) && Boolean.TRUE.equals(pending.get(r.id())))) {
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
        if (!anyBlocking()) {
            return;
        }
        timer = vertx.setTimer(Math.max(1, timeout.toMillis()), id -> {
            timer = -1;
            List<String> blocking = pending.entrySet().stream().filter(e -> !e.getValue()).map(Map.Entry::getKey)
                    .sorted().toList();
            if (!blocking.isEmpty()) {
                expired.accept(blocking);
            }
        });
    }
}
