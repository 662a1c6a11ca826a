package dev.livegateway.tools;

/**
 * The version of an entry a session resolved, to report to the caller (SessionStarted), and its
 * kind (who runs it: the caller for {@code functions}, the gateway for {@code http} and
 * {@code mcp}, Google for the rest).
 */
public record ResolvedToolVersion(String name, long version, ToolKind kind) {

    /** Whether the gateway runs this entry's functions. */
    public boolean gatewayRun() {
        return kind == ToolKind.HTTP || kind == ToolKind.MCP;
    }

    /** Whether the caller answers this entry's function calls. */
    public boolean callerRun() {
        return kind == ToolKind.FUNCTIONS;
    }
}
