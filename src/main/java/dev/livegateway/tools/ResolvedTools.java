package dev.livegateway.tools;

import dev.livegateway.wire.Tool;
import java.util.List;
import java.util.Map;

/**
 * What a session's tool references resolved to: the Live API {@code setup.tools} list and the
 * entry versions it came from. An immutable snapshot: later changes of the registry do not
 * reach a session that holds it (resumption and reconnection reuse it).
 *
 * @param setupTools the Live API tools, in this order: one tool with every function declaration
 *     (the caller's and the gateway's), then code execution, Google Search, one retrieval tool per RAG entry
 * @param versions the entries used, in the order the session named them
 * @param gatewayFunctions the functions the gateway runs ({@code http} and {@code mcp} entries), by name
 */
public record ResolvedTools(List<Tool> setupTools, List<ResolvedToolVersion> versions,
        Map<String, GatewayFunction> gatewayFunctions) {

    public static final ResolvedTools NONE = new ResolvedTools(List.of(), List.of(), Map.of());

    public ResolvedTools {
        setupTools = List.copyOf(setupTools);
        versions = List.copyOf(versions);
        gatewayFunctions = Map.copyOf(gatewayFunctions);
    }

    /** Tools without gateway-run functions. */
    public ResolvedTools(List<Tool> setupTools, List<ResolvedToolVersion> versions) {
        this(setupTools, versions, Map.of());
    }
}
