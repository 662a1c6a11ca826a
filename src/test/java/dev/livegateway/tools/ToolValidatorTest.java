package dev.livegateway.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ToolValidatorTest {

    private final ToolDocuments documents = new ToolDocuments(new ToolValidator(ToolLimits.DEFAULTS));

    private ToolDocuments.Parsed read(String json) {
        return documents.readBody(json.replace('\'', '"').getBytes(StandardCharsets.UTF_8), null);
    }

    private List<String> fields(String json) {
        return read(json).errors().stream().map(FieldError::field).toList();
    }

    private static String function(String declaration) {
        return "{'name':'lights','functions':[" + declaration + "]}";
    }

    private static String parameters(String schema) {
        return function("{'name':'turn_on','parameters':" + schema + "}");
    }

    @Test
    void acceptsEveryKind() {
        assertThat(read(function("{'name':'turn_on_the_lights','description':'on','behavior':'NON_BLOCKING',"
                + "'parameters':{'type':'object','properties':{'brightness':{'type':'INTEGER','minimum':1,"
                + "'maximum':100},'room':{'type':'STRING','enum':['kitchen','hall'],'nullable':true},"
                + "'tags':{'type':'ARRAY','items':{'type':'STRING'},'minItems':0,'maxItems':3},"
                + "'when':{'anyOf':[{'type':'STRING','format':'date-time'},{'type':'NULL'}]}},"
                + "'required':['brightness'],'propertyOrdering':['room','brightness']},"
                + "'response':{'type':'OBJECT','properties':{'result':{'type':'STRING','example':'ok','default':'ok'}}}}"))
                .errors()).isEmpty();
        assertThat(read("{'name':'code','codeExecution':{}}").errors()).isEmpty();
        assertThat(read("{'name':'search','googleSearch':{},'tenants':['team-a']}").errors()).isEmpty();
        ToolDocuments.Parsed rag = read("{'name':'docs','ragRetrieval':{'ragResources':[{'ragCorpus':"
                + "'projects/my-project/locations/us-central1/ragCorpora/123','ragFileIds':['456']}],"
                + "'similarityTopK':5,'vectorDistanceThreshold':0.5}}");
        assertThat(rag.errors()).isEmpty();
        assertThat(rag.definition().kind()).isEqualTo(ToolKind.RAG_RETRIEVAL);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Lights", "-lights", "lights-", "light_switch", "a.b", ""})
    void refusesBadEntryNames(String name) {
        assertThat(fields("{'name':'" + name + "','codeExecution':{}}")).containsExactly("name");
    }

    @Test
    void refusesEntryNameLongerThan63() {
        assertThat(fields("{'name':'" + "a".repeat(64) + "','codeExecution':{}}")).containsExactly("name");
        assertThat(fields("{'name':'" + "a".repeat(63) + "','codeExecution':{}}")).isEmpty();
    }

    @Test
    void requiresName() {
        assertThat(fields("{'codeExecution':{}}")).containsExactly("name");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1turn", "turn on", "turn/on", "héllo"})
    void refusesFunctionNamesTheLiveApiRejects(String name) {
        assertThat(fields(function("{'name':'" + name + "'}"))).containsExactly("functions[0].name");
    }

    @Test
    void functionNamesMayUseDotsDashesAndUnderscores() {
        assertThat(fields(function("{'name':'_lights.turn-on_2'}"))).isEmpty();
        assertThat(fields(function("{'name':'" + "f".repeat(65) + "'}"))).containsExactly("functions[0].name");
    }

    @Test
    void refusesDuplicateFunctionNamesInOneEntry() {
        ToolDocuments.Parsed parsed = read(function("{'name':'turn_on'},{'name':'turn_off'},{'name':'turn_on'}"));
        assertThat(parsed.errors()).extracting(FieldError::field).containsExactly("functions[2].name");
        assertThat(parsed.errors().get(0).message()).contains("functions[0]");
    }

    @Test
    void requiresExactlyOneKind() {
        assertThat(fields("{'name':'none'}")).containsExactly("$");
        ToolDocuments.Parsed two = read("{'name':'two','codeExecution':{},'googleSearch':{}}");
        assertThat(two.errors()).extracting(FieldError::field).containsExactly("$");
        assertThat(two.errors().get(0).message()).contains("codeExecution, googleSearch");
    }

    @Test
    void refusesOptionsOnCodeExecutionAndSearch() {
        assertThat(fields("{'name':'code','codeExecution':{'language':'PYTHON'}}")).containsExactly("codeExecution.language");
    }

    @Test
    void refusesUnknownFieldsNamingThem() {
        ToolDocuments.Parsed parsed = read("{'name':'x','funtions':[]}");
        assertThat(parsed.errors()).extracting(FieldError::field).containsExactly("funtions");
        assertThat(parsed.errors().get(0).message()).contains("unknown field 'funtions'").contains("functions");
        assertThat(fields(function("{'name':'f','behaviour':'BLOCKING'}"))).containsExactly("functions[0].behaviour");
    }

    @Test
    void refusesWrongTypesNamingTheField() {
        assertThat(fields("{'name':'x','ragRetrieval':{'ragResources':[{'ragCorpus':'projects/p1234/locations/"
                + "us-central1/ragCorpora/1'}],'similarityTopK':'five'}}"))
                .containsExactly("ragRetrieval.similarityTopK");
        assertThat(fields("{'name':'x','tenants':'team-a','codeExecution':{}}")).containsExactly("tenants");
    }

    @Test
    void refusesUnknownBehavior() {
        ToolDocuments.Parsed parsed = read(function("{'name':'f','behavior':'ASYNC'}"));
        assertThat(parsed.errors()).extracting(FieldError::field).containsExactly("functions[0].behavior");
        assertThat(parsed.errors().get(0).message()).contains("BLOCKING, NON_BLOCKING");
    }

    @Test
    void refusesBadJson() {
        ToolDocuments.Parsed parsed = read("{'name':'x',");
        assertThat(parsed.errors()).extracting(FieldError::field).containsExactly("$");
        assertThat(parsed.errors().get(0).message()).startsWith("not valid JSON");
        assertThat(fields("{'name':'x','name':'y','codeExecution':{}}")).containsExactly("$");
        assertThat(fields("[{'name':'x','codeExecution':{}}]")).containsExactly("$");
    }

    @ParameterizedTest
    @ValueSource(strings = {"readOnly", "x-internal", "$ref", "additionalProperties", "oneOf", "allOf", "const"})
    void refusesSchemaKeywordsTheLiveApiClosesWith1007(String keyword) {
        ToolDocuments.Parsed parsed = read(parameters("{'type':'OBJECT','properties':{'brightness':{'type':'INTEGER','"
                + keyword + "':true}}}"));
        assertThat(parsed.errors()).extracting(FieldError::field)
                .containsExactly("functions[0].parameters.properties.brightness." + (keyword.startsWith("$")
                        ? "$ref" : keyword));
        assertThat(parsed.errors().get(0).message()).contains("'" + keyword + "'").contains("1007");
    }

    @Test
    void refusesUnknownSchemaTypes() {
        assertThat(fields(parameters("{'type':'OBJECT','properties':{'brightness':{'type':'float'}}}")))
                .containsExactly("functions[0].parameters.properties.brightness.type");
        assertThat(fields(parameters("{'type':'OBJECT','properties':{'brightness':{'type':['integer','null']}}}")))
                .containsExactly("functions[0].parameters.properties.brightness.type");
    }

    @Test
    void parametersMustBeAnObjectSchema() {
        assertThat(fields(parameters("{'type':'STRING'}"))).containsExactly("functions[0].parameters.type");
        assertThat(fields(parameters("'a string'"))).contains("functions[0].parameters");
    }

    @Test
    void requiredNamesMustBeDeclaredProperties() {
        assertThat(fields(parameters("{'type':'OBJECT','properties':{'a':{'type':'STRING'}},'required':['a','b']}")))
                .containsExactly("functions[0].parameters.required[1]");
        assertThat(fields(parameters("{'type':'OBJECT','properties':{'a':{'type':'STRING'}},'propertyOrdering':['c']}")))
                .containsExactly("functions[0].parameters.propertyOrdering[0]");
    }

    @Test
    void checksKeywordValues() {
        assertThat(fields(parameters("{'type':'OBJECT','properties':{'a':{'type':'STRING','enum':[]}}}")))
                .containsExactly("functions[0].parameters.properties.a.enum");
        assertThat(fields(parameters("{'type':'OBJECT','properties':{'a':{'type':'STRING','maxLength':-1}}}")))
                .containsExactly("functions[0].parameters.properties.a.maxLength");
        assertThat(fields(parameters("{'type':'OBJECT','properties':{'a':{'type':'NUMBER','minimum':5,'maximum':1}}}")))
                .containsExactly("functions[0].parameters.properties.a.minimum");
        assertThat(fields(parameters("{'type':'OBJECT','properties':{'a':{'type':'STRING','pattern':'(['}}}")))
                .containsExactly("functions[0].parameters.properties.a.pattern");
        assertThat(fields(parameters("{'type':'OBJECT','properties':{'a':{'type':'ARRAY'}}}")))
                .containsExactly("functions[0].parameters.properties.a.items");
        assertThat(fields(parameters("{'type':'OBJECT','properties':{'a':{'anyOf':[{'type':'STRING'},{'type':'date'}]}}}")))
                .containsExactly("functions[0].parameters.properties.a.anyOf[1].type");
        assertThat(fields(parameters("{'type':'OBJECT','nullable':'yes'}")))
                .containsExactly("functions[0].parameters.nullable");
    }

    @Test
    void checksResponseSchemas() {
        assertThat(fields(function("{'name':'f','response':{'type':'OBJECT','properties':{'ok':{'type':'BOOLEAN',"
                + "'x-go-type':'bool'}}}}"))).containsExactly("functions[0].response.properties.ok.x-go-type");
    }

    @Test
    void namesOddPropertyNamesInBrackets() {
        assertThat(fields(parameters("{'type':'OBJECT','properties':{'room name':{'type':'TEXT'}}}")))
                .containsExactly("functions[0].parameters.properties[\"room name\"].type");
    }

    @Test
    void limitsSchemaDepth() {
        String schema = "{'type':'STRING'}";
        for (int i = 0; i < ToolLimits.DEFAULTS.maxSchemaDepth(); i++) {
            schema = "{'type':'OBJECT','properties':{'n':" + schema + "}}";
        }
        assertThat(fields(parameters(schema))).hasSize(1).allMatch(field -> field.endsWith(".n"));
    }

    @Test
    void limitsSizes() {
        assertThat(fields("{'name':'x','description':'" + "d".repeat(1025) + "','codeExecution':{}}"))
                .containsExactly("description");
        assertThat(fields(function("{'name':'f','description':'" + "d".repeat(4097) + "'}")))
                .containsExactly("functions[0].description");
        StringBuilder many = new StringBuilder();
        for (int i = 0; i <= ToolLimits.DEFAULTS.maxFunctionsPerEntry(); i++) {
            many.append(i == 0 ? "" : ",").append("{'name':'f").append(i).append("'}");
        }
        assertThat(fields(function(many.toString()))).containsExactly("functions");
        assertThat(fields(function(""))).containsExactly("functions");
        String huge = "{'name':'x','functions':[{'name':'f','parameters':{'type':'OBJECT','description':'"
                + "d".repeat(70_000) + "'}}]}";
        ToolDocuments.Parsed parsed = read(huge);
        assertThat(parsed.errors()).extracting(FieldError::field).containsExactly("$");
        assertThat(parsed.errors().get(0).message()).contains("65536 bytes");
    }

    @Test
    void checksTenants() {
        assertThat(fields("{'name':'x','tenants':['a','a'],'codeExecution':{}}")).containsExactly("tenants[1]");
        assertThat(fields("{'name':'x','tenants':[' '],'codeExecution':{}}")).containsExactly("tenants[0]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"projects/p/locations/us-central1/ragCorpora/1", "projects/my-project/locations/us-central1/ragCorpus/1",
        "projects/my-project/locations/us-central1/ragCorpora/abc", "ragCorpora/123"})
    void refusesBadRagCorpusNames(String corpus) {
        assertThat(fields("{'name':'docs','ragRetrieval':{'ragResources':[{'ragCorpus':'" + corpus + "'}]}}"))
                .containsExactly("ragRetrieval.ragResources[0].ragCorpus");
    }

    @Test
    void checksRagSettings() {
        String corpus = "{'ragCorpus':'projects/123456/locations/europe-west4/ragCorpora/77'";
        assertThat(fields("{'name':'d','ragRetrieval':{'ragResources':[" + corpus + ",'ragFileIds':['9','x/1']}]}}"))
                .containsExactly("ragRetrieval.ragResources[0].ragFileIds[1]");
        assertThat(fields("{'name':'d','ragRetrieval':{'ragResources':[" + corpus + "}],'similarityTopK':0}}"))
                .containsExactly("ragRetrieval.similarityTopK");
        assertThat(fields("{'name':'d','ragRetrieval':{'ragResources':[" + corpus + "}],'similarityTopK':101}}"))
                .containsExactly("ragRetrieval.similarityTopK");
        assertThat(fields("{'name':'d','ragRetrieval':{'ragResources':[" + corpus + "}],'vectorDistanceThreshold':2.5}}"))
                .containsExactly("ragRetrieval.vectorDistanceThreshold");
        assertThat(fields("{'name':'d','ragRetrieval':{'ragResources':[]}}")).containsExactly("ragRetrieval.ragResources");
        assertThat(fields("{'name':'d','ragRetrieval':{'ragResources':[" + corpus + "}," + corpus + "}]}}"))
                .containsExactly("ragRetrieval.ragResources");
    }

    @Test
    void reportsEveryProblemAtOnce() {
        assertThat(fields("{'name':'BAD','tenants':['a','a'],'functions':[{'name':'1x'}]}"))
                .containsExactlyInAnyOrder("name", "tenants[1]", "functions[0].name");
    }

    @Test
    void ignoresFieldsTheRegistryAssigns() {
        ToolDocuments.Parsed parsed = read("{'name':'x','version':7,'kind':'CODE_EXECUTION','source':'API',"
                + "'updatedAt':'2025-01-01T00:00:00Z','codeExecution':{}}");
        assertThat(parsed.errors()).isEmpty();
    }

    // ---- full JSON Schema (parametersJsonSchema / responseJsonSchema) -------------------------------

    private static String jsonSchema(String field, String schema) {
        return function("{'name':'forecast','" + field + "':" + schema + "}");
    }

    @Test
    void acceptsFullJsonSchemas() {
        long started = System.nanoTime();
        assertThat(read(function("{'name':'forecast','behavior':'NON_BLOCKING','parametersJsonSchema':{"
                + "'type':'object','properties':{'city':{'type':'string','minLength':1},'days':{'type':'integer',"
                + "'exclusiveMinimum':0},'unit':{'$ref':'#/$defs/unit'}},'required':['city'],"
                + "'additionalProperties':false,'$defs':{'unit':{'enum':['C','F']}}},"
                + "'responseJsonSchema':{'oneOf':[{'type':'object'},{'type':'null'}]}}")).errors()).isEmpty();
        // The meta-schema ships inside the validator: nothing is fetched over the network.
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - started)).isLessThan(java.time.Duration.ofSeconds(5));
    }

    @Test
    void refusesInvalidJsonSchemasNamingThePath() {
        assertThat(fields(jsonSchema("parametersJsonSchema", "{'type':'object','properties':{'city':{'type':'text'}}}")))
                .singleElement().asString().startsWith("functions[0].parametersJsonSchema.properties.city");
        assertThat(fields(jsonSchema("parametersJsonSchema", "{'type':'object','required':'city'}")))
                .singleElement().asString().startsWith("functions[0].parametersJsonSchema.required");
        assertThat(fields(jsonSchema("parametersJsonSchema", "{'type':'string'}")))
                .containsExactly("functions[0].parametersJsonSchema.type");
        assertThat(fields(jsonSchema("responseJsonSchema", "[1]"))).containsExactly("functions[0].responseJsonSchema");
        assertThat(fields(jsonSchema("responseJsonSchema", "{'$ref':'https://example.com/schema.json'}")))
                .containsExactly("functions[0].responseJsonSchema.$ref");
        assertThat(fields(function("{'name':'f','parameters':{'type':'OBJECT'},'parametersJsonSchema':{'type':'object'}}")))
                .containsExactly("functions[0].parametersJsonSchema");
        assertThat(fields(function("{'name':'f','response':{'type':'OBJECT'},'responseJsonSchema':{'type':'object'}}")))
                .containsExactly("functions[0].responseJsonSchema");
    }

    // ---- the Google-run tools ------------------------------------------------------------------------

    @Test
    void acceptsEveryHostedToolKind() {
        List<String> documents = List.of(
                "{'name':'urls','urlContext':{}}",
                "{'name':'maps','googleMaps':{'enableWidget':true}}",
                "{'name':'web','enterpriseWebSearch':{'excludeDomains':['example.com']}}",
                "{'name':'files','fileSearch':{'fileSearchStoreNames':['fileSearchStores/abc'],'topK':5}}",
                "{'name':'screen','computerUse':{'environment':'ENVIRONMENT_BROWSER'}}",
                "{'name':'mcp','mcpServers':[{'name':'weather','streamableHttpTransport':{'url':'https://mcp.example.com'}}]}",
                "{'name':'dyn','googleSearchRetrieval':{'dynamicRetrievalConfig':{'mode':'MODE_DYNAMIC'}}}",
                "{'name':'parallel','parallelAiSearch':{'apiKey':'k'}}",
                "{'name':'exa','exaAiSearch':{'apiKey':'k'}}",
                "{'name':'vais','vertexAiSearch':{'datastore':'projects/p/locations/global/collections/default_collection/dataStores/d'}}",
                "{'name':'ext','externalApi':{'endpoint':'https://search.example.com','simpleSearchParams':{}}}",
                "{'name':'search','googleSearch':{'excludeDomains':['example.com'],'timeRangeFilter':{'startTime':'2026-01-01T00:00:00Z'}}}");
        for (String document : documents) {
            ToolDocuments.Parsed parsed = read(document);
            assertThat(parsed.errors()).as(document).isEmpty();
            assertThat(parsed.definition().kinds()).as(document).hasSize(1);
        }
        assertThat(read(documents.get(0)).definition().kind()).isEqualTo(ToolKind.URL_CONTEXT);
        assertThat(read(documents.get(5)).definition().kind()).isEqualTo(ToolKind.MCP_SERVERS);
    }

    @Test
    void refusesUnknownHostedToolOptionsAndMissingRequiredOnes() {
        assertThat(fields("{'name':'urls','urlContext':{'depth':2}}")).containsExactly("urlContext.depth");
        assertThat(fields("{'name':'maps','googleMaps':{'zoom':3}}")).containsExactly("googleMaps.zoom");
        assertThat(fields("{'name':'maps','googleMaps':true}")).containsExactly("googleMaps");
        assertThat(fields("{'name':'files','fileSearch':{'topK':5}}")).containsExactly("fileSearch.fileSearchStoreNames");
        assertThat(fields("{'name':'mcp','mcpServers':[]}")).containsExactly("mcpServers");
        assertThat(fields("{'name':'mcp','mcpServers':[{'streamableHttpTransport':{}}]}"))
                .containsExactly("mcpServers[0].name");
        assertThat(fields("{'name':'search','googleSearch':{'safeSearch':true}}")).containsExactly("googleSearch.safeSearch");
        assertThat(fields("{'name':'two','urlContext':{},'codeExecution':{}}")).containsExactly(FieldError.ROOT);
    }
}
