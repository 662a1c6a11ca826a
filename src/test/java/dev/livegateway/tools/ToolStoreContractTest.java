package dev.livegateway.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link ToolStore} contract, run against every implementation. "Replicas" are separate store
 * clients ({@link #newStore}); for Redis, separate connections to one server.
 */
abstract class ToolStoreContractTest {

    static final int HISTORY = 3;

    /** A client of the store under test, as one replica holds it, keeping {@link #HISTORY} versions. */
    abstract ToolStore newStore();

    /** Another replica's client of the same store; the in-memory store has only one. */
    abstract ToolStore otherReplica();

    ToolStore store;

    @BeforeEach
    void createStore() {
        store = newStore();
    }

    private static ToolDefinition search(String description) {
        return new ToolDefinition("search", description, List.of(), null, null, JsonNodeFactory.instance.objectNode(), null);
    }

    @Test
    void versionsGrowAndOldOnesAreKeptUpToTheHistorySize() {
        ToolEntry entry = store.create(search("1"), ToolOrigin.API).await().indefinitely();
        assertThat(entry.version()).isEqualTo(1);
        for (int i = 2; i <= 5; i++) {
            entry = store.replace(entry.version(), search(String.valueOf(i)), ToolOrigin.API).await().indefinitely();
            assertThat(entry.version()).isEqualTo(i);
        }
        assertThat(store.get("search", 2).await().indefinitely()).isEmpty();
        assertThat(store.get("search", 3).await().indefinitely()).map(e -> e.definition().description()).contains("3");
        assertThat(store.get("search").await().indefinitely()).map(ToolEntry::version).contains(5L);
    }

    @Test
    void compareAndSetRefusesAStaleVersionAndChangesNothing() {
        store.create(search("1"), ToolOrigin.API).await().indefinitely();
        store.replace(1, search("2"), ToolOrigin.API).await().indefinitely();
        assertThatThrownBy(() -> store.replace(1, search("lost"), ToolOrigin.API).await().indefinitely())
                .isInstanceOf(ToolVersionMismatchException.class);
        assertThatThrownBy(() -> store.delete("search", 1).await().indefinitely())
                .isInstanceOf(ToolVersionMismatchException.class);
        assertThatThrownBy(() -> store.create(search("again"), ToolOrigin.API).await().indefinitely())
                .isInstanceOf(ToolAlreadyExistsException.class);
        assertThat(store.get("search").await().indefinitely()).map(e -> e.definition().description()).contains("2");
    }

    @Test
    void aRecreatedNameContinuesItsVersionsAndForgetsItsHistory() {
        store.create(search("1"), ToolOrigin.API).await().indefinitely();
        store.delete("search", 1).await().indefinitely();
        assertThat(store.get("search").await().indefinitely()).isEmpty();
        assertThat(store.list().await().indefinitely()).isEmpty();
        assertThatThrownBy(() -> store.delete("search", 1).await().indefinitely()).isInstanceOf(ToolNotFoundException.class);

        ToolEntry again = store.create(search("new"), ToolOrigin.API).await().indefinitely();
        assertThat(again.version()).isEqualTo(3);
        assertThat(store.get("search", 1).await().indefinitely()).isEmpty();
    }

    @Test
    void exactlyOneOfConcurrentWritersWins() throws Exception {
        store.create(search("start"), ToolOrigin.API).await().indefinitely();
        List<ToolStore> replicas = List.of(store, otherReplica());
        int writers = 16;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Callable<Boolean>> tasks = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                String description = "writer " + i;
                ToolStore replica = replicas.get(i % replicas.size());
                tasks.add(() -> {
                    try {
                        replica.replace(1, search(description), ToolOrigin.API).await().indefinitely();
                        return true;
                    } catch (ToolVersionMismatchException stale) {
                        return false;
                    }
                });
            }
            long winners = 0;
            for (Future<Boolean> outcome : pool.invokeAll(tasks)) {
                winners += outcome.get() ? 1 : 0;
            }
            assertThat(winners).isEqualTo(1);
            assertThat(store.get("search").await().indefinitely()).map(ToolEntry::version).contains(2L);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void listsCurrentEntriesByNameWithTheirOrigin() {
        store.create(search("s").withName("zeta"), ToolOrigin.file("zeta.yaml")).await().indefinitely();
        store.create(search("s").withName("alpha"), ToolOrigin.API).await().indefinitely();
        ToolEntry beta = store.create(search("s").withName("beta"), ToolOrigin.API).await().indefinitely();
        store.replace(beta.version(), search("changed").withName("beta"), ToolOrigin.API).await().indefinitely();
        store.create(search("s").withName("gone"), ToolOrigin.API).await().indefinitely();
        store.delete("gone", 1).await().indefinitely();

        List<ToolEntry> listed = otherReplica().list().await().indefinitely();
        assertThat(listed).extracting(ToolEntry::name).containsExactly("alpha", "beta", "zeta");
        assertThat(listed.get(1).version()).isEqualTo(2);
        assertThat(listed.get(1).definition().description()).isEqualTo("changed");
        assertThat(listed.get(2).origin()).isEqualTo(ToolOrigin.file("zeta.yaml"));
        assertThat(listed.get(0).origin()).isEqualTo(ToolOrigin.API);
    }

    @Test
    void failuresCarryTheCurrentEntry() {
        ToolEntry first = store.create(search("1"), ToolOrigin.API).await().indefinitely();
        store.replace(1, search("2"), ToolOrigin.API).await().indefinitely();
        assertThatThrownBy(() -> otherReplica().create(search("x"), ToolOrigin.API).await().indefinitely())
                .isInstanceOfSatisfying(ToolAlreadyExistsException.class, e -> {
                    assertThat(e.existing().version()).isEqualTo(2);
                    assertThat(e.existing().definition().description()).isEqualTo("2");
                });
        assertThatThrownBy(() -> otherReplica().replace(first.version(), search("x"), ToolOrigin.API).await().indefinitely())
                .isInstanceOfSatisfying(ToolVersionMismatchException.class, e -> {
                    assertThat(e.current().version()).isEqualTo(2);
                    assertThat(e.expectedVersion()).isEqualTo(1);
                });
        assertThatThrownBy(() -> store.replace(1, search("x").withName("absent"), ToolOrigin.API).await().indefinitely())
                .isInstanceOf(ToolNotFoundException.class);
        assertThat(otherReplica().get("absent").await().indefinitely()).isEmpty();
        assertThat(otherReplica().get("absent", 1).await().indefinitely()).isEmpty();
    }

    @Test
    void definitionsReadBackEqualToWhatWasStored() throws Exception {
        // The file source decides "unchanged" by equality: a store that changed a definition on the
        // way would create a new version at every reload of every replica.
        ToolDocuments documents = new ToolDocuments(new ToolValidator(ToolLimits.DEFAULTS));
        java.nio.file.Path directory = java.nio.file.Path.of("deploy/tools");
        List<ToolDefinition> definitions = new ArrayList<>();
        try (var files = java.nio.file.Files.list(directory)) {
            for (java.nio.file.Path file : files.sorted().toList()) {
                ToolDocuments.Format format = ToolDocuments.Format.ofFileName(file.getFileName().toString());
                if (ToolFileSource.isToolFile(file)) {
                    for (ToolDocuments.Parsed parsed : documents.readFile(java.nio.file.Files.readAllBytes(file), format)) {
                        assertThat(parsed.errors()).as(file + " is valid").isEmpty();
                        definitions.add(parsed.definition());
                    }
                }
            }
        }
        definitions.addAll(documents.readFile("""
                name: numbers
                description: "unicode ✓ and \\"quotes\\""
                tenants: [team-a, team-b]
                functions:
                  - name: set_level
                    behavior: NON_BLOCKING
                    parameters:
                      type: OBJECT
                      properties:
                        level: {type: NUMBER, minimum: 0.5, maximum: 100, example: 12.25}
                        count: {type: INTEGER, minimum: -3, maximum: 9007199254740991}
                        mode: {type: STRING, enum: [a, b], nullable: true}
                      required: [level]
                ---
                name: forecast
                functions:
                  - name: get_forecast
                    behavior: NON_BLOCKING
                    parametersJsonSchema:
                      type: object
                      properties: {city: {type: string, minLength: 1}, days: {type: integer, exclusiveMinimum: 0}}
                      additionalProperties: false
                    responseJsonSchema: {oneOf: [{type: object}, {type: "null"}]}
                ---
                name: urls
                urlContext: {}
                ---
                name: mcp
                mcpServers:
                  - name: weather
                    streamableHttpTransport: {url: "https://mcp.example.com", timeout: 5s}
                ---
                name: maps
                googleMaps: {enableWidget: true}
                """.getBytes(java.nio.charset.StandardCharsets.UTF_8), ToolDocuments.Format.YAML)
                .stream().map(ToolDocuments.Parsed::definition).toList());
        assertThat(definitions).hasSizeGreaterThan(3).doesNotContainNull();

        for (ToolDefinition definition : definitions) {
            store.create(definition, ToolOrigin.file("f.yaml")).await().indefinitely();
            ToolEntry read = otherReplica().get(definition.name()).await().indefinitely().orElseThrow();
            assertThat(read.definition()).isEqualTo(definition);
            assertThat(read.origin()).isEqualTo(ToolOrigin.file("f.yaml"));
        }
    }
}
