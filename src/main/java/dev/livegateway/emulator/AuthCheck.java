package dev.livegateway.emulator;

import io.vertx.core.http.HttpServerRequest;
import java.util.Locale;

/** The credential checks of the upgrade request (docs/emulator.md, "Authentication"). */
final class AuthCheck {

    private AuthCheck() {}

    /** The credential carried by the request, or null: Bearer/Token header, x-goog-api-key, ?key=, ?access_token=. */
    static String credentialOf(HttpServerRequest request) {
        String authorization = request.getHeader("authorization");
        if (authorization != null) {
            String lower = authorization.toLowerCase(Locale.ROOT);
            if (lower.startsWith("bearer ")) {
                return authorization.substring(7).trim();
            }
            if (lower.startsWith("token ")) {
                return authorization.substring(6).trim();
            }
        }
        String apiKey = request.getHeader("x-goog-api-key");
        if (apiKey != null && !apiKey.isBlank()) {
            return apiKey.trim();
        }
        String key = request.getParam("key");
        if (key != null && !key.isBlank()) {
            return key;
        }
        String accessToken = request.getParam("access_token");
        return accessToken == null || accessToken.isBlank() ? null : accessToken;
    }

    static boolean authorised(HttpServerRequest request, EmulatorOptions options) {
        return switch (options.authMode()) {
            case NONE -> true;
            case ANY -> credentialOf(request) != null && !credentialOf(request).isEmpty();
            case EXACT -> options.expectedCredential().equals(credentialOf(request));
        };
    }
}
