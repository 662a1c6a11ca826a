package dev.livegateway.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livegateway.wire.Wire;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Recorded client messages of one connection or one Live session, bounded in bytes (of the client
 * frames, see {@link EmulatorOptions#recordingMaxSessionBytes()}): beyond the bound the oldest are
 * dropped and counted. Charges what it keeps to the {@link EmulatorRecorder}'s total, which
 * forgets whole logs when the total is over its own bound. Thread-safe; the recorder is called
 * outside this log's lock.
 */
final class RecordLog {

    private record Entry(JsonNode message, int bytes) {}

    private final EmulatorRecorder recorder;
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private long bytes;
    private long dropped;
    private boolean forgotten;

    RecordLog(EmulatorRecorder recorder) {
        this.recorder = recorder;
    }

    /** Appends a message of {@code size} bytes, dropping the oldest while over the bound. */
    void add(JsonNode message, int size) {
        long delta = 0;
        long droppedNow = 0;
        synchronized (this) {
            if (forgotten) {
                return;
            }
            entries.addLast(new Entry(message, size));
            bytes += size;
            delta += size;
            while (bytes > recorder.maxLogBytes() && !entries.isEmpty()) {
                Entry oldest = entries.removeFirst();
                bytes -= oldest.bytes();
                delta -= oldest.bytes();
                dropped++;
                droppedNow++;
            }
        }
        recorder.charge(delta, droppedNow);
    }

    /** The kept messages, oldest first. */
    synchronized List<JsonNode> messages() {
        List<JsonNode> out = new ArrayList<>(entries.size());
        entries.forEach(e -> out.add(e.message()));
        return out;
    }

    /** How many messages were dropped from the front to stay within the bound. */
    synchronized long dropped() {
        return dropped;
    }

    /** Bytes kept. */
    synchronized long bytes() {
        return bytes;
    }

    /** Keeps the first {@code count} messages ever added (dropped ones included in the count). */
    void truncate(long count) {
        long delta = 0;
        synchronized (this) {
            long keep = Math.max(0, count - dropped);
            while (entries.size() > keep) {
                delta -= entries.removeLast().bytes();
            }
            bytes += delta;
        }
        recorder.release(delta);
    }

    /** Drops everything and records nothing more (the recorder forgot this log). */
    void forget() {
        long delta;
        synchronized (this) {
            forgotten = true;
            delta = -bytes;
            entries.clear();
            bytes = 0;
        }
        recorder.release(delta);
    }

    /**
     * Replaces every string value longer than {@code max} characters in {@code node} by
     * {@code "[N characters not recorded]"}; returns how many characters that removed.
     */
    static int summariseLongStrings(JsonNode node, int max) {
        int removed = 0;
        if (node instanceof ObjectNode object) {
            for (var field : object.properties()) {
                removed += summarise(field.getValue(), max, field::setValue);
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                int at = i;
                removed += summarise(array.get(i), max, v -> array.set(at, v));
            }
        }
        return removed;
    }

    private static int summarise(JsonNode value, int max, Consumer<JsonNode> replace) {
        if (!value.isTextual() || value.textValue().length() <= max) {
            return summariseLongStrings(value, max);
        }
        String summary = "[" + value.textValue().length() + " characters not recorded]";
        replace.accept(Wire.mapper().getNodeFactory().textNode(summary));
        return value.textValue().length() - summary.length();
    }
}
