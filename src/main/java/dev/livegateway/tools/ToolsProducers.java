package dev.livegateway.tools;

import dev.livegateway.redis.RedisConnections;
import dev.livegateway.redis.StoreSelection;
import io.quarkus.arc.DefaultBean;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;
import java.time.Clock;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Wires the registry on the store chosen by {@code live-gateway.store} (in memory or Redis).
 */
@ApplicationScoped
public class ToolsProducers {

    private static final Logger LOG = Logger.getLogger(ToolsProducers.class);

    /**
     * Fails start-up with every range problem of {@code live-gateway.tools}, each naming its
     * property; before other start-up observers, the file source among them.
     */
    void validate(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent start, ToolsConfig config) {
        List<String> problems = config.problems();
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Invalid tools configuration:\n  - " + String.join("\n  - ", problems));
        }
    }

    @Produces
    @Singleton
    ToolValidator toolValidator(ToolsConfig config) {
        return new ToolValidator(config.limits().toToolLimits());
    }

    @Produces
    @Singleton
    ToolDocuments toolDocuments(ToolValidator validator) {
        return new ToolDocuments(validator);
    }

    /**
     * The store chosen by {@code live-gateway.store}: in memory (per replica), or Redis so that
     * every replica sees the same entries. Still a default bean: a {@code ToolStore} bean of a
     * test or an extension replaces it.
     */
    @Produces
    @Singleton
    @DefaultBean
    ToolStore toolStore(ToolsConfig config, StoreSelection stores, Instance<RedisConnections> redis) {
        if (stores.redis()) {
            RedisConnections connections = redis.get();
            LOG.infof("Tool registry kept in Redis at %s", connections.address());
            return new RedisToolStore(connections, config.historySize(), Clock.systemUTC());
        }
        return new InMemoryToolStore(config.historySize(), Clock.systemUTC());
    }

    @Produces
    @Singleton
    ToolRegistry toolRegistry(ToolStore store, ToolValidator validator) {
        return new ToolRegistry(store, validator);
    }

    @Produces
    @Singleton
    ToolResolver toolResolver(ToolStore store, ToolsConfig config, Instance<McpToolCatalog> mcp) {
        return new ToolResolver(store, config.historySize(), mcp.isResolvable() ? mcp.get() : McpToolCatalog.NONE);
    }
}
