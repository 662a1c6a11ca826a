package dev.livegateway.tools;

import io.smallrye.mutiny.Uni;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The registry as the REST API sees it: validation before anything is stored, and the rule that
 * entries from the tool directory are read-only through the API (their file is the source of
 * truth; a change through the API would be overwritten or resurrected by the next reload).
 */
public class ToolRegistry {

    private final ToolStore store;
    private final ToolValidator validator;

    public ToolRegistry(ToolStore store, ToolValidator validator) {
        this.store = store;
        this.validator = validator;
    }

    public ToolStore store() {
        return store;
    }

    public ToolValidator validator() {
        return validator;
    }

    public Uni<List<ToolEntry>> list() {
        return store.list();
    }

    public Uni<Optional<ToolEntry>> get(String name) {
        return store.get(name);
    }

    /** Creates an API-managed entry; fails with {@link InvalidToolException} or {@link ToolAlreadyExistsException}. */
    public Uni<ToolEntry> create(ToolDefinition definition) {
        return Uni.createFrom().item(definition)
                .invoke(this::requireValid)
                .chain(valid -> store.create(valid, ToolOrigin.API));
    }

    /**
     * Replaces an API-managed entry if its current version is {@code expectedVersion}; fails with
     * {@link InvalidToolException}, {@link ToolNotFoundException}, {@link ToolReadOnlyException}
     * or {@link ToolVersionMismatchException}.
     */
    public Uni<ToolEntry> replace(String name, long expectedVersion, ToolDefinition definition) {
        return Uni.createFrom().item(definition)
                .invoke(valid -> {
                    if (!name.equals(valid.name())) {
                        throw new InvalidToolException(name, List.of(new FieldError("name",
                                "'" + valid.name() + "' differs from the name in the path, '" + name
                                        + "'; an entry cannot be renamed (create the new name, delete the old)")));
                    }
                    requireValid(valid);
                })
                .chain(valid -> requireApiManaged(name))
                .chain(current -> store.replace(expectedVersion, definition, ToolOrigin.API));
    }

    /** Deletes an API-managed entry if its current version is {@code expectedVersion}. */
    public Uni<ToolEntry> delete(String name, long expectedVersion) {
        return requireApiManaged(name).chain(current -> store.delete(name, expectedVersion));
    }

    /** Number of current entries by where they are managed, for metrics and the status of reloads. */
    public Uni<Map<ToolSource, Long>> countBySource() {
        return store.list().map(entries -> {
            Map<ToolSource, Long> counts = new EnumMap<>(ToolSource.class);
            for (ToolSource source : ToolSource.values()) {
                counts.put(source, 0L);
            }
            entries.forEach(entry -> counts.merge(entry.origin().source(), 1L, Long::sum));
            return counts;
        });
    }

    private void requireValid(ToolDefinition definition) {
        List<FieldError> errors = validator.validate(definition);
        if (!errors.isEmpty()) {
            throw new InvalidToolException(definition.name(), errors);
        }
    }

    private Uni<ToolEntry> requireApiManaged(String name) {
        return store.get(name).map(current -> {
            ToolEntry entry = current.orElseThrow(() -> ToolNotFoundException.unknown(name));
            if (entry.origin().isFile()) {
                throw new ToolReadOnlyException(entry);
            }
            return entry;
        });
    }
}
