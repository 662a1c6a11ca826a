package dev.livegateway.tools;

import dev.livegateway.wire.Tool;
import io.smallrye.mutiny.Uni;
import java.util.List;

/**
 * The tools an MCP entry's server offers, as function declarations (its allow-list applied), for
 * resolving sessions' tools. Implemented where the MCP client lives; the registry only asks.
 */
public interface McpToolCatalog {

    /** The declarations of {@code entry}'s server; fails when the server cannot be reached. */
    Uni<List<Tool.FunctionDeclaration>> functions(ToolEntry entry);

    /** A catalog without servers: every MCP entry fails to resolve (for tests of the other kinds). */
    McpToolCatalog NONE = entry -> Uni.createFrom().failure(new IllegalStateException(
            "no MCP client is configured to list the tools of '" + entry.name() + "'"));
}
