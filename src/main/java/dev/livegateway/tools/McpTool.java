package dev.livegateway.tools;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An MCP server whose tools the gateway runs ({@code mcp} in an entry), over the streamable HTTP
 * transport. Its tools (all, or those {@code tools} names) become function declarations, under
 * their MCP names with their input schemas as {@code parametersJsonSchema}; the gateway keeps the
 * list fresh when the server sends {@code notifications/tools/list_changed} (new sessions get the
 * new list). Header values may reference secrets as in {@link HttpTool}.
 *
 * @param url the server's streamable HTTP endpoint, {@code http} or {@code https}
 * @param tools the allow-list of tool names; empty or absent: every tool the server lists
 * @param headers request headers (e.g. {@code Authorization: Bearer ${secret:TOOL_SECRET_KB}})
 * @param behavior BLOCKING (default) or NON_BLOCKING, for every function of the server
 * @param policy timeout, retries, circuit breaker, response size, scheduling
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"url", "tools", "headers", "behavior", "policy"})
public record McpTool(String url, List<String> tools, Map<String, String> headers, FunctionBehavior behavior,
        GatewayCallPolicy policy) {

    public McpTool {
        tools = tools == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(tools));
        headers = headers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    /** The policy with defaults filled in. */
    public GatewayCallPolicy effectivePolicy() {
        return (policy == null ? GatewayCallPolicy.DEFAULTS : policy).orDefaults();
    }

    /** Whether the allow-list admits the server's tool {@code name}. */
    public boolean allows(String name) {
        return tools.isEmpty() || tools.contains(name);
    }
}
