package dev.livegateway.tools;

/**
 * A tool could not be resolved because a server it depends on did not answer: an {@code mcp}
 * entry's server did not list its tools in time. UNAVAILABLE for the caller, who may retry.
 */
public final class ToolUnavailableException extends ToolRegistryException {

    public ToolUnavailableException(String message) {
        super(message);
    }
}
