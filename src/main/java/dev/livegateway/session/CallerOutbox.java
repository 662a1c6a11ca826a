package dev.livegateway.session;

import dev.livegateway.api.v1.ServerEvent;
import dev.livegateway.upstream.LiveConnection;
import java.util.ArrayDeque;

/**
 * Events on their way to the caller. They go straight out while the caller's stream is ready;
 * otherwise they queue, and at {@code live-gateway.limits.caller-buffer-events} the session stops
 * reading the Live API's WebSocket (TCP backpressure) until the caller has taken half of them.
 * Used on the session's context only.
 */
final class CallerOutbox {

    private final LiveSession session;
    private final CallerChannel caller;
    private final SessionObserver observer;
    private final int limit;
    private final ArrayDeque<ServerEvent> queued = new ArrayDeque<>();
    private boolean upstreamPaused;

    CallerOutbox(LiveSession session, CallerChannel caller, SessionObserver observer, int limit) {
        this.session = session;
        this.caller = caller;
        this.observer = observer;
        this.limit = limit;
    }

    /** Sends or queues {@code event}; pauses {@code connection} (may be null) when the queue is full. */
    void send(ServerEvent event, LiveConnection connection) {
        if (queued.isEmpty() && caller.isReady()) {
            deliver(event);
            return;
        }
        queued.add(event);
        if (queued.size() >= limit && !upstreamPaused && connection != null) {
            // The caller reads slower than the model speaks: stop reading the WebSocket.
            upstreamPaused = true;
            connection.pause();
        }
    }

    /** The caller is ready again: sends what it takes and resumes {@code connection} once half is gone. */
    void drain(LiveConnection connection) {
        while (!queued.isEmpty() && caller.isReady()) {
            deliver(queued.poll());
        }
        if (upstreamPaused && queued.size() <= limit / 2 && connection != null) {
            upstreamPaused = false;
            connection.resume();
        }
    }

    /** A new connection starts reading. */
    void attached() {
        upstreamPaused = false;
    }

    /** Hands everything queued to the caller's transport (gRPC buffers it) before the stream completes. */
    void flush() {
        while (!queued.isEmpty()) {
            deliver(queued.poll());
        }
    }

    void clear() {
        queued.clear();
    }

    /** Approximate off-context. */
    int size() {
        return queued.size();
    }

    boolean upstreamPaused() {
        return upstreamPaused;
    }

    private void deliver(ServerEvent event) {
        caller.send(event);
        observer.serverEvent(session, event);
    }
}
