package dev.livegateway.tools;

/** A change through the API to an entry managed by a file of the tool directory. REST: 409. */
public final class ToolReadOnlyException extends ToolRegistryException {

    private final ToolEntry entry;

    public ToolReadOnlyException(ToolEntry entry) {
        super("tool '" + entry.name() + "' is managed by the file '" + entry.origin().file()
                + "' of the tool directory; change that file (or its ConfigMap) instead");
        this.entry = entry;
    }

    public ToolEntry entry() {
        return entry;
    }
}
