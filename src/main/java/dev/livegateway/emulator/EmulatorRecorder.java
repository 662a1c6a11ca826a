package dev.livegateway.emulator;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Everything the emulator received, per connection and per Live session, for tests and the
 * {@code GET /emulator/sessions} endpoint. Thread-safe. The {@code await*} helpers block the
 * calling thread: use them from test threads, never from an event loop.
 */
public final class EmulatorRecorder {

    private final List<RecordedConnection> connections = new CopyOnWriteArrayList<>();
    private final List<RecordedSession> sessions = new CopyOnWriteArrayList<>();
    private final Map<String, RecordedSession> sessionsById = new ConcurrentHashMap<>();

    public List<RecordedConnection> connections() { return List.copyOf(connections); }

    public List<RecordedSession> sessions() { return List.copyOf(sessions); }

    public Optional<RecordedConnection> latestConnection() {
        List<RecordedConnection> all = connections();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /** The most recently created Live session. */
    public Optional<RecordedSession> latestSession() {
        List<RecordedSession> all = sessions();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /** The Live session with this id ({@code setupComplete.sessionId}). */
    public Optional<RecordedSession> session(String liveSessionId) {
        return Optional.ofNullable(sessionsById.get(liveSessionId));
    }

    /** Waits for the first Live session matching {@code predicate}. */
    public RecordedSession awaitSession(Predicate<RecordedSession> predicate, Duration timeout) {
        return poll(timeout, () -> sessions().stream().filter(predicate).findFirst().orElse(null),
                () -> "no matching Live session among " + sessions().size());
    }

    /** Waits until a Live session exists and returns the latest one. */
    public RecordedSession awaitLatestSession(Duration timeout) {
        return poll(timeout, () -> latestSession().orElse(null), () -> "no Live session was set up");
    }

    /** Waits until at least {@code count} connections were upgraded; returns them all. */
    public List<RecordedConnection> awaitConnections(int count, Duration timeout) {
        return poll(timeout, () -> {
            List<RecordedConnection> all = connections();
            return all.size() >= count ? all : null;
        }, () -> connections().size() + " connections, expected " + count);
    }

    /** Forgets everything recorded so far (live connections keep working). */
    public void clear() {
        connections.clear();
        sessions.clear();
        sessionsById.clear();
    }

    void addConnection(RecordedConnection c) { connections.add(c); }

    void addSession(RecordedSession s) {
        sessions.add(s);
        sessionsById.put(s.id(), s);
    }

    static <T> T poll(Duration timeout, Supplier<T> probe, Supplier<String> failure) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T value = probe.get();
            if (value != null) {
                return value;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms: " + failure.get());
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting", e);
            }
        }
    }
}
