package dev.livegateway.tools;

import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.Optional;

/**
 * Where registry entries live: every replica of the gateway must see the same entries, so the
 * operations are asynchronous and each change is one atomic compare-and-set on the entry's
 * version, which a shared store implements natively (a Redis implementation runs each operation
 * as one Lua script over a key per name; see {@code docs/tools.md}).
 *
 * <p>Contract for every implementation:
 * <ul>
 *   <li>Versions of a name start at 1 and grow by one on every create, replace and delete; a
 *       deleted name keeps its last version, so re-creating it continues the sequence and a name
 *       and version never identify two different contents.</li>
 *   <li>The last {@code history} versions of a live entry stay readable with {@link #get(String,
 *       long)}; deleting a name makes all its versions unreadable.</li>
 *   <li>The store assigns {@code version} and {@code updatedAt}; definitions are stored as given
 *       (validation happens before, in {@link ToolRegistry}).</li>
 *   <li>Failures arrive as the Uni's failure: {@link ToolAlreadyExistsException}, {@link
 *       ToolNotFoundException}, {@link ToolVersionMismatchException}.</li>
 * </ul>
 */
public interface ToolStore {

    /** The current version of {@code name}, if the name exists. */
    Uni<Optional<ToolEntry>> get(String name);

    /** Version {@code version} of {@code name}, if it is still kept. */
    Uni<Optional<ToolEntry>> get(String name, long version);

    /** The current version of every entry, ordered by name. */
    Uni<List<ToolEntry>> list();

    /** Stores {@code definition} if its name does not exist; fails with {@link ToolAlreadyExistsException}. */
    Uni<ToolEntry> create(ToolDefinition definition, ToolOrigin origin);

    /**
     * Stores {@code definition} as the next version of its name if the current version is
     * {@code expectedVersion}; fails with {@link ToolNotFoundException} or {@link
     * ToolVersionMismatchException} and then changes nothing.
     */
    Uni<ToolEntry> replace(long expectedVersion, ToolDefinition definition, ToolOrigin origin);

    /**
     * Deletes {@code name} if its current version is {@code expectedVersion}; fails with {@link
     * ToolNotFoundException} or {@link ToolVersionMismatchException} and then changes nothing.
     * Returns the deleted entry.
     */
    Uni<ToolEntry> delete(String name, long expectedVersion);
}
