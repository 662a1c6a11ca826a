package dev.livegateway.session;

import dev.livegateway.toolrun.GatewayToolCalls;
import dev.livegateway.tools.GatewayFunction;
import java.util.Map;

/**
 * What a session needs to run the registry's gateway-run functions: the runner of calls and the
 * functions its tools declared, by name (from the resolved {@code http} and {@code mcp} entries).
 */
public record GatewayTools(GatewayToolCalls calls, Map<String, GatewayFunction> functions) {

    /** A session whose tools are all the caller's or Google's. */
    public static final GatewayTools NONE = new GatewayTools(null, Map.of());

    public GatewayTools {
        functions = Map.copyOf(functions);
    }
}
