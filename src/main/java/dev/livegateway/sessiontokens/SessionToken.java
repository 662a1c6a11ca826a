package dev.livegateway.sessiontokens;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a session token stands for: the tenant whose session it starts, the model it may name (or
 * any), the registry tools it may name (or any) and when it stops starting sessions. Stored under
 * the token's SHA-256 only.
 *
 * @param tenant    the tenant that minted it; the session is this tenant's
 * @param model     the only model a session may name (bare name, e.g. {@code gemini-live-2.5-flash}), or null for any
 * @param tools     the registry tools (names) a session may name, or null for any
 * @param expiresAt when the token stops starting sessions
 */
public record SessionToken(String tenant, String model, List<String> tools, Instant expiresAt) {

    public SessionToken {
        tools = tools == null ? null : List.copyOf(tools);
    }

    /** The model name without the {@code models/} or {@code …/models/} prefix the SDKs add. */
    public static String bareModel(String model) {
        if (model == null) {
            return null;
        }
        int slash = model.lastIndexOf("models/");
        return slash >= 0 ? model.substring(slash + "models/".length()) : model;
    }

    /** Why {@code model} may not be used with this token, or empty when it may. */
    public Optional<String> modelRefusal(String requested) {
        if (model == null || model.equals(bareModel(requested))) {
            return Optional.empty();
        }
        return Optional.of("'" + requested + "' is not allowed by the session token; allowed: " + model);
    }

    /** Why the registry tool {@code name} may not be used with this token, or empty when it may. */
    public Optional<String> toolRefusal(String name) {
        if (tools == null || tools.contains(name)) {
            return Optional.empty();
        }
        return Optional.of("registry tool '" + name + "' is not allowed by the session token; allowed: "
                + (tools.isEmpty() ? "none" : String.join(", ", tools)));
    }
}
