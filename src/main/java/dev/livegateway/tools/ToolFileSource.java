package dev.livegateway.tools;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Keeps the registry in step with a directory of YAML or JSON tool files (in Kubernetes, a mounted
 * ConfigMap). Each reload reads every {@code *.yaml}, {@code *.yml} and {@code *.json} file,
 * following symbolic links and skipping hidden names and kustomize's {@code kustomization.yaml}, so a ConfigMap update (an atomic swap of the
 * {@code ..data} link) is seen whole. Then it creates, replaces or deletes the {@link
 * ToolSource#FILE} entries so that they match the files.
 *
 * <p>A bad file or entry never takes away a good one: an invalid entry keeps its previous state,
 * an unreadable file keeps all the entries it held, and the problems are logged and returned.
 * Entries managed through the API are never touched; a file naming one is a problem. Reloads are
 * idempotent, so several replicas can apply the same directory to one shared store.
 *
 * <p>Blocking (file IO and awaiting the store): call it from a worker thread.
 */
public final class ToolFileSource {

    private static final Logger LOG = Logger.getLogger(ToolFileSource.class);
    private static final int STORE_ATTEMPTS = 3;
    /** kustomize's own file names: a tool directory may also be the kustomization that builds its ConfigMap. */
    private static final java.util.Set<String> KUSTOMIZE_FILES = java.util.Set.of("kustomization.yaml", "kustomization.yml",
            "Kustomization");

    /** What a reload did to one entry. */
    public enum ChangeKind {
        CREATED,
        UPDATED,
        DELETED
    }

    /** One change a reload made. {@code version} is the new version, or the deleted one. */
    public record Change(ChangeKind kind, String name, long version, String file) {
        @Override
        public String toString() {
            return kind.name().toLowerCase() + " " + name + " v" + version + " (" + file + ")";
        }
    }

    /**
     * A file, or one entry of it, that could not be applied; the registry keeps what it had.
     *
     * @param entry which entry of the file ({@code #index} and its name when known), or null for the whole file
     */
    public record Problem(String file, String entry, List<String> messages) {
        @Override
        public String toString() {
            return file + (entry == null ? "" : ", entry " + entry) + ": " + String.join("; ", messages);
        }
    }

    /** The outcome of one reload. */
    public record Result(List<Change> changes, List<Problem> problems, int unchanged) {
        public boolean clean() {
            return problems.isEmpty();
        }
    }

    private record Candidate(String file, ToolDefinition definition) {}

    private final Path directory;
    private final ToolDocuments documents;
    private final ToolStore store;
    private final Duration storeTimeout;
    private String appliedFingerprint;
    /** The names the last clean reload put in the store (or found there). */
    private Set<String> appliedNames = Set.of();

    public ToolFileSource(Path directory, ToolDocuments documents, ToolStore store, Duration storeTimeout) {
        this.directory = directory;
        this.documents = documents;
        this.store = store;
        this.storeTimeout = storeTimeout;
    }

    public Path directory() {
        return directory;
    }

    /**
     * Reloads when the files' content changed since the last reload that applied cleanly, or when
     * entries it applied are missing from the store.
     */
    public synchronized Optional<Result> reloadIfChanged() throws IOException {
        Map<String, byte[]> contents = readDirectory();
        if (fingerprint(contents).equals(appliedFingerprint) && storeHoldsAppliedEntries()) {
            return Optional.empty();
        }
        return Optional.of(apply(contents));
    }

    /**
     * False when entries of the last applied reload are gone from the store, which only happens
     * when a shared store lost its data (a Redis restarted without persistence): file entries
     * cannot be deleted through the API. The files are then applied again, so every replica
     * restores them. A store that cannot be read counts as holding them; the next poll checks again.
     */
    private boolean storeHoldsAppliedEntries() {
        if (appliedNames.isEmpty()) {
            return true;
        }
        Set<String> present;
        try {
            present = store.list().await().atMost(storeTimeout).stream().map(ToolEntry::name).collect(Collectors.toSet());
        } catch (RuntimeException e) {
            LOG.debugf("Tool directory %s: cannot check the store: %s", directory, e.getMessage());
            return true;
        }
        if (present.containsAll(appliedNames)) {
            return true;
        }
        List<String> missing = appliedNames.stream().filter(name -> !present.contains(name)).sorted().toList();
        LOG.warnf("Tool directory %s: entries %s are missing from the store (did it lose its data?); applying the"
                + " files again", directory, missing);
        return false;
    }

    /** Reads the directory and applies it, whether or not it changed. */
    public synchronized Result reload() throws IOException {
        return apply(readDirectory());
    }

    /**
     * The tool files by name; a file that could not be read maps to null. Fails when the directory
     * itself cannot be listed.
     */
    /** Whether a directory entry is read as a tool file: YAML or JSON, not hidden, not kustomize's own. */
    static boolean isToolFile(Path path) {
        String name = path.getFileName().toString();
        return !name.startsWith(".") && !KUSTOMIZE_FILES.contains(name) && ToolDocuments.Format.ofFileName(name) != null;
    }

    private Map<String, byte[]> readDirectory() throws IOException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(directory)) {
            files = listing
                    .filter(ToolFileSource::isToolFile)
                    .filter(Files::isRegularFile)
                    .sorted()
                    .toList();
        }
        Map<String, byte[]> contents = new LinkedHashMap<>();
        for (Path file : files) {
            try {
                contents.put(file.getFileName().toString(), Files.readAllBytes(file));
            } catch (IOException e) {
                // A ConfigMap swap can remove the target between listing and reading; retried next time.
                contents.put(file.getFileName().toString(), null);
            }
        }
        return contents;
    }

    private Result apply(Map<String, byte[]> contents) {
        List<Problem> problems = new ArrayList<>();
        Map<String, Candidate> wanted = new LinkedHashMap<>();
        Set<String> keepNames = new HashSet<>();
        Set<String> keepFiles = new HashSet<>();
        for (Map.Entry<String, byte[]> file : contents.entrySet()) {
            parseFile(file.getKey(), file.getValue(), wanted, keepNames, keepFiles, problems);
        }

        List<Change> changes = new ArrayList<>();
        int unchanged = 0;
        boolean storeFailed = false;
        for (Candidate candidate : wanted.values()) {
            try {
                Optional<Change> change = upsert(candidate, problems);
                if (change.isPresent()) {
                    changes.add(change.get());
                } else {
                    unchanged++;
                }
            } catch (RuntimeException e) {
                storeFailed = true;
                problems.add(new Problem(candidate.file(), "'" + candidate.definition().name() + "'",
                        List.of("could not be stored: " + e)));
            }
        }
        try {
            for (ToolEntry entry : store.list().await().atMost(storeTimeout)) {
                boolean orphan = entry.origin().isFile()
                        && !wanted.containsKey(entry.name())
                        && !keepNames.contains(entry.name())
                        && !keepFiles.contains(entry.origin().file());
                if (orphan) {
                    deleteOrphan(entry).ifPresent(changes::add);
                }
            }
        } catch (RuntimeException e) {
            storeFailed = true;
            problems.add(new Problem(directory.toString(), null, List.of("could not remove deleted entries: " + e)));
        }

        boolean unreadable = contents.containsValue(null);
        // Only a reload that got everything it could into the store counts as applied: a store
        // failure or a file read during a ConfigMap swap is retried at the next poll.
        appliedFingerprint = storeFailed || unreadable ? null : fingerprint(contents);
        appliedNames = appliedFingerprint == null ? Set.of() : Set.copyOf(wanted.keySet());
        Result result = new Result(List.copyOf(changes), List.copyOf(problems), unchanged);
        log(result);
        return result;
    }

    private void parseFile(String file, byte[] content, Map<String, Candidate> wanted, Set<String> keepNames,
            Set<String> keepFiles, List<Problem> problems) {
        if (content == null) {
            keepFiles.add(file);
            problems.add(new Problem(file, null, List.of("could not be read; its entries are kept as they were")));
            return;
        }
        List<ToolDocuments.Parsed> entries;
        try {
            entries = documents.readFile(content, ToolDocuments.Format.ofFileName(file));
        } catch (ToolDocuments.UnreadableDocumentException e) {
            keepFiles.add(file);
            problems.add(new Problem(file, null, List.of(e.getMessage() + "; its entries are kept as they were")));
            return;
        }
        for (ToolDocuments.Parsed parsed : entries) {
            String label = "#" + parsed.index() + (parsed.name() == null ? "" : " '" + parsed.name() + "'");
            if (!parsed.valid()) {
                if (parsed.name() != null) {
                    keepNames.add(parsed.name());
                } else {
                    // Without a name the entry cannot be told apart: keep everything of that file.
                    keepFiles.add(file);
                }
                problems.add(new Problem(file, label, parsed.errors().stream().map(FieldError::toString).toList()));
                continue;
            }
            Candidate previous = wanted.putIfAbsent(parsed.name(), new Candidate(file, parsed.definition()));
            if (previous != null) {
                problems.add(new Problem(file, label, List.of("tool '" + parsed.name()
                        + "' is already defined in " + previous.file() + "; the first definition is used")));
            }
        }
    }

    /** Creates or replaces the entry of {@code candidate}, retrying when another replica got there first. */
    private Optional<Change> upsert(Candidate candidate, List<Problem> problems) {
        ToolDefinition definition = candidate.definition();
        ToolOrigin origin = ToolOrigin.file(candidate.file());
        for (int attempt = 1; ; attempt++) {
            Optional<ToolEntry> current = store.get(definition.name()).await().atMost(storeTimeout);
            try {
                if (current.isEmpty()) {
                    ToolEntry created = store.create(definition, origin).await().atMost(storeTimeout);
                    return Optional.of(new Change(ChangeKind.CREATED, created.name(), created.version(), candidate.file()));
                }
                ToolEntry existing = current.get();
                if (!existing.origin().isFile()) {
                    problems.add(new Problem(candidate.file(), "'" + definition.name() + "'", List.of("tool '"
                            + definition.name() + "' exists and is managed through the REST API; delete it there "
                            + "or rename the entry in the file")));
                    return Optional.empty();
                }
                if (existing.definition().equals(definition) && existing.origin().equals(origin)) {
                    return Optional.empty();
                }
                ToolEntry replaced = store.replace(existing.version(), definition, origin).await().atMost(storeTimeout);
                return Optional.of(new Change(ChangeKind.UPDATED, replaced.name(), replaced.version(), candidate.file()));
            } catch (ToolAlreadyExistsException | ToolVersionMismatchException | ToolNotFoundException raced) {
                if (attempt == STORE_ATTEMPTS) {
                    throw raced;
                }
            }
        }
    }

    private Optional<Change> deleteOrphan(ToolEntry entry) {
        try {
            ToolEntry deleted = store.delete(entry.name(), entry.version()).await().atMost(storeTimeout);
            return Optional.of(new Change(ChangeKind.DELETED, deleted.name(), deleted.version(), entry.origin().file()));
        } catch (ToolNotFoundException | ToolVersionMismatchException raced) {
            // Another replica applied the same directory first, or the file came back meanwhile.
            return Optional.empty();
        }
    }

    private void log(Result result) {
        if (!result.changes().isEmpty()) {
            LOG.infof("Tool directory %s reloaded: %s; %d unchanged", directory,
                    result.changes().stream().map(Change::toString).collect(Collectors.joining(", ")),
                    result.unchanged());
        } else {
            LOG.debugf("Tool directory %s reloaded: no change (%d entries)", directory, result.unchanged());
        }
        for (Problem problem : result.problems()) {
            LOG.errorf("Tool file problem in %s, previous state kept: %s", directory, problem);
        }
    }

    private static String fingerprint(Map<String, byte[]> contents) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            Map<String, byte[]> sorted = new HashMap<>(contents);
            sorted.keySet().stream().sorted().forEach(name -> {
                digest.update(name.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                byte[] content = sorted.get(name);
                digest.update(content == null ? new byte[] {1} : content);
                digest.update((byte) 0);
            });
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
