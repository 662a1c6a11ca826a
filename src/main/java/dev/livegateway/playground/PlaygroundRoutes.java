package dev.livegateway.playground;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Serves the playground's three static files (HTML, the page's script, the capture worklet) from
 * {@code src/main/resources/playground/} when {@link PlaygroundConfig#enabled()}: no build step,
 * nothing from a CDN. Outside {@code META-INF/resources} on purpose, so that they are served only
 * when enabled. The content security policy lets the page talk to this gateway only.
 */
@ApplicationScoped
public class PlaygroundRoutes {

    private static final Logger LOG = Logger.getLogger(PlaygroundRoutes.class);

    static final String CSP = "default-src 'self'; connect-src 'self' ws: wss:; style-src 'self' 'unsafe-inline';"
            + " media-src 'self' blob:; object-src 'none'; frame-ancestors 'none'";
    private static final Map<String, String> FILES = Map.of(
            "/playground", "index.html",
            "/playground/", "index.html",
            "/playground/app.js", "app.js",
            "/playground/capture-worklet.js", "capture-worklet.js");

    private final PlaygroundConfig config;

    PlaygroundRoutes(PlaygroundConfig config) {
        this.config = config;
    }

    void install(@Observes Router router) {
        if (!config.enabled()) {
            return;
        }
        FILES.forEach((path, file) -> {
            Buffer content = Buffer.buffer(read(file));
            String type = file.endsWith(".html") ? "text/html; charset=utf-8" : "text/javascript; charset=utf-8";
            router.get(path).handler(rc -> rc.response()
                    .putHeader(HttpHeaders.CONTENT_TYPE, type)
                    .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
                    .putHeader("Content-Security-Policy", CSP)
                    .putHeader("X-Content-Type-Options", "nosniff")
                    .end(content));
        });
        LOG.info("Browser playground at /playground (live-gateway.playground.enabled)");
    }

    private static byte[] read(String file) {
        try (InputStream in = PlaygroundRoutes.class.getClassLoader().getResourceAsStream("playground/" + file)) {
            if (in == null) {
                throw new IllegalStateException("playground/" + file + " is missing from the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
