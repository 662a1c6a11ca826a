package dev.livegateway.session;

/** The front a session's caller came through; the {@code front} label of its metrics and traces. */
public enum CallerFront {
    /** The gRPC Converse stream. */
    GRPC("grpc"),
    /** The Live-API-compatible WebSocket (Google's SDKs, raw Live API clients). */
    WEBSOCKET("websocket");

    private final String tag;

    CallerFront(String tag) {
        this.tag = tag;
    }

    /** The label value: {@code grpc} or {@code websocket}. */
    public String tag() {
        return tag;
    }
}
