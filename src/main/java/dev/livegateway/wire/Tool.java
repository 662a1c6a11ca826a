package dev.livegateway.wire;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/** Live API {@code Tool}: one entry of {@code setup.tools}; each field enables one kind. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Tool(
        @JsonAlias("function_declarations") List<FunctionDeclaration> functionDeclarations,
        @JsonAlias("code_execution") Empty codeExecution,
        @JsonAlias("google_search") Empty googleSearch,
        Retrieval retrieval) {

    public static Tool functionsTool(List<FunctionDeclaration> declarations) {
        return new Tool(declarations, null, null, null);
    }

    public static Tool codeExecutionTool() {
        return new Tool(null, new Empty(), null, null);
    }

    public static Tool googleSearchTool() {
        return new Tool(null, null, new Empty(), null);
    }

    public static Tool retrievalTool(VertexRagStore store) {
        return new Tool(null, null, null, new Retrieval(store));
    }

    /**
     * A function the model may call. {@code parameters} and {@code response} are OpenAPI-subset
     * schemas kept as JSON trees: the registry validates their keywords before they get here.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FunctionDeclaration(
            String name,
            String description,
            JsonNode parameters,
            @JsonAlias("parameters_json_schema") JsonNode parametersJsonSchema,
            JsonNode response,
            String behavior) {}

    /** Retrieval tool (Vertex only). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Retrieval(@JsonAlias("vertex_rag_store") VertexRagStore vertexRagStore) {}

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
