package dev.livegateway.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ToolFileSourceTest {

    private static final String LIGHTS = """
            name: lights
            functions:
              - name: turn_on_the_lights
            """;

    @TempDir
    Path directory;

    private final ToolDocuments documents = new ToolDocuments(new ToolValidator(ToolLimits.DEFAULTS));
    private final InMemoryToolStore store = new InMemoryToolStore(10, Clock.systemUTC());

    private ToolFileSource source(Path dir) {
        return new ToolFileSource(dir, documents, store, Duration.ofSeconds(5));
    }

    private Optional<ToolEntry> entry(String name) {
        return store.get(name).await().indefinitely();
    }

    private void write(String file, String content) throws IOException {
        Files.writeString(directory.resolve(file), content);
    }

    @Test
    void loadsTheExampleToolFiles() throws IOException {
        ToolFileSource.Result result = source(Path.of("deploy/tools")).reload();

        assertThat(result.problems()).isEmpty();
        assertThat(result.changes()).extracting(ToolFileSource.Change::name)
                .containsExactlyInAnyOrder("code-execution", "google-search", "light-switch", "product-docs-rag",
                        "order-lookup", "knowledge-base");
        ToolEntry lights = entry("light-switch").orElseThrow();
        assertThat(lights.kind()).isEqualTo(ToolKind.FUNCTIONS);
        assertThat(lights.origin()).isEqualTo(ToolOrigin.file("light-switch.yaml"));
        assertThat(lights.definition().functions()).extracting(ToolDefinition.Function::name)
                .containsExactly("turn_on_the_lights", "turn_off_the_lights");
        assertThat(entry("code-execution").orElseThrow().kind()).isEqualTo(ToolKind.CODE_EXECUTION);
        assertThat(entry("google-search").orElseThrow().kind()).isEqualTo(ToolKind.GOOGLE_SEARCH);
        assertThat(entry("product-docs-rag").orElseThrow().definition().ragRetrieval().ragResources().get(0).ragCorpus())
                .startsWith("projects/my-project/locations/us-central1/ragCorpora/");
    }

    @Test
    void followsFilesBeingAddedChangedAndDeleted() throws IOException {
        ToolFileSource source = source(directory);
        write("lights.yaml", LIGHTS);
        assertThat(source.reloadIfChanged()).get().extracting(ToolFileSource.Result::changes).asList()
                .containsExactly(new ToolFileSource.Change(ToolFileSource.ChangeKind.CREATED, "lights", 1, "lights.yaml"));
        assertThat(source.reloadIfChanged()).isEmpty();

        write("lights.yaml", LIGHTS + "    description: Lights on.\n");
        write("search.json", "{\"name\": \"search\", \"googleSearch\": {}}");
        ToolFileSource.Result changed = source.reloadIfChanged().orElseThrow();
        assertThat(changed.changes()).containsExactlyInAnyOrder(
                new ToolFileSource.Change(ToolFileSource.ChangeKind.UPDATED, "lights", 2, "lights.yaml"),
                new ToolFileSource.Change(ToolFileSource.ChangeKind.CREATED, "search", 1, "search.json"));
        assertThat(entry("lights").orElseThrow().definition().functions().get(0).description()).isEqualTo("Lights on.");

        Files.delete(directory.resolve("lights.yaml"));
        ToolFileSource.Result deleted = source.reloadIfChanged().orElseThrow();
        assertThat(deleted.changes()).containsExactly(
                new ToolFileSource.Change(ToolFileSource.ChangeKind.DELETED, "lights", 2, "lights.yaml"));
        assertThat(entry("lights")).isEmpty();
        assertThat(entry("search")).isPresent();
    }

    @Test
    void aFileMayHoldAListOrSeveralYamlDocuments() throws IOException {
        write("many.yaml", """
                - name: code
                  codeExecution: {}
                - name: search
                  googleSearch: {}
                ---
                name: lights
                functions: [{name: turn_on_the_lights}]
                """);
        ToolFileSource.Result result = source(directory).reload();
        assertThat(result.problems()).isEmpty();
        assertThat(store.list().await().indefinitely()).extracting(ToolEntry::name)
                .containsExactly("code", "lights", "search");
    }

    @Test
    void followsAConfigMapSymlinkSwap() throws IOException {
        // The layout kubelet writes: files link to ..data/…, and ..data links to a timestamped directory.
        Path first = Files.createDirectory(directory.resolve("..2025_01_01_00_00_00.1"));
        Files.writeString(first.resolve("lights.yaml"), LIGHTS);
        Files.createSymbolicLink(directory.resolve("..data"), first.getFileName());
        Files.createSymbolicLink(directory.resolve("lights.yaml"), Path.of("..data/lights.yaml"));
        ToolFileSource source = source(directory);
        assertThat(source.reloadIfChanged().orElseThrow().changes()).hasSize(1);

        Path second = Files.createDirectory(directory.resolve("..2025_01_01_00_01_00.2"));
        Files.writeString(second.resolve("lights.yaml"), LIGHTS + "  - name: turn_off_the_lights\n");
        Path swap = Files.createSymbolicLink(directory.resolve("..data_tmp"), second.getFileName());
        Files.move(swap, directory.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Files.delete(first.resolve("lights.yaml"));
        Files.delete(first);

        ToolFileSource.Result result = source.reloadIfChanged().orElseThrow();
        assertThat(result.problems()).isEmpty();
        assertThat(result.changes()).containsExactly(
                new ToolFileSource.Change(ToolFileSource.ChangeKind.UPDATED, "lights", 2, "lights.yaml"));
        assertThat(entry("lights").orElseThrow().definition().functions()).hasSize(2);
        assertThat(store.list().await().indefinitely()).hasSize(1);
    }

    @Test
    void aBadFileKeepsThePreviousGoodState() throws IOException {
        ToolFileSource source = source(directory);
        write("lights.yaml", LIGHTS);
        write("search.yaml", "name: search\ngoogleSearch: {}\n");
        source.reload();

        write("lights.yaml", """
                name: lights
                functions:
                  - name: turn_on_the_lights
                    parameters: {type: OBJECT, properties: {brightness: {type: INTEGER, readOnly: true}}}
                """);
        ToolFileSource.Result invalid = source.reloadIfChanged().orElseThrow();
        assertThat(invalid.changes()).isEmpty();
        assertThat(invalid.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.file()).isEqualTo("lights.yaml");
            assertThat(problem.messages()).singleElement().asString()
                    .startsWith("functions[0].parameters.properties.brightness.readOnly: keyword 'readOnly'");
        });
        assertThat(entry("lights")).map(ToolEntry::version).contains(1L);

        write("search.yaml", "name: search\ngoogleSearch: {\n");
        ToolFileSource.Result unreadable = source.reloadIfChanged().orElseThrow();
        assertThat(unreadable.problems()).extracting(ToolFileSource.Problem::file).contains("search.yaml");
        assertThat(entry("search")).map(ToolEntry::version).contains(1L);

        write("lights.yaml", LIGHTS + "    description: fixed\n");
        write("search.yaml", "name: search\ngoogleSearch: {}\n");
        ToolFileSource.Result fixed = source.reloadIfChanged().orElseThrow();
        assertThat(fixed.problems()).isEmpty();
        assertThat(entry("lights")).map(ToolEntry::version).contains(2L);
        assertThat(entry("search")).map(ToolEntry::version).contains(1L);
    }

    @Test
    void neverTouchesEntriesManagedThroughTheApi() throws IOException {
        ToolDefinition api = documents.readBody("{\"name\":\"search\",\"googleSearch\":{}}".getBytes(), null).definition();
        store.create(api, ToolOrigin.API).await().indefinitely();
        write("search.yaml", "name: search\ncodeExecution: {}\n");

        ToolFileSource.Result result = source(directory).reload();

        assertThat(result.problems()).singleElement().asString().contains("managed through the REST API");
        assertThat(entry("search").orElseThrow().origin()).isEqualTo(ToolOrigin.API);
        assertThat(entry("search").orElseThrow().kind()).isEqualTo(ToolKind.GOOGLE_SEARCH);
    }

    @Test
    void theFirstFileDefiningANameWins() throws IOException {
        write("a.yaml", "name: search\ngoogleSearch: {}\n");
        write("b.json", "{\"name\": \"search\", \"codeExecution\": {}}");
        ToolFileSource.Result result = source(directory).reload();
        assertThat(result.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.file()).isEqualTo("b.json");
            assertThat(problem.messages().get(0)).contains("already defined in a.yaml");
        });
        assertThat(entry("search").orElseThrow().origin().file()).isEqualTo("a.yaml");
    }

    @Test
    void ignoresHiddenAndOtherFiles() throws IOException {
        write(".hidden.yaml", "name: hidden\ngoogleSearch: {}\n");
        write("README.md", "# tools");
        write("notes.txt", "name: notes");
        write("search.yml", "name: search\ngoogleSearch: {}\n");
        assertThat(source(directory).reload().problems()).isEmpty();
        assertThat(store.list().await().indefinitely()).extracting(ToolEntry::name).isEqualTo(List.of("search"));
    }
}
