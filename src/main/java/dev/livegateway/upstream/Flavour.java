package dev.livegateway.upstream;

/** The two dialects of the Live API: Vertex AI's LlmBidiService and the Gemini Developer API. */
public enum Flavour {
    VERTEX,
    GEMINI
}
