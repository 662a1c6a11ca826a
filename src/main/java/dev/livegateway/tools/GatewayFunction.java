package dev.livegateway.tools;

/**
 * A function the gateway runs for the model: the entry (and version) it comes from and the name
 * the model calls it by. For an MCP entry the name is the server's tool name.
 */
public record GatewayFunction(String name, ToolEntry entry) {

    public ToolKind kind() {
        return entry.kind();
    }

    /** The entry's behaviour for this function: NON_BLOCKING or BLOCKING (null: the model's default). */
    public FunctionBehavior behavior() {
        ToolDefinition d = entry.definition();
        return d.http() != null ? (d.http().function() == null ? null : d.http().function().behavior())
                : d.mcp().behavior();
    }

    /** The call policy, defaults filled in. */
    public GatewayCallPolicy policy() {
        ToolDefinition d = entry.definition();
        return d.http() != null ? d.http().effectivePolicy() : d.mcp().effectivePolicy();
    }
}
