package dev.livegateway.tools;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.ArrayList;
import java.util.List;

/**
 * A tool configuration as written by its author, in a file or in a REST request body: the
 * registry's own format (not Live API JSON). Exactly one kind is set: {@code functions},
 * {@code codeExecution}, {@code googleSearch}, {@code ragRetrieval}, or one of the {@link
 * HostedTool} fields ({@code urlContext}, {@code googleMaps}, {@code enterpriseWebSearch},
 * {@code fileSearch}, {@code computerUse}, {@code mcpServers}, {@code googleSearchRetrieval},
 * {@code parallelAiSearch}, {@code exaAiSearch}, {@code vertexAiSearch}, {@code externalApi}),
 * whose value is the Live API's JSON for that tool, or one the gateway runs itself ({@code http}:
 * {@link HttpTool}, {@code mcp}: {@link McpTool}); {@link ToolValidator} checks that and
 * everything else before an entry is stored.
 *
 * <p>The fields the registry assigns ({@code version}, {@code kind}, {@code source}, {@code file},
 * {@code updatedAt}) are ignored on input, so the body of a GET can be edited and PUT back.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"name", "description", "tenants", "functions", "codeExecution", "googleSearch", "ragRetrieval",
        "urlContext", "googleMaps", "enterpriseWebSearch", "fileSearch", "computerUse", "mcpServers",
        "googleSearchRetrieval", "parallelAiSearch", "exaAiSearch", "vertexAiSearch", "externalApi", "http", "mcp"})
@JsonIgnoreProperties(value = {"version", "kind", "source", "file", "updatedAt"}, allowGetters = true)
public record ToolDefinition(
        String name,
        String description,
        List<String> tenants,
        List<Function> functions,
        ObjectNode codeExecution,
        ObjectNode googleSearch,
        RagRetrieval ragRetrieval,
        JsonNode urlContext,
        JsonNode googleMaps,
        JsonNode enterpriseWebSearch,
        JsonNode fileSearch,
        JsonNode computerUse,
        JsonNode mcpServers,
        JsonNode googleSearchRetrieval,
        JsonNode parallelAiSearch,
        JsonNode exaAiSearch,
        JsonNode vertexAiSearch,
        JsonNode externalApi,
        HttpTool http,
        McpTool mcp) {

    public ToolDefinition {
        tenants = tenants == null ? List.of() : immutableCopy(tenants);
        functions = functions == null ? null : immutableCopy(functions);
        codeExecution = codeExecution == null ? null : codeExecution.deepCopy();
        googleSearch = googleSearch == null ? null : googleSearch.deepCopy();
        urlContext = copy(urlContext);
        googleMaps = copy(googleMaps);
        enterpriseWebSearch = copy(enterpriseWebSearch);
        fileSearch = copy(fileSearch);
        computerUse = copy(computerUse);
        mcpServers = copy(mcpServers);
        googleSearchRetrieval = copy(googleSearchRetrieval);
        parallelAiSearch = copy(parallelAiSearch);
        exaAiSearch = copy(exaAiSearch);
        vertexAiSearch = copy(vertexAiSearch);
        externalApi = copy(externalApi);
    }

    /** A definition of the kinds that existed before the hosted tools. */
    public ToolDefinition(String name, String description, List<String> tenants, List<Function> functions,
            ObjectNode codeExecution, ObjectNode googleSearch, RagRetrieval ragRetrieval) {
        this(name, description, tenants, functions, codeExecution, googleSearch, ragRetrieval, null, null, null, null,
                null, null, null, null, null, null, null, null, null);
    }

    /** A definition of the kinds Google or the caller run (no {@code http}, no {@code mcp}). */
    public ToolDefinition(String name, String description, List<String> tenants, List<Function> functions,
            ObjectNode codeExecution, ObjectNode googleSearch, RagRetrieval ragRetrieval, JsonNode urlContext,
            JsonNode googleMaps, JsonNode enterpriseWebSearch, JsonNode fileSearch, JsonNode computerUse,
            JsonNode mcpServers, JsonNode googleSearchRetrieval, JsonNode parallelAiSearch, JsonNode exaAiSearch,
            JsonNode vertexAiSearch, JsonNode externalApi) {
        this(name, description, tenants, functions, codeExecution, googleSearch, ragRetrieval, urlContext, googleMaps,
                enterpriseWebSearch, fileSearch, computerUse, mcpServers, googleSearchRetrieval, parallelAiSearch,
                exaAiSearch, vertexAiSearch, externalApi, null, null);
    }

    /** The value of a hosted-tool field, or null when unset (JSON null counts as unset). */
    public JsonNode hosted(HostedTool kind) {
        JsonNode value = switch (kind) {
            case URL_CONTEXT -> urlContext;
            case GOOGLE_MAPS -> googleMaps;
            case ENTERPRISE_WEB_SEARCH -> enterpriseWebSearch;
            case FILE_SEARCH -> fileSearch;
            case COMPUTER_USE -> computerUse;
            case MCP_SERVERS -> mcpServers;
            case GOOGLE_SEARCH_RETRIEVAL -> googleSearchRetrieval;
            case PARALLEL_AI_SEARCH -> parallelAiSearch;
            case EXA_AI_SEARCH -> exaAiSearch;
            case VERTEX_AI_SEARCH -> vertexAiSearch;
            case EXTERNAL_API -> externalApi;
        };
        return value == null || value.isNull() ? null : value;
    }

    private static JsonNode copy(JsonNode node) {
        return node == null || node.isNull() ? null : node.deepCopy();
    }

    /** The kinds this definition sets; a valid definition sets exactly one. */
    public List<ToolKind> kinds() {
        List<ToolKind> kinds = new ArrayList<>(1);
        if (functions != null) {
            kinds.add(ToolKind.FUNCTIONS);
        }
        if (codeExecution != null) {
            kinds.add(ToolKind.CODE_EXECUTION);
        }
        if (googleSearch != null) {
            kinds.add(ToolKind.GOOGLE_SEARCH);
        }
        if (ragRetrieval != null) {
            kinds.add(ToolKind.RAG_RETRIEVAL);
        }
        for (HostedTool hosted : HostedTool.values()) {
            if (hosted(hosted) != null) {
                kinds.add(ToolKind.valueOf(hosted.name()));
            }
        }
        if (http != null) {
            kinds.add(ToolKind.HTTP);
        }
        if (mcp != null) {
            kinds.add(ToolKind.MCP);
        }
        return kinds;
    }

    /** The kind of a valid definition. */
    public ToolKind kind() {
        List<ToolKind> kinds = kinds();
        if (kinds.size() != 1) {
            throw new IllegalStateException("tool '" + name + "' sets " + kinds.size() + " kinds, not one");
        }
        return kinds.get(0);
    }

    /** Whether {@code tenant} may use this tool: an empty tenant list allows every tenant. */
    public boolean allows(String tenant) {
        return tenants.isEmpty() || (tenant != null && tenants.contains(tenant));
    }

    /** The same definition under another name. */
    public ToolDefinition withName(String newName) {
        return new ToolDefinition(newName, description, tenants, functions, codeExecution, googleSearch, ragRetrieval,
                urlContext, googleMaps, enterpriseWebSearch, fileSearch, computerUse, mcpServers, googleSearchRetrieval,
                parallelAiSearch, exaAiSearch, vertexAiSearch, externalApi, http, mcp);
    }

    /** Whether the gateway runs this entry's functions itself ({@code http}, {@code mcp}). */
    public boolean gatewayRun() {
        return http != null || mcp != null;
    }

    /**
     * A function declaration. {@code parameters} and {@code response} are schemas in the OpenAPI
     * subset the Live API accepts; {@code parametersJsonSchema} and {@code responseJsonSchema} are
     * full JSON Schemas (draft 2020-12) used instead of them (one or the other, not both);
     * {@code behavior} is left out of the Live API setup when unset.
     */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"name", "description", "parameters", "parametersJsonSchema", "response", "responseJsonSchema",
            "behavior"})
    public record Function(
            String name, String description, JsonNode parameters, JsonNode response, FunctionBehavior behavior,
            JsonNode parametersJsonSchema, JsonNode responseJsonSchema) {

        public Function {
            parameters = parameters == null ? null : parameters.deepCopy();
            response = response == null ? null : response.deepCopy();
            parametersJsonSchema = parametersJsonSchema == null ? null : parametersJsonSchema.deepCopy();
            responseJsonSchema = responseJsonSchema == null ? null : responseJsonSchema.deepCopy();
        }

        /** A function with OpenAPI-subset schemas only. */
        public Function(String name, String description, JsonNode parameters, JsonNode response,
                FunctionBehavior behavior) {
            this(name, description, parameters, response, behavior, null, null);
        }
    }

    /** Vertex AI RAG Engine retrieval: the corpus (and optionally files) and retrieval settings. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"ragResources", "similarityTopK", "vectorDistanceThreshold"})
    public record RagRetrieval(
            List<RagResource> ragResources, Integer similarityTopK, Double vectorDistanceThreshold) {

        public RagRetrieval {
            ragResources = ragResources == null ? null : immutableCopy(ragResources);
        }
    }

    /**
     * One RAG corpus, {@code projects/{project}/locations/{location}/ragCorpora/{id}}, optionally
     * narrowed to some of its files.
     */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"ragCorpus", "ragFileIds"})
    public record RagResource(String ragCorpus, List<String> ragFileIds) {

        public RagResource {
            ragFileIds = ragFileIds == null ? List.of() : immutableCopy(ragFileIds);
        }
    }

    /** Like {@link List#copyOf} but keeps null elements, which the validator reports by position. */
    private static <T> List<T> immutableCopy(List<T> list) {
        return java.util.Collections.unmodifiableList(new ArrayList<>(list));
    }
}
