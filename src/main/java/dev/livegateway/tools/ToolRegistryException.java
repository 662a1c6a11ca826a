package dev.livegateway.tools;

/**
 * Base of the registry's expected failures. They describe the caller's situation, not a fault of
 * the gateway, so they carry no stack trace.
 */
public abstract class ToolRegistryException extends RuntimeException {

    protected ToolRegistryException(String message) {
        super(message, null, false, false);
    }
}
