package dev.livegateway.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livegateway.wire.Tool;
import dev.livegateway.wire.Wire;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

class ToolResolverTest {

    private final ToolDocuments documents = new ToolDocuments(new ToolValidator(ToolLimits.DEFAULTS));
    private final InMemoryToolStore store = new InMemoryToolStore(3, Clock.systemUTC());
    private final ToolRegistry registry = new ToolRegistry(store, documents.validator());
    private final ToolResolver resolver = new ToolResolver(store, 3);

    private ToolDefinition definition(String json) {
        ToolDocuments.Parsed parsed = documents.readBody(json.replace('\'', '"').getBytes(StandardCharsets.UTF_8), null);
        assertThat(parsed.errors()).isEmpty();
        return parsed.definition();
    }

    private ToolEntry create(String json) {
        return registry.create(definition(json)).await().indefinitely();
    }

    private ResolvedTools resolve(String tenant, ToolRef... refs) {
        return resolver.resolve(tenant, List.of(refs)).await().indefinitely();
    }

    private static JsonNode json(Tool tool) {
        return Wire.mapper().valueToTree(tool);
    }

    @Test
    void assemblesTheLiveApiToolsList() throws Exception {
        create("{'name':'lights','functions':[{'name':'turn_on_the_lights','description':'On','parameters':"
                + "{'type':'OBJECT','properties':{'brightness':{'type':'INTEGER'}}},'behavior':'NON_BLOCKING'},"
                + "{'name':'turn_off_the_lights'}]}");
        create("{'name':'weather','functions':[{'name':'get_weather','response':{'type':'STRING'}}]}");
        create("{'name':'code','codeExecution':{}}");
        create("{'name':'search','googleSearch':{}}");
        create("{'name':'docs','ragRetrieval':{'ragResources':[{'ragCorpus':"
                + "'projects/my-project/locations/us-central1/ragCorpora/123'}],'similarityTopK':5,"
                + "'vectorDistanceThreshold':0.5}}");
        create("{'name':'manuals','ragRetrieval':{'ragResources':[{'ragCorpus':"
                + "'projects/my-project/locations/us-central1/ragCorpora/456','ragFileIds':['7','8']}]}}");

        ResolvedTools resolved = resolve("team-a", ToolRef.current("search"), ToolRef.current("lights"),
                ToolRef.current("docs"), ToolRef.current("code"), ToolRef.current("weather"), ToolRef.current("manuals"));

        assertThat(resolved.setupTools()).hasSize(5);
        assertThat(json(resolved.setupTools().get(0))).isEqualTo(Wire.mapper().readTree("""
                {"functionDeclarations":[
                  {"name":"turn_on_the_lights","description":"On","parameters":{"type":"OBJECT",
                    "properties":{"brightness":{"type":"INTEGER"}}},"behavior":"NON_BLOCKING"},
                  {"name":"turn_off_the_lights"},
                  {"name":"get_weather","response":{"type":"STRING"}}]}"""));
        assertThat(json(resolved.setupTools().get(1))).isEqualTo(Wire.mapper().readTree("{\"codeExecution\":{}}"));
        assertThat(json(resolved.setupTools().get(2))).isEqualTo(Wire.mapper().readTree("{\"googleSearch\":{}}"));
        assertThat(json(resolved.setupTools().get(3))).isEqualTo(Wire.mapper().readTree("""
                {"retrieval":{"vertexRagStore":{"ragResources":[
                  {"ragCorpus":"projects/my-project/locations/us-central1/ragCorpora/123"}],
                  "similarityTopK":5,"vectorDistanceThreshold":0.5}}}"""));
        assertThat(json(resolved.setupTools().get(4)).at("/retrieval/vertexRagStore/ragResources/0/ragFileIds"))
                .hasSize(2);
        assertThat(resolved.versions()).extracting(ResolvedToolVersion::name)
                .containsExactly("search", "lights", "docs", "code", "weather", "manuals");
        assertThat(resolved.versions()).extracting(ResolvedToolVersion::version).containsOnly(1L);
    }

    @Test
    void noReferencesResolveToNoTools() {
        assertThat(resolve("team-a").setupTools()).isEmpty();
    }

    @Test
    void refusesUnknownNamesNamingThem() {
        assertThatThrownBy(() -> resolve("team-a", ToolRef.current("nope")))
                .isInstanceOf(ToolNotFoundException.class)
                .hasMessageContaining("'nope'");
    }

    @Test
    void resolvesPinnedAndOldVersionsAfterAChange() {
        ToolEntry first = create("{'name':'search','description':'v1','googleSearch':{}}");
        ResolvedTools before = resolve("t", ToolRef.current("search"));
        registry.replace("search", first.version(), definition("{'name':'search','description':'v2','codeExecution':{}}"))
                .await().indefinitely();

        assertThat(json(before.setupTools().get(0))).hasToString("{\"googleSearch\":{}}");
        assertThat(json(resolve("t", ToolRef.current("search")).setupTools().get(0))).hasToString("{\"codeExecution\":{}}");
        ResolvedTools pinned = resolve("t", new ToolRef("search", 1));
        assertThat(json(pinned.setupTools().get(0))).hasToString("{\"googleSearch\":{}}");
        assertThat(pinned.versions()).containsExactly(new ResolvedToolVersion("search", 1, ToolKind.GOOGLE_SEARCH));
    }

    @Test
    void explainsVersionsNoLongerKept() {
        ToolEntry entry = create("{'name':'search','googleSearch':{}}");
        for (int i = 0; i < 3; i++) {
            entry = registry.replace("search", entry.version(), definition("{'name':'search','description':'v"
                    + (i + 2) + "','googleSearch':{}}")).await().indefinitely();
        }
        assertThat(resolve("t", new ToolRef("search", 2)).versions()).containsExactly(new ResolvedToolVersion("search", 2, ToolKind.GOOGLE_SEARCH));
        assertThatThrownBy(() -> resolve("t", new ToolRef("search", 1)))
                .isInstanceOf(ToolNotFoundException.class)
                .hasMessageContaining("no version 1")
                .hasMessageContaining("current version is 4")
                .hasMessageContaining("last 3 versions");
        assertThatThrownBy(() -> resolve("t", new ToolRef("search", 9)))
                .isInstanceOf(ToolNotFoundException.class)
                .hasMessageContaining("no version 9");
    }

    @Test
    void refusesTenantsNotListed() {
        create("{'name':'search','tenants':['team-a'],'googleSearch':{}}");
        assertThat(resolve("team-a", ToolRef.current("search")).setupTools()).hasSize(1);
        assertThatThrownBy(() -> resolve("team-b", ToolRef.current("search")))
                .isInstanceOf(ToolNotPermittedException.class)
                .hasMessageContaining("'team-b'")
                .hasMessageContaining("'search'");
    }

    @Test
    void aPinnedVersionIsAllowedOnlyToTheTenantsOfTheCurrentVersion() {
        ToolEntry open = create("{'name':'search','googleSearch':{}}");
        registry.replace("search", open.version(), definition("{'name':'search','tenants':['team-a'],'googleSearch':{}}"))
                .await().indefinitely();
        assertThatThrownBy(() -> resolve("team-b", new ToolRef("search", open.version())))
                .isInstanceOf(ToolNotPermittedException.class)
                .hasMessageContaining("'team-b'")
                .hasMessageContaining("'search'");
        assertThat(resolve("team-a", new ToolRef("search", open.version())).versions())
                .containsExactly(new ResolvedToolVersion("search", open.version(), ToolKind.GOOGLE_SEARCH));
    }

    @Test
    void aPinnedVersionOfADeletedToolIsNotFound() {
        ToolEntry first = create("{'name':'search','googleSearch':{}}");
        store.delete("search", first.version()).await().indefinitely();
        assertThatThrownBy(() -> resolve("team-a", new ToolRef("search", first.version())))
                .isInstanceOf(ToolNotFoundException.class)
                .hasMessageContaining("'search'");
    }

    @Test
    void refusesTheSameFunctionFromTwoEntries() {
        create("{'name':'lights','functions':[{'name':'turn_on_the_lights'}]}");
        create("{'name':'more-lights','functions':[{'name':'dim'},{'name':'turn_on_the_lights'}]}");
        assertThatThrownBy(() -> resolve("t", ToolRef.current("lights"), ToolRef.current("more-lights")))
                .isInstanceOf(ToolConflictException.class)
                .hasMessageContaining("'lights'")
                .hasMessageContaining("'more-lights'")
                .hasMessageContaining("'turn_on_the_lights'");
    }

    @Test
    void refusesTheSameToolTwice() {
        create("{'name':'search','googleSearch':{}}");
        assertThatThrownBy(() -> resolve("t", ToolRef.current("search"), new ToolRef("search", 1)))
                .isInstanceOf(ToolConflictException.class)
                .hasMessageContaining("'search' is named twice");
    }

    @Test
    void theSnapshotIsNotChangedByItsReader() {
        create("{'name':'lights','functions':[{'name':'on','parameters':{'type':'OBJECT'}}]}");
        ResolvedTools first = resolve("t", ToolRef.current("lights"));
        ((com.fasterxml.jackson.databind.node.ObjectNode) first.setupTools().get(0).functionDeclarations().get(0)
                .parameters()).put("type", "STRING");
        ResolvedTools second = resolve("t", ToolRef.current("lights"));
        assertThat(second.setupTools().get(0).functionDeclarations().get(0).parameters().get("type").asText())
                .isEqualTo("OBJECT");
    }
}
