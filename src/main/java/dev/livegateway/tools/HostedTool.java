package dev.livegateway.tools;

import java.util.List;

/**
 * The tools Google runs for the model, beyond code execution, Google Search and RAG retrieval
 * (which have entry fields of their own): each is one field of a registry entry whose value is the
 * Live API's JSON for that tool kind, passed on unchanged. The validator checks the value is an
 * object (an array for MCP servers) whose keys are the Live API's, listed here as in
 * google-genai 2.0.0 (the SDK coverage test checks this table against the SDK).
 */
public enum HostedTool {
    /** The model reads the pages at URLs in the conversation ({@code urlContext}); no options. */
    URL_CONTEXT("urlContext", List.of(), null),
    /** Grounding with Google Maps. */
    GOOGLE_MAPS("googleMaps", List.of("authConfig", "enableWidget", "groundingTypes"), null),
    /** Grounding with Vertex AI's enterprise web search (Vertex AI only). */
    ENTERPRISE_WEB_SEARCH("enterpriseWebSearch", List.of("blockingConfidence", "excludeDomains"), null),
    /** Retrieval from File Search stores (Gemini Developer API only). */
    FILE_SEARCH("fileSearch", List.of("fileSearchStoreNames", "topK", "metadataFilter"), "fileSearchStoreNames"),
    /** Computer use: the model asks the caller to act on a screen through predefined functions. */
    COMPUTER_USE("computerUse", List.of("environment", "excludedPredefinedFunctions",
            "enablePromptInjectionDetection", "disabledSafetyPolicies"), null),
    /** Remote MCP servers the Live API calls itself; the value is a list of servers. */
    MCP_SERVERS("mcpServers", List.of("name", "streamableHttpTransport"), "name"),
    /** The older Google Search retrieval tool with dynamic retrieval. */
    GOOGLE_SEARCH_RETRIEVAL("googleSearchRetrieval", List.of("dynamicRetrievalConfig"), null),
    /** Web search by Parallel AI (Vertex AI only); the API key is stored in the entry. */
    PARALLEL_AI_SEARCH("parallelAiSearch", List.of("apiKey", "customConfigs", "enableDataRetention",
            "enableZeroDataRetention"), null),
    /** Web search by Exa AI (Vertex AI only); the API key is stored in the entry. */
    EXA_AI_SEARCH("exaAiSearch", List.of("apiKey", "customConfigs"), null),
    /** Retrieval from a Vertex AI Search data store or engine (Vertex AI only), sent as {@code retrieval.vertexAiSearch}. */
    VERTEX_AI_SEARCH("vertexAiSearch", List.of("dataStoreSpecs", "datastore", "engine", "filter", "maxResults"), null),
    /** Retrieval from an external search API (Vertex AI only), sent as {@code retrieval.externalApi}. */
    EXTERNAL_API("externalApi", List.of("apiAuth", "apiSpec", "authConfig", "elasticSearchParams", "endpoint",
            "simpleSearchParams"), "endpoint");

    private final String field;
    private final List<String> options;
    private final String required;

    HostedTool(String field, List<String> options, String required) {
        this.field = field;
        this.options = options;
        this.required = required;
    }

    /** The entry field (and Live API JSON name) of this kind. */
    public String field() {
        return field;
    }

    /** The keys its value may have. */
    public List<String> options() {
        return options;
    }

    /** The key its value must have, or null. */
    public String required() {
        return required;
    }
}
