package dev.livegateway.websocket;

import dev.livegateway.config.LimitsConfig;
import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * WebSocket messages as large as the gateway's limits admit: Vert.x's defaults (64 KiB frames,
 * 256 KiB messages) would close a client sending one video frame of {@code live-gateway.limits
 * .max-video-frame-bytes} (2 MiB, base64 in JSON) with 1009 before the gateway saw it. Browsers
 * send a message as one frame, so frames may be as large as messages.
 */
@ApplicationScoped
public class LiveApiMessageSize implements HttpServerOptionsCustomizer {

    private final LimitsConfig limits;

    LiveApiMessageSize(LimitsConfig limits) {
        this.limits = limits;
    }

    /** The largest Live API client message: a base64 video frame at the limit, plus 1 MiB for the JSON around it. */
    int maxMessageBytes() {
        long base64 = (limits.maxVideoFrameBytes() + 2L) / 3 * 4;
        return (int) Math.min(Integer.MAX_VALUE, base64 + 1024 * 1024);
    }

    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        options.setMaxWebSocketMessageSize(maxMessageBytes()).setMaxWebSocketFrameSize(maxMessageBytes());
    }

    @Override
    public void customizeHttpsServer(HttpServerOptions options) {
        customizeHttpServer(options);
    }
}
