package dev.livegateway.sessiontokens;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * Short-lived session tokens for browsers ({@code POST /v1/session-tokens}, README "Session
 * tokens"). Prefix {@code live-gateway.session-tokens}. Checked at start-up: both durations
 * positive, the default no longer than the maximum.
 */
@ConfigMapping(prefix = "live-gateway.session-tokens")
public interface SessionTokenConfig {

    /** How long a token may start a session when the request names no {@code expireTime} or {@code ttl}. */
    @WithDefault("60s")
    Duration defaultTtl();

    /**
     * The longest a token may live: a request asking for more is refused (400, naming the field),
     * not shortened. Tokens are for a browser about to connect, so minutes, not hours.
     */
    @WithDefault("15m")
    Duration maxTtl();

    /** Most registry tools one token's allow-list may name. */
    @WithDefault("32")
    int maxTools();
}
