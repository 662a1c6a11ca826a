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
 * registry's own format (not Live API JSON). Exactly one of {@code functions},
 * {@code codeExecution}, {@code googleSearch} and {@code ragRetrieval} is set; {@link
 * ToolValidator} checks that and everything else before an entry is stored.
 *
 * <p>The fields the registry assigns ({@code version}, {@code kind}, {@code source}, {@code file},
 * {@code updatedAt}) are ignored on input, so the body of a GET can be edited and PUT back.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"name", "description", "tenants", "functions", "codeExecution", "googleSearch", "ragRetrieval"})
@JsonIgnoreProperties(value = {"version", "kind", "source", "file", "updatedAt"}, allowGetters = true)
public record ToolDefinition(
        String name,
        String description,
        List<String> tenants,
        List<Function> functions,
        ObjectNode codeExecution,
        ObjectNode googleSearch,
        RagRetrieval ragRetrieval) {

    public ToolDefinition {
        tenants = tenants == null ? List.of() : immutableCopy(tenants);
        functions = functions == null ? null : immutableCopy(functions);
        codeExecution = codeExecution == null ? null : codeExecution.deepCopy();
        googleSearch = googleSearch == null ? null : googleSearch.deepCopy();
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
        return new ToolDefinition(newName, description, tenants, functions, codeExecution, googleSearch, ragRetrieval);
    }

    /**
     * A function declaration. {@code parameters} and {@code response} are schemas in the OpenAPI
     * subset the Live API accepts; {@code behavior} is left out of the Live API setup when unset.
     */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"name", "description", "parameters", "response", "behavior"})
    public record Function(
            String name, String description, JsonNode parameters, JsonNode response, FunctionBehavior behavior) {

        public Function {
            parameters = parameters == null ? null : parameters.deepCopy();
            response = response == null ? null : response.deepCopy();
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
