package dev.livegateway.tools;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * Wires the registry. The in-memory {@link ToolStore} is a default bean: a shared store (Redis)
 * replaces it by being a {@code ToolStore} bean itself, with no change here.
 */
@ApplicationScoped
public class ToolsProducers {

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

    @Produces
    @Singleton
    @DefaultBean
    ToolStore toolStore(ToolsConfig config) {
        return new InMemoryToolStore(config.historySize(), Clock.systemUTC());
    }

    @Produces
    @Singleton
    ToolRegistry toolRegistry(ToolStore store, ToolValidator validator) {
        return new ToolRegistry(store, validator);
    }

    @Produces
    @Singleton
    ToolResolver toolResolver(ToolStore store, ToolsConfig config) {
        return new ToolResolver(store, config.historySize());
    }
}
