package dev.livegateway.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livegateway.wire.ClientMessage;
import dev.livegateway.wire.Content;
import dev.livegateway.wire.Flavour;
import dev.livegateway.wire.Wire;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One Live session as the emulator saw it, across connections (resumptions): the connections, and
 * the exact sequence of client messages consumed after rollbacks (setup messages excluded), which
 * tests compare with what the caller sent to check exactly-once delivery.
 */
public final class RecordedSession {

    private final String id;
    private final Flavour flavour;
    private final List<RecordedConnection> connections = new CopyOnWriteArrayList<>();
    private final RecordLog consumed;
    private int consumedCount;
    private final List<Content> history = new ArrayList<>();
    private final List<String> issuedFunctionCalls = new ArrayList<>();

    RecordedSession(String id, Flavour flavour, EmulatorRecorder recorder) {
        this.consumed = new RecordLog(recorder);
        this.id = id;
        this.flavour = flavour;
    }

    /** The Live session id ({@code setupComplete.sessionId} on Vertex). */
    public String id() { return id; }
    public Flavour flavour() { return flavour; }
    public List<RecordedConnection> connections() { return List.copyOf(connections); }
    /** The first connection's setup. */
    public RecordedConnection firstConnection() { return connections.get(0); }
    public RecordedConnection latestConnection() { return connections.get(connections.size() - 1); }

    /**
     * Consumed client messages (raw JSON), in order, after rollbacks; setups excluded. The newest
     * within {@link EmulatorOptions#recordingMaxSessionBytes()}; see {@link #consumedDropped()}.
     */
    public List<JsonNode> consumedJson() {
        return consumed.messages();
    }

    /** Consumed messages dropped from the front of {@link #consumedJson()} to stay within the bound. */
    public long consumedDropped() {
        return consumed.dropped();
    }

    /** Consumed client messages, parsed. */
    public List<ClientMessage> consumedMessages() {
        List<ClientMessage> out = new ArrayList<>();
        for (JsonNode node : consumedJson()) {
            out.add(Wire.mapper().convertValue(node, ClientMessage.class));
        }
        return out;
    }

    /** The conversation so far (user and model turns as the scripted model saw them). */
    public synchronized List<Content> history() {
        return List.copyOf(history);
    }

    /**
     * The ids of every function call the scripted model sent, on any connection, in order; never
     * rolled back, so a call issued again after a resumption shows up as a second id.
     */
    public synchronized List<String> issuedFunctionCalls() {
        return List.copyOf(issuedFunctionCalls);
    }

    /** Waits until at least {@code count} messages are consumed; for test threads, never an event loop. */
    public List<JsonNode> awaitConsumed(int count, Duration timeout) {
        return EmulatorRecorder.poll(timeout, () -> {
            List<JsonNode> now = consumedJson();
            return now.size() >= count ? now : null;
        }, () -> "session " + id + " consumed " + consumedJson().size() + " messages, expected " + count);
    }

    void addConnection(RecordedConnection c) { connections.add(c); }
    /** Counts a consumed message; keeps it too unless it is null (the emulator records nothing). */
    void consume(JsonNode message, int bytes) {
        synchronized (this) {
            consumedCount++;
        }
        if (message != null) {
            consumed.add(message, bytes);
        }
    }

    /** The recorder forgot this session: drop what it kept, keep nothing more. */
    void forget() {
        consumed.forget();
        connections.forEach(RecordedConnection::forget);
    }

    synchronized void addIssuedFunctionCall(String id) { issuedFunctionCalls.add(id); }
    synchronized int consumedCount() { return consumedCount; }
    synchronized void addHistory(Content turn) { history.add(turn); }
    synchronized int historySize() { return history.size(); }

    /** Rolls back to a snapshot: what was consumed and said after it is forgotten. */
    void truncate(int consumedSize, int historySize) {
        synchronized (this) {
            consumedCount = Math.min(consumedSize, consumedCount);
            history.subList(Math.min(historySize, history.size()), history.size()).clear();
        }
        consumed.truncate(consumedSize);
    }
}
