package dev.livegateway.tools;

/**
 * The tools a session asks for cannot be combined: the same entry twice, or two entries declaring
 * a function of the same name. gRPC: INVALID_ARGUMENT.
 */
public final class ToolConflictException extends ToolRegistryException {

    public ToolConflictException(String message) {
        super(message);
    }
}
