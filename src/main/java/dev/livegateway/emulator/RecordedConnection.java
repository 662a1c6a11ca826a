package dev.livegateway.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livegateway.wire.Flavour;
import dev.livegateway.wire.Setup;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What one WebSocket connection brought: request path and headers, setup, every client message. */
public final class RecordedConnection {

    private final long number;
    private final String path;
    private final Map<String, List<String>> headers;
    private final Flavour flavour;
    private final Instant openedAt = Instant.now();
    private final RecordLog clientMessages;
    private volatile JsonNode setupJson;
    private volatile Setup setup;
    private volatile String liveSessionId;
    private volatile boolean resumed;
    private volatile Integer closeCode;
    private volatile String closeReason;
    private volatile boolean closed;

    RecordedConnection(long number, String path, Map<String, List<String>> headers, Flavour flavour,
            EmulatorRecorder recorder) {
        this.clientMessages = new RecordLog(recorder);
        this.number = number;
        this.path = path;
        this.headers = headers;
        this.flavour = flavour;
    }

    /** 1-based sequence number of the upgrade request on this emulator. */
    public long number() { return number; }
    /** The request target as received (with query, repeated slashes). */
    public String path() { return path; }
    /** Request headers, names lower-cased. */
    public Map<String, List<String>> headers() { return headers; }
    /** First value of a header (case-insensitive name), or null. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }
    public Flavour flavour() { return flavour; }
    public Instant openedAt() { return openedAt; }
    /** The raw {@code setup} object (inside {@code {"setup": ...}}), exactly as sent; null before setup. */
    public JsonNode setupJson() { return setupJson; }
    public Setup setup() { return setup; }
    public String liveSessionId() { return liveSessionId; }
    /** Whether the connection resumed an existing Live session with a handle. */
    public boolean resumed() { return resumed; }
    /**
     * The client messages received on this connection, in order, setup included (index 0 unless
     * dropped): the newest within {@link EmulatorOptions#recordingMaxSessionBytes()}, long string
     * values summarised ({@link EmulatorOptions#recordingMaxPayloadChars()}).
     */
    public List<JsonNode> clientMessages() {
        return clientMessages.messages();
    }

    /** Client messages dropped from the front of {@link #clientMessages()} to stay within the bound. */
    public long clientMessagesDropped() {
        return clientMessages.dropped();
    }
    /** Close code the emulator sent (null when the client closed or the connection dropped). */
    public Integer closeCode() { return closeCode; }
    public String closeReason() { return closeReason; }
    public boolean closed() { return closed; }

    void recordMessage(JsonNode message, int bytes) { clientMessages.add(message, bytes); }
    void forget() { clientMessages.forget(); }
    void recordSetup(JsonNode json, Setup parsed) { setupJson = json; setup = parsed; }
    void recordSession(String id, boolean wasResumed) { liveSessionId = id; resumed = wasResumed; }
    void recordServerClose(int code, String reason) { closeCode = code; closeReason = reason; }
    void markClosed() { closed = true; }
}
