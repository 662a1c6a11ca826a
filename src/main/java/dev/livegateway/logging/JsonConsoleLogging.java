package dev.livegateway.logging;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.LogContext;
import org.jboss.logmanager.handlers.ConsoleHandler;

/**
 * JSON console logs without an extra extension: Quarkus 3.37 core only formats the console with a
 * pattern and the {@code quarkus-logging-json} extension is not available, so when
 * {@code live-gateway.logging.json=true} this bean gives the console handler a {@link JsonLineFormatter}
 * as the application starts (lines logged by Quarkus before that keep the pattern).
 */
@ApplicationScoped
public class JsonConsoleLogging {

    private final LoggingConfig config;

    JsonConsoleLogging(LoggingConfig config) {
        this.config = config;
    }

    void install(@Observes @Priority(1) StartupEvent event) {
        if (config.json()) {
            Handler[] handlers = LogContext.getLogContext().getLogger("").getHandlers();
            useFormatter(handlers, formatter(config.service()));
        }
    }

    /** One compact JSON object per line, with the MDC (session id) and a {@code service} field. */
    public static Formatter formatter(String service) {
        return new JsonLineFormatter(service);
    }

    /** Gives every console handler among {@code handlers} (and their nested handlers) the formatter; returns how many. */
    public static int useFormatter(Handler[] handlers, Formatter formatter) {
        int replaced = 0;
        for (Handler handler : handlers) {
            if (handler instanceof ConsoleHandler) {
                handler.setFormatter(formatter);
                replaced++;
            }
            if (handler instanceof ExtHandler ext) {
                replaced += useFormatter(ext.getHandlers(), formatter);
            }
        }
        return replaced;
    }
}
