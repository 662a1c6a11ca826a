package dev.livegateway.sessiontokens;

import io.smallrye.mutiny.Uni;
import java.time.Instant;

/**
 * Where session tokens live, keyed by the SHA-256 of the token (never the token itself): in the
 * replica's memory or in Redis, the store {@code live-gateway.store} chooses for all shared state,
 * so a token minted on one replica starts a session on any.
 *
 * <p>{@link #redeem} is atomic: of several connections presenting one token, exactly one gets it.
 * A redeemed token stays as a "used" mark until it would have been forgotten anyway, so a second
 * use is told the token was used rather than that it is unknown; an expired one is remembered for
 * a while too ({@link SessionTokens#REMEMBERED_AFTER_EXPIRY}), for the same reason.
 */
public interface SessionTokenStore {

    /** How a redemption went. */
    enum Outcome {
        /** The token is the caller's; it is now used. */
        REDEEMED,
        /** No such token (never minted, or forgotten long after its expiry). */
        UNKNOWN,
        /** The token was redeemed before ({@link Redemption#usedAt()}). */
        USED,
        /** The token's expiry passed. */
        EXPIRED
    }

    /** The outcome; {@code token} unless UNKNOWN, {@code usedAt} when USED. */
    record Redemption(Outcome outcome, SessionToken token, Instant usedAt) {

        static final Redemption UNKNOWN = new Redemption(Outcome.UNKNOWN, null, null);
    }

    /** Stores a new token under its digest, to be forgotten at {@code forgetAt}. */
    Uni<Void> save(String digest, SessionToken token, Instant forgetAt);

    /** Atomically uses the token with this digest, if it exists, is unused and has not expired at {@code now}. */
    Uni<Redemption> redeem(String digest, Instant now);
}
