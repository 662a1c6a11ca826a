package dev.livegateway.tools;

/** Where a registry entry is managed. */
public enum ToolSource {
    /** A YAML or JSON file in {@code live-gateway.tools.directory}; read-only through the API. */
    FILE,
    /** The REST admin API under {@code /v1/tools}. */
    API
}
