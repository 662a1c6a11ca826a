package dev.livegateway.tools;

/** A compare-and-set found another version than expected: someone changed the entry first. REST: 412. */
public final class ToolVersionMismatchException extends ToolRegistryException {

    private final ToolEntry current;
    private final long expectedVersion;

    public ToolVersionMismatchException(ToolEntry current, long expectedVersion) {
        super("tool '" + current.name() + "' is at version " + current.version() + ", not " + expectedVersion
                + "; read it again and reapply the change");
        this.current = current;
        this.expectedVersion = expectedVersion;
    }

    public ToolEntry current() {
        return current;
    }

    public long expectedVersion() {
        return expectedVersion;
    }
}
