package dev.livegateway.emulator;

import dev.livegateway.wire.ClientMessage.FunctionResponse;
import dev.livegateway.wire.Flavour;
import dev.livegateway.wire.ServerMessage;
import dev.livegateway.wire.Tool;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The function calls the scripted model issued on one connection and not yet answered, blocking
 * and NON_BLOCKING, and the NON_BLOCKING results waiting for the model to be idle. Runs on the
 * connection's event loop.
 */
final class PendingToolCalls {

    private static final System.Logger LOG = System.getLogger(PendingToolCalls.class.getName());

    private final long connectionNumber;
    private final EmulatedModel model;
    private final EmulatedSession session;
    private final Map<String, String> blocking = new LinkedHashMap<>();
    private final Deque<List<FunctionResponse>> answersWhenIdle = new ArrayDeque<>();

    /** Calls just issued, and the names of those among them that do not block the model. */
    record Issued(List<ServerMessage.FunctionCall> calls, List<String> nonBlockingNames) {}

    /**
     * What a {@code toolResponse} brought: the results to answer now, and whether one of them
     * interrupts the model; {@code nonBlockingResults} (in order) go to the history.
     */
    record Answers(List<FunctionResponse> answerNow, boolean interrupt, List<FunctionResponse> nonBlockingResults) {}

    /** NON_BLOCKING calls live in the session's model state: a result is accepted on any connection of the session. */
    PendingToolCalls(long connectionNumber, EmulatedModel model, EmulatedSession session) {
        this.connectionNumber = connectionNumber;
        this.model = model;
        this.session = session;
    }

    private Map<String, String> nonBlocking() {
        return session.model.nonBlockingCalls;
    }

    /** Whether NON_BLOCKING calls wait for their results. */
    boolean nonBlockingPending() {
        return !nonBlocking().isEmpty();
    }

    /** Issues one call per declaration, with ids shaped as the flavour's server shapes them. */
    Issued issue(List<Tool.FunctionDeclaration> declarations, Flavour flavour) {
        List<ServerMessage.FunctionCall> calls = new ArrayList<>();
        List<String> nonBlockingNames = new ArrayList<>();
        for (Tool.FunctionDeclaration f : declarations) {
            String id = flavour == Flavour.VERTEX ? UUID.randomUUID().toString()
                    : "function-call-" + ThreadLocalRandom.current().nextLong(1_000_000_000_000_000_000L, Long.MAX_VALUE);
            calls.add(new ServerMessage.FunctionCall(id, f.name(), ScriptedModel.argsFor(f)));
            if (model.nonBlocking(f)) {
                nonBlocking().put(id, f.name());
                nonBlockingNames.add(f.name());
            } else {
                blocking.put(id, f.name());
            }
        }
        return new Issued(calls, nonBlockingNames);
    }

    /** Whether a blocking call waits for its result (the model says nothing meanwhile). */
    boolean blocking() {
        return !blocking.isEmpty();
    }

    /** Forgets the blocking calls (barge-in) and returns their ids, for {@code toolCallCancellation}. */
    List<String> cancelBlocking() {
        List<String> ids = List.copyOf(blocking.keySet());
        blocking.clear();
        return ids;
    }

    /**
     * Matches results to pending calls (by id, or by name when the id is empty), following each
     * NON_BLOCKING result's scheduling: WHEN_IDLE (default) results queue for {@link #nextIdleAnswer},
     * INTERRUPT ones answer now, SILENT ones only go to the history. Unknown calls are ignored.
     */
    Answers accept(List<FunctionResponse> responses) {
        List<FunctionResponse> answerNow = new ArrayList<>();
        List<FunctionResponse> idle = new ArrayList<>();
        List<FunctionResponse> nonBlockingResults = new ArrayList<>();
        boolean interrupt = false;
        for (FunctionResponse r : responses) {
            String id = match(r, blocking);
            if (id != null) {
                blocking.remove(id);
                answerNow.add(r);
                continue;
            }
            id = match(r, nonBlocking());
            if (id == null) {
                LOG.log(System.Logger.Level.DEBUG, () -> String.format("connection %d: toolResponse for unknown call %s/%s ignored",
                        connectionNumber, r.id(), r.name()));
                continue;
            }
            if (!Boolean.TRUE.equals(r.willContinue())) {
                nonBlocking().remove(id);
            }
            String scheduling = r.scheduling() == null ? "WHEN_IDLE" : r.scheduling().toUpperCase(Locale.ROOT);
            nonBlockingResults.add(r);
            switch (scheduling) {
                case "SILENT" -> { }
                case "INTERRUPT" -> {
                    interrupt = true;
                    answerNow.add(r);
                }
                default -> idle.add(r);
            }
        }
        if (!idle.isEmpty()) {
            answersWhenIdle.add(idle);
        }
        return new Answers(answerNow, interrupt, nonBlockingResults);
    }

    /** The next queued WHEN_IDLE results, or null when none wait. */
    List<FunctionResponse> nextIdleAnswer() {
        return answersWhenIdle.poll();
    }

    private static String match(FunctionResponse r, Map<String, String> pending) {
        if (r.id() != null && pending.containsKey(r.id())) {
            return r.id();
        }
        if (r.id() == null || r.id().isEmpty()) {
            for (Map.Entry<String, String> e : pending.entrySet()) {
                if (e.getValue().equals(r.name())) {
                    return e.getKey();
                }
            }
        }
        return null;
    }

    /** The model's words for tool results: "name returned {...}." per result. */
    static String describe(List<FunctionResponse> responses) {
        List<String> parts = new ArrayList<>();
        for (FunctionResponse r : responses) {
            String name = r.name() != null ? r.name() : "function";
            parts.add(name + " returned " + (r.response() == null ? "{}" : r.response().toString()) + ".");
        }
        return String.join(" ", parts);
    }
}
