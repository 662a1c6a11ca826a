package dev.livegateway.session;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The word that a session ended, given once it has: the log's summary line (its target, how it
 * ended, how long it lasted, how often it moved), then the {@link SessionObserver}, then each end
 * listener in the order added (the registry, the admission's session slot and quota lease); a
 * listener that throws is logged and the next one still runs. Used on the session's context only.
 */
final class EndNotice {

    /** The session's own lines (session ended): they keep its logging category. */
    private static final Logger LOG = Logger.getLogger(LiveSession.class);

    private final SessionObserver observer;
    private final List<Consumer<SessionOutcome>> listeners = new ArrayList<>();

    EndNotice(SessionObserver observer) {
        this.observer = observer;
    }

    void add(Consumer<SessionOutcome> listener) {
        listeners.add(listener);
    }

    /** {@code session} ended with {@code outcome} after {@code resumptions} moves. */
    void ended(LiveSession session, SessionOutcome outcome, int resumptions) {
        LOG.infof("session ended on target %s: %s after %d s, %d resumptions", session.upstreamTarget(),
                outcome.cancelled() ? "cancelled by the caller" : outcome.error() == null ? "ok" : outcome.error().getMessage(),
                Duration.between(session.startedAt(), Instant.now()).toSeconds(), resumptions);
        observer.ended(session, outcome);
        for (Consumer<SessionOutcome> listener : listeners) {
            try {
                listener.accept(outcome);
            } catch (RuntimeException e) {
                LOG.warn("session end listener failed", e);
            }
        }
    }
}
