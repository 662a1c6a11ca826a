package dev.livegateway.session;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.jboss.logging.Logger;

/**
 * A session's resume token: minted with the first usable handle, saved in the {@link ResumeTokenStore}
 * with the newest handle (at most every few seconds unless forced), handed to the caller when the
 * stream ends or the gateway goes away. The store refuses a save once another stream took the
 * token: {@code taken} then runs (on any thread) and the token is never saved or handed out again.
 * Used on the session's context only.
 */
final class ResumeToken {

    private static final Logger LOG = Logger.getLogger(ResumeToken.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long SAVE_INTERVAL_NANOS = Duration.ofSeconds(5).toNanos();

    private final ResumeTokenStore store;
    private final SessionPlan plan;
    private final Duration ttl;
    private final Runnable taken;
    private String token;
    private boolean takenElsewhere;
    private long lastSaveNanos;
    /** The upstream target holding the conversation (its handles are valid there only); null until placed. */
    private String upstreamTarget;
    /** The record saved last: the next save reuses its setup JSON and tool names instead of writing them again. */
    private ResumeTokenStore.ResumeRecord lastSaved;

    ResumeToken(ResumeTokenStore store, SessionPlan plan, Duration ttl, Runnable taken) {
        this.store = store;
        this.plan = plan;
        this.ttl = ttl;
        this.taken = taken;
    }

    /** The token, or null before the first usable handle. */
    String value() {
        return token;
    }

    /** Mints the token if there is none yet; whether it was minted now. */
    boolean mint() {
        if (token != null) {
            return false;
        }
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        token = "lgrt_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        return true;
    }

    Instant expiry() {
        return Instant.now().plus(ttl);
    }

    /** The session was placed on {@code target}: tokens saved from now on resume there. */
    void placedOn(String target) {
        upstreamTarget = target;
    }

    /** Another stream took the token. */
    void takenElsewhere() {
        takenElsewhere = true;
    }

    /** Stores {@code handle} under the token; at most every few seconds unless {@code force}. */
    void save(String handle, boolean force) {
        if (token == null || handle == null || takenElsewhere) {
            return;
        }
        long now = System.nanoTime();
        if (!force && now - lastSaveNanos < SAVE_INTERVAL_NANOS) {
            return;
        }
        lastSaveNanos = now;
        ResumeTokenStore.ResumeRecord record = lastSaved == null
                ? ResumeTokenStore.ResumeRecord.of(plan, handle, expiry(), upstreamTarget)
                : lastSaved.with(handle, expiry(), upstreamTarget);
        lastSaved = record;
        store.save(token, record).subscribe().with(saved -> {
            if (!saved) {
                taken.run();
            }
        }, e -> LOG.warnf("could not store the resume token: %s", e.getMessage()));
    }

    /** The token to give the caller when the stream ends, after saving {@code handle}; null if none. */
    String forCaller(String handle) {
        if (handle == null || takenElsewhere) {
            return null;
        }
        mint();
        save(handle, true);
        return token;
    }
}
