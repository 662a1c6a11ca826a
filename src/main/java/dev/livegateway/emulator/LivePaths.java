package dev.livegateway.emulator;

import dev.livegateway.wire.Flavour;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The request targets the real Live API serves, with the tolerances real clients need: repeated
 * slashes (the JS SDK always sends {@code //ws/...}), a query string ({@code ?key=}), a prefix.
 * The Developer API is served at every version segment the SDKs use: {@code v1} (JS SDK 3.x),
 * {@code v1beta} and {@code v1alpha}.
 */
public final class LivePaths {

    public static final String VERTEX_V1BETA1 = "/ws/google.cloud.aiplatform.v1beta1.LlmBidiService/BidiGenerateContent";
    public static final String DEVELOPER_V1BETA =
            "/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent";

    private static final Pattern VERTEX =
            Pattern.compile("/ws/google\\.cloud\\.aiplatform\\.(v1|v1beta1)\\.LlmBidiService/BidiGenerateContent");
    private static final Pattern DEVELOPER = Pattern.compile(
            "/ws/google\\.ai\\.generativelanguage\\.(v1|v1alpha|v1beta)\\.GenerativeService\\.BidiGenerateContent(Constrained)?");
    private static final Pattern SLASHES = Pattern.compile("/{2,}");

    private LivePaths() {}

    /** Collapses repeated slashes and drops the query. */
    public static String normalise(String rawPath) {
        String path = rawPath == null ? "" : rawPath;
        int query = path.indexOf('?');
        if (query >= 0) {
            path = path.substring(0, query);
        }
        return SLASHES.matcher(path).replaceAll("/");
    }

    /**
     * The flavour served at {@code rawPath}, or empty when it is not a Live API path.
     *
     * @param prefix an optional path prefix before {@code /ws/...} (null or empty for none)
     */
    public static Optional<Flavour> flavourOf(String rawPath, String prefix) {
        String path = normalise(rawPath);
        String normalisedPrefix = prefix == null ? "" : normalise("/" + prefix);
        if (normalisedPrefix.endsWith("/")) {
            normalisedPrefix = normalisedPrefix.substring(0, normalisedPrefix.length() - 1);
        }
        if (!normalisedPrefix.isEmpty()) {
            if (!path.startsWith(normalisedPrefix + "/")) {
                return Optional.empty();
            }
            path = path.substring(normalisedPrefix.length());
        }
        if (VERTEX.matcher(path).matches()) {
            return Optional.of(Flavour.VERTEX);
        }
        if (DEVELOPER.matcher(path).matches()) {
            return Optional.of(Flavour.GEMINI);
        }
        return Optional.empty();
    }
}
