package dev.livegateway.wire;

import java.util.Locale;

/**
 * The two dialects of the Live API, spoken by the gateway's upstream client and served by the
 * emulator: the shapes of some messages differ (see docs/emulator.md).
 */
public enum Flavour {
    /** Vertex AI {@code LlmBidiService}: {@code sessionId} in setupComplete, {@code role:"model"}, {@code candidates*} usage. */
    VERTEX,
    /** Gemini Developer API {@code GenerativeService}: {@code setupComplete:{}}, no role, {@code response*} usage. */
    GEMINI;

    /** Parses {@code vertex} / {@code gemini} (alias {@code developer}, {@code dev}), in any case. */
    public static Flavour parse(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "vertex" -> VERTEX;
            case "gemini", "developer", "dev" -> GEMINI;
            default -> throw new IllegalArgumentException(
                    "unknown flavour '" + value + "': allowed are vertex, gemini (alias developer)");
        };
    }
}
