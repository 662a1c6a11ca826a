package dev.livegateway.tools;

/** What a registry entry configures: exactly one kind per entry. */
public enum ToolKind {
    /** Function declarations the model may call; the caller runs them. */
    FUNCTIONS,
    /** The model writes and runs Python code in Google's sandbox. */
    CODE_EXECUTION,
    /** Grounding with Google Search. */
    GOOGLE_SEARCH,
    /** Grounding with a Vertex AI RAG Engine corpus (Vertex AI only). */
    RAG_RETRIEVAL,
    /** {@link HostedTool#URL_CONTEXT}. */
    URL_CONTEXT,
    /** {@link HostedTool#GOOGLE_MAPS}. */
    GOOGLE_MAPS,
    /** {@link HostedTool#ENTERPRISE_WEB_SEARCH}. */
    ENTERPRISE_WEB_SEARCH,
    /** {@link HostedTool#FILE_SEARCH}. */
    FILE_SEARCH,
    /** {@link HostedTool#COMPUTER_USE}. */
    COMPUTER_USE,
    /** {@link HostedTool#MCP_SERVERS}. */
    MCP_SERVERS,
    /** {@link HostedTool#GOOGLE_SEARCH_RETRIEVAL}. */
    GOOGLE_SEARCH_RETRIEVAL,
    /** {@link HostedTool#PARALLEL_AI_SEARCH}. */
    PARALLEL_AI_SEARCH,
    /** {@link HostedTool#EXA_AI_SEARCH}. */
    EXA_AI_SEARCH,
    /** {@link HostedTool#VERTEX_AI_SEARCH}. */
    VERTEX_AI_SEARCH,
    /** {@link HostedTool#EXTERNAL_API}. */
    EXTERNAL_API,
    /** A function the gateway runs by calling an HTTP endpoint ({@link HttpTool}). */
    HTTP,
    /** The tools of an MCP server, which the gateway calls ({@link McpTool}). */
    MCP
}
