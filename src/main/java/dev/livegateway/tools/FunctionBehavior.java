package dev.livegateway.tools;

/** Live API {@code FunctionDeclaration.behavior}. */
public enum FunctionBehavior {
    /** The model waits for the function's response before it continues (the Live API default). */
    BLOCKING,
    /** The model keeps talking while the function runs; the response says how to schedule it. */
    NON_BLOCKING
}
