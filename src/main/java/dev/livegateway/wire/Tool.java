package dev.livegateway.wire;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * Live API {@code Tool}: one entry of {@code setup.tools}; each field enables one kind. The
 * options of the Google-run tools (search, maps, file search, computer use, MCP servers, third-party
 * search) stay JSON objects: the tool registry checks their keys against the Live API's before
 * they get here, and the gateway passes them on unchanged.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Tool(
        @JsonAlias("function_declarations") List<FunctionDeclaration> functionDeclarations,
        @JsonAlias("code_execution") Empty codeExecution,
        @JsonAlias("google_search") JsonNode googleSearch,
        Retrieval retrieval,
        @JsonAlias("url_context") Empty urlContext,
        @JsonAlias("google_maps") JsonNode googleMaps,
        @JsonAlias("enterprise_web_search") JsonNode enterpriseWebSearch,
        @JsonAlias("file_search") JsonNode fileSearch,
        @JsonAlias("computer_use") JsonNode computerUse,
        @JsonAlias("mcp_servers") List<JsonNode> mcpServers,
        @JsonAlias("google_search_retrieval") JsonNode googleSearchRetrieval,
        @JsonAlias("parallel_ai_search") JsonNode parallelAiSearch,
        @JsonAlias("exa_ai_search") JsonNode exaAiSearch) {

    /** The tool kinds as they stood before the 2026 additions; the new ones unset. */
    public Tool(List<FunctionDeclaration> functionDeclarations, Empty codeExecution, JsonNode googleSearch,
            Retrieval retrieval) {
        this(functionDeclarations, codeExecution, googleSearch, retrieval, null, null, null, null, null, null, null,
                null, null);
    }

    public static Tool functionsTool(List<FunctionDeclaration> declarations) {
        return new Tool(declarations, null, null, null);
    }

    public static Tool codeExecutionTool() {
        return new Tool(null, new Empty(), null, null);
    }

    public static Tool googleSearchTool() {
        return googleSearchTool(Wire.mapper().createObjectNode());
    }

    /** Google Search with options ({@code excludeDomains}, {@code timeRangeFilter}, …); {@code {}} for none. */
    public static Tool googleSearchTool(JsonNode options) {
        return new Tool(null, null, options, null);
    }

    public static Tool retrievalTool(VertexRagStore store) {
        return new Tool(null, null, null, new Retrieval(store));
    }

    public static Tool retrievalTool(Retrieval retrieval) {
        return new Tool(null, null, null, retrieval);
    }

    public static Tool urlContextTool() {
        return new Tool(null, null, null, null, Empty.INSTANCE, null, null, null, null, null, null, null, null);
    }

    public static Tool googleMapsTool(JsonNode options) {
        return new Tool(null, null, null, null, null, options, null, null, null, null, null, null, null);
    }

    public static Tool enterpriseWebSearchTool(JsonNode options) {
        return new Tool(null, null, null, null, null, null, options, null, null, null, null, null, null);
    }

    public static Tool fileSearchTool(JsonNode options) {
        return new Tool(null, null, null, null, null, null, null, options, null, null, null, null, null);
    }

    public static Tool computerUseTool(JsonNode options) {
        return new Tool(null, null, null, null, null, null, null, null, options, null, null, null, null);
    }

    public static Tool mcpServersTool(List<JsonNode> servers) {
        return new Tool(null, null, null, null, null, null, null, null, null, servers, null, null, null);
    }

    public static Tool googleSearchRetrievalTool(JsonNode options) {
        return new Tool(null, null, null, null, null, null, null, null, null, null, options, null, null);
    }

    public static Tool parallelAiSearchTool(JsonNode options) {
        return new Tool(null, null, null, null, null, null, null, null, null, null, null, options, null);
    }

    public static Tool exaAiSearchTool(JsonNode options) {
        return new Tool(null, null, null, null, null, null, null, null, null, null, null, null, options);
    }

    /**
     * A function the model may call. {@code parameters} and {@code response} are OpenAPI-subset
     * schemas, {@code parametersJsonSchema} and {@code responseJsonSchema} full JSON Schemas, all
     * kept as JSON trees: the registry validates them before they get here. {@code behavior} is
     * {@code BLOCKING} or {@code NON_BLOCKING}.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FunctionDeclaration(
            String name,
            String description,
            JsonNode parameters,
            @JsonAlias("parameters_json_schema") JsonNode parametersJsonSchema,
            JsonNode response,
            String behavior,
            @JsonAlias("response_json_schema") JsonNode responseJsonSchema) {

        public FunctionDeclaration(String name, String description, JsonNode parameters,
                JsonNode parametersJsonSchema, JsonNode response, String behavior) {
            this(name, description, parameters, parametersJsonSchema, response, behavior, null);
        }
    }

    /**
     * Retrieval tool (Vertex only): a RAG Engine store, a Vertex AI Search data store or an
     * external search API; {@code disableAttribution} drops the source attribution.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Retrieval(
            @JsonAlias("vertex_rag_store") VertexRagStore vertexRagStore,
            @JsonAlias("vertex_ai_search") JsonNode vertexAiSearch,
            @JsonAlias("external_api") JsonNode externalApi,
            @JsonAlias("disable_attribution") Boolean disableAttribution) {

        public Retrieval(VertexRagStore vertexRagStore) {
            this(vertexRagStore, null, null, null);
        }
    }

    /** Vertex AI RAG Engine store. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record VertexRagStore(
            @JsonAlias("rag_resources") List<RagResource> ragResources,
            @JsonAlias("similarity_top_k") Integer similarityTopK,
            @JsonAlias("vector_distance_threshold") Double vectorDistanceThreshold,
            @JsonAlias("store_context") Boolean storeContext) {}

    /** One RAG corpus, optionally narrowed to some files. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RagResource(
            @JsonAlias("rag_corpus") String ragCorpus,
            @JsonAlias("rag_file_ids") List<String> ragFileIds) {}
}
