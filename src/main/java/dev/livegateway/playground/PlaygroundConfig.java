package dev.livegateway.playground;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The browser playground at {@code /playground} (README, "The browser playground"). Prefix
 * {@code live-gateway.playground}.
 */
@ConfigMapping(prefix = "live-gateway.playground")
public interface PlaygroundConfig {

    /**
     * Serve the playground. On in the dev, test and emulator profiles, off by default elsewhere:
     * it holds no key (it mints a session token per connection, asking for the tenant key when the
     * gateway has no anonymous tenant), but a production gateway need not offer a UI.
     */
    @WithDefault("false")
    boolean enabled();
}
