package dev.livegateway.emulator;

/** Which Live API service a connection speaks to: the shapes of some messages differ (§6 of the protocol notes). */
public enum Flavour {
    /** Vertex AI {@code LlmBidiService}: {@code sessionId} in setupComplete, {@code role:"model"}, {@code candidates*} usage. */
    VERTEX,
    /** Gemini Developer API {@code GenerativeService}: {@code setupComplete:{}}, no role, {@code response*} usage. */
    DEVELOPER;

    /** Parses {@code vertex} / {@code gemini} / {@code developer} (any case). */
    public static Flavour parse(String value) {
        return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "vertex" -> VERTEX;
            case "gemini", "developer", "dev" -> DEVELOPER;
            default -> throw new IllegalArgumentException(
                    "unknown flavour '" + value + "': allowed are vertex, gemini (alias developer)");
        };
    }
}
