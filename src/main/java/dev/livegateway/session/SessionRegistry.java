package dev.livegateway.session;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The sessions this replica carries right now. */
@ApplicationScoped
public class SessionRegistry {

    private final Map<String, LiveSession> sessions = new ConcurrentHashMap<>();
    private volatile boolean draining;

    /** From now on the replica admits no new sessions (readiness reports DOWN). */
    public void startDraining() {
        draining = true;
    }

    public boolean draining() {
        return draining;
    }

    public void add(LiveSession session) {
        sessions.put(session.id(), session);
        session.onEnd(outcome -> sessions.remove(session.id()));
    }

    public Optional<LiveSession> find(String id) {
        return Optional.ofNullable(sessions.get(id));
    }

    public Collection<LiveSession> all() {
        return sessions.values();
    }

    public int size() {
        return sessions.size();
    }
}
