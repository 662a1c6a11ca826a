package dev.livegateway.tools;

import java.time.Instant;
import java.util.Objects;

/**
 * One stored version of a registry entry. Versions of a name increase by one on every change and
 * are never reused, even after the name is deleted and created again, so a name and a version
 * always identify the same content (they are the entry's ETag).
 */
public record ToolEntry(ToolDefinition definition, long version, ToolOrigin origin, Instant updatedAt) {

    public ToolEntry {
        Objects.requireNonNull(definition, "definition");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(updatedAt, "updatedAt");
        if (version < 1) {
            throw new IllegalArgumentException("versions start at 1, got " + version);
        }
    }

    public String name() {
        return definition.name();
    }

    public ToolKind kind() {
        return definition.kind();
    }
}
