package dev.livegateway.sessiontokens;

import dev.livegateway.auth.KeyHashes;
import dev.livegateway.redis.RedisConnections;
import dev.livegateway.redis.StoreSelection;
import io.grpc.Status;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import org.jboss.logging.Logger;

/**
 * Mints and redeems session tokens: short-lived, single-use, tenant-bound credentials that let a
 * browser start one session on the Live API WebSocket front without ever holding the tenant's key
 * (the gateway's equivalent of Google's ephemeral tokens). A token is {@value #PREFIX} and 32
 * random bytes in base64url; only its SHA-256 is stored, in the store {@code live-gateway.store}
 * chooses, and it is never logged.
 */
@ApplicationScoped
public class SessionTokens {

    private static final Logger LOG = Logger.getLogger(SessionTokens.class);

    /** Google's ephemeral tokens are {@code auth_tokens/…}; the SDKs recognise a token by it. */
    public static final String PREFIX = "auth_tokens/lg_";
    /** A used or expired token is remembered this long, so its next use is told why it fails. */
    static final Duration REMEMBERED_AFTER_EXPIRY = Duration.ofMinutes(10);

    private final SessionTokenConfig config;
    private final SessionTokenStore store;
    private final SecureRandom random = new SecureRandom();

    @Inject
    SessionTokens(SessionTokenConfig config, StoreSelection stores, Instance<RedisConnections> redis) {
        this(config, stores.redis() ? new RedisSessionTokenStore(redis.get()) : new InMemorySessionTokenStore());
    }

    SessionTokens(SessionTokenConfig config, SessionTokenStore store) {
        this.config = config;
        this.store = store;
    }

    void check(@Observes StartupEvent start) {
        check(config);
        LOG.infof("Session tokens: %s by default, at most %s, kept in %s", config.defaultTtl(), config.maxTtl(),
                store instanceof RedisSessionTokenStore ? "Redis" : "memory");
    }

    static void check(SessionTokenConfig config) {
        if (config.maxTtl().isNegative() || config.maxTtl().isZero()) {
            throw new IllegalStateException("live-gateway.session-tokens.max-ttl=" + config.maxTtl() + ": must be positive");
        }
        if (config.defaultTtl().isNegative() || config.defaultTtl().isZero()
                || config.defaultTtl().compareTo(config.maxTtl()) > 0) {
            throw new IllegalStateException("live-gateway.session-tokens.default-ttl=" + config.defaultTtl()
                    + ": must be positive and at most live-gateway.session-tokens.max-ttl (" + config.maxTtl() + ")");
        }
        if (config.maxTools() < 0) {
            throw new IllegalStateException("live-gateway.session-tokens.max-tools=" + config.maxTools()
                    + ": must be 0 or more");
        }
    }

    public SessionTokenConfig config() {
        return config;
    }

    /** A new token in clear (returned once, to the minting tenant) and what it stands for. */
    public record Minted(String token, SessionToken grant) {}

    /** Stores a new token for {@code grant}; the token in clear is in the result only. */
    public Uni<Minted> mint(SessionToken grant) {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        return store.save(digest(token), grant, grant.expiresAt().plus(REMEMBERED_AFTER_EXPIRY))
                .replaceWith(new Minted(token, grant));
    }

    /** Whether {@code credential} has the form of a session token (rather than an API key). */
    public static boolean isSessionToken(String credential) {
        return credential != null && credential.startsWith("auth_tokens/");
    }

    /**
     * Uses {@code token} once. Fails with UNAUTHENTICATED naming why (unknown, used, expired) and
     * what to do; a store failure passes through (UNAVAILABLE for the client).
     */
    public Uni<SessionToken> redeem(String token) {
        Instant now = Instant.now();
        return store.redeem(digest(token), now).map(redemption -> switch (redemption.outcome()) {
            case REDEEMED -> redemption.token();
            case USED -> throw refused("session token already used at " + redemption.usedAt()
                    + " (single-use): mint a new one with POST /v1/session-tokens");
            case EXPIRED -> throw refused("session token expired at " + redemption.token().expiresAt()
                    + ": mint a new one with POST /v1/session-tokens");
            case UNKNOWN -> throw refused("unknown session token (never minted, or expired long ago): mint one"
                    + " with POST /v1/session-tokens");
        });
    }

    private static RuntimeException refused(String message) {
        return Status.UNAUTHENTICATED.withDescription(message).asRuntimeException();
    }

    static String digest(String token) {
        return HexFormat.of().formatHex(KeyHashes.digest(token));
    }
}
