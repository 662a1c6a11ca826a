package dev.livegateway.tools;

/** Create of a name that is taken. REST: 409. */
public final class ToolAlreadyExistsException extends ToolRegistryException {

    private final ToolEntry existing;

    public ToolAlreadyExistsException(ToolEntry existing) {
        super("tool '" + existing.name() + "' already exists (version " + existing.version() + ")");
        this.existing = existing;
    }

    public ToolEntry existing() {
        return existing;
    }
}
