package dev.livegateway.emulator;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * What the emulator received, per connection and per Live session, for tests and the
 * {@code GET /emulator/sessions} endpoint, within bounds: each connection's and each session's
 * messages within {@link EmulatorOptions#recordingMaxSessionBytes()} (oldest dropped), everything
 * within {@link EmulatorOptions#recordingMaxTotalBytes()} (oldest sessions forgotten), long
 * string values summarised. Thread-safe. The {@code await*} helpers block the calling thread: use
 * them from test threads, never from an event loop.
 */
public final class EmulatorRecorder {

    private final List<RecordedConnection> connections = new CopyOnWriteArrayList<>();
    private final List<RecordedSession> sessions = new CopyOnWriteArrayList<>();
    private final Map<String, RecordedSession> sessionsById = new ConcurrentHashMap<>();
    private final boolean recording;
    private final long maxLogBytes;
    private final long maxTotalBytes;
    private final AtomicLong totalBytes = new AtomicLong();
    private final AtomicLong droppedMessages = new AtomicLong();
    private final AtomicLong forgottenSessions = new AtomicLong();

    /** A recorder with the default bounds. */
    public EmulatorRecorder() {
        this(EmulatorOptions.defaults());
    }

    EmulatorRecorder(EmulatorOptions options) {
        this.recording = options.recording();
        this.maxLogBytes = options.recordingMaxSessionBytes();
        this.maxTotalBytes = options.recordingMaxTotalBytes();
    }

    /** Bytes of client frames kept now (counted once per connection and once per session keeping them). */
    public long recordedBytes() { return totalBytes.get(); }

    /** Messages dropped from the front of a connection's or a session's record to stay within its bound. */
    public long droppedMessages() { return droppedMessages.get(); }

    /** Live sessions forgotten, oldest first, to keep the whole record within its bound. */
    public long forgottenSessions() { return forgottenSessions.get(); }

    long maxLogBytes() { return maxLogBytes; }

    /** Adds what a log kept (may be negative) and what it dropped; forgets old sessions when over the total. */
    void charge(long deltaBytes, long dropped) {
        if (!recording) {
            return;
        }
        droppedMessages.addAndGet(dropped);
        if (totalBytes.addAndGet(deltaBytes) > maxTotalBytes) {
            forgetOldest();
        }
    }

    /** Gives back what a log released. */
    void release(long deltaBytes) {
        if (recording) {
            totalBytes.addAndGet(deltaBytes);
        }
    }

    /** Forgets the oldest sessions (and then connections) until the record is within its total bound. */
    private synchronized void forgetOldest() {
        while (totalBytes.get() > maxTotalBytes && sessions.size() > 1) {
            RecordedSession oldest = sessions.remove(0);
            sessionsById.remove(oldest.id());
            connections.removeAll(oldest.connections());
            oldest.forget();
            forgottenSessions.incrementAndGet();
        }
        while (totalBytes.get() > maxTotalBytes && connections.size() > 1) {
            connections.remove(0).forget();
        }
    }

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

    /** Forgets everything recorded so far (live connections keep working, unrecorded). */
    public synchronized void clear() {
        List<RecordedConnection> oldConnections = List.copyOf(connections);
        List<RecordedSession> oldSessions = List.copyOf(sessions);
        connections.clear();
        sessions.clear();
        sessionsById.clear();
        oldSessions.forEach(RecordedSession::forget);
        oldConnections.forEach(RecordedConnection::forget);
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
