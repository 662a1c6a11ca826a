package dev.livegateway.upstream;

import io.smallrye.mutiny.Uni;
import java.util.Map;
import java.util.function.Supplier;

/** How a target's upgrade request carries its credentials; they are never logged. */
@FunctionalInterface
interface TargetCredentials {

    /** Adds the credential headers to {@code headers}. */
    Uni<Map<String, String>> addTo(Map<String, String> headers);

    /** No credentials (an emulator, a proxy that adds them). */
    TargetCredentials NONE = headers -> Uni.createFrom().item(headers);

    /** A Developer API key, sent as {@code x-goog-api-key}. */
    static TargetCredentials apiKey(Supplier<String> key) {
        return headers -> {
            headers.put("x-goog-api-key", key.get());
            return Uni.createFrom().item(headers);
        };
    }

    /** A Google OAuth access token (Vertex AI), with the credentials' quota project if any. */
    static TargetCredentials google(GoogleAccessTokens tokens) {
        return headers -> tokens.token().map(token -> {
            headers.put("authorization", "Bearer " + token.value());
            token.quotaProject().ifPresent(p -> headers.put("x-goog-user-project", p));
            return headers;
        });
    }
}
