package dev.livegateway.tools;

import io.smallrye.mutiny.Uni;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The registry in this process' memory: right for one replica, or for several replicas whose
 * entries all come from the same files. Each name's state is an immutable value swapped
 * atomically with {@link ConcurrentMap#compute}, so concurrent changes of one name serialise and
 * exactly one of several writers expecting the same version wins.
 */
public final class InMemoryToolStore implements ToolStore {

    /** A name's kept versions (oldest first; empty once deleted) and its last version number. */
    private record History(long lastVersion, List<ToolEntry> kept) {

        Optional<ToolEntry> current() {
            return kept.isEmpty() ? Optional.empty() : Optional.of(kept.get(kept.size() - 1));
        }
    }

    private final ConcurrentMap<String, History> histories = new ConcurrentHashMap<>();
    private final int historySize;
    private final Clock clock;

    /**
     * @param historySize versions kept per name, the current one included
     */
    public InMemoryToolStore(int historySize, Clock clock) {
        if (historySize < 1) {
            throw new IllegalArgumentException("historySize must be at least 1, got " + historySize);
        }
        this.historySize = historySize;
        this.clock = clock;
    }

    @Override
    public Uni<Optional<ToolEntry>> get(String name) {
        return Uni.createFrom().item(() -> {
            History history = histories.get(name);
            return history == null ? Optional.empty() : history.current();
        });
    }

    @Override
    public Uni<Optional<ToolEntry>> get(String name, long version) {
        return Uni.createFrom().item(() -> {
            History history = histories.get(name);
            if (history == null) {
                return Optional.empty();
            }
            return history.kept().stream().filter(entry -> entry.version() == version).findFirst();
        });
    }

    @Override
    public Uni<List<ToolEntry>> list() {
        return Uni.createFrom().item(() -> histories.values().stream()
                .map(History::current)
                .flatMap(Optional::stream)
                .sorted(Comparator.comparing(ToolEntry::name))
                .toList());
    }

    @Override
    public Uni<ToolEntry> create(ToolDefinition definition, ToolOrigin origin) {
        return Uni.createFrom().item(() -> {
            AtomicReference<ToolEntry> created = new AtomicReference<>();
            histories.compute(definition.name(), (name, history) -> {
                if (history != null && history.current().isPresent()) {
                    throw new ToolAlreadyExistsException(history.current().get());
                }
                long version = history == null ? 1 : history.lastVersion() + 1;
                ToolEntry entry = new ToolEntry(definition, version, origin, clock.instant());
                created.set(entry);
                return new History(version, List.of(entry));
            });
            return created.get();
        });
    }

    @Override
    public Uni<ToolEntry> replace(long expectedVersion, ToolDefinition definition, ToolOrigin origin) {
        return Uni.createFrom().item(() -> {
            AtomicReference<ToolEntry> replaced = new AtomicReference<>();
            histories.compute(definition.name(), (name, history) -> {
                ToolEntry current = currentOrThrow(name, history);
                if (current.version() != expectedVersion) {
                    throw new ToolVersionMismatchException(current, expectedVersion);
                }
                long version = history.lastVersion() + 1;
                ToolEntry entry = new ToolEntry(definition, version, origin, clock.instant());
                replaced.set(entry);
                List<ToolEntry> kept = new ArrayList<>(history.kept());
                kept.add(entry);
                while (kept.size() > historySize) {
                    kept.remove(0);
                }
                return new History(version, List.copyOf(kept));
            });
            return replaced.get();
        });
    }

    @Override
    public Uni<ToolEntry> delete(String name, long expectedVersion) {
        return Uni.createFrom().item(() -> {
            AtomicReference<ToolEntry> deleted = new AtomicReference<>();
            histories.compute(name, (key, history) -> {
                ToolEntry current = currentOrThrow(key, history);
                if (current.version() != expectedVersion) {
                    throw new ToolVersionMismatchException(current, expectedVersion);
                }
                deleted.set(current);
                // The tombstone keeps the version sequence going for a later create.
                return new History(history.lastVersion() + 1, List.of());
            });
            return deleted.get();
        });
    }

    private static ToolEntry currentOrThrow(String name, History history) {
        if (history == null || history.current().isEmpty()) {
            throw ToolNotFoundException.unknown(name);
        }
        return history.current().get();
    }
}
