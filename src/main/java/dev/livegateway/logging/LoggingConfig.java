package dev.livegateway.logging;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Log output. Prefix {@code live-gateway.logging}. */
@ConfigMapping(prefix = "live-gateway.logging")
public interface LoggingConfig {

    /**
     * Write console logs as one JSON object per line (timestamp, level, logger, message, thread,
     * MDC with the {@code session} id and, with tracing on, {@code traceId}/{@code spanId}).
     * On in the production profile; dev and test keep the readable pattern.
     */
    @WithDefault("false")
    boolean json();

    /** Value of the {@code service} field added to every JSON line. */
    @WithDefault("live-gateway")
    String service();
}
