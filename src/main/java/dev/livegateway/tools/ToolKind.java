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
    RAG_RETRIEVAL
}
