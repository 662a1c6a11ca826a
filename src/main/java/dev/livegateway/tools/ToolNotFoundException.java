package dev.livegateway.tools;

/** No entry of that name, or the version asked for is not (or no longer) kept. gRPC: NOT_FOUND. */
public final class ToolNotFoundException extends ToolRegistryException {

    private final String toolName;
    private final long version;

    public ToolNotFoundException(String toolName, long version, String message) {
        super(message);
        this.toolName = toolName;
        this.version = version;
    }

    public static ToolNotFoundException unknown(String toolName) {
        return new ToolNotFoundException(toolName, 0, "tool '" + toolName + "' is not in the tool registry");
    }

    public String toolName() {
        return toolName;
    }

    /** The version asked for; 0 when the current version was asked for. */
    public long version() {
        return version;
    }
}
