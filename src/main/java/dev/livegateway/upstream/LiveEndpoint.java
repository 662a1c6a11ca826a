package dev.livegateway.upstream;

import dev.livegateway.wire.Flavour;
import java.net.URI;
import java.util.List;

/**
 * Where one Live API lives: the WebSocket address, its dialect, and how model names are written
 * for it. {@code projectLocation} is {@code projects/{p}/locations/{l}} for Vertex, else empty.
 */
public record LiveEndpoint(URI uri, Flavour flavour, String projectLocation, String poolPrefix) {

    public boolean tls() {
        return "wss".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme());
    }

    public int port() {
        return uri.getPort() > 0 ? uri.getPort() : tls() ? 443 : 80;
    }

    /** Path and query as sent in the upgrade request. */
    public String requestTarget() {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    }

    /**
     * Expands a model name the way the Google SDKs do: fully qualified names pass through,
     * {@code publishers/...} and {@code models/...} are completed, a bare id becomes
     * {@code projects/{p}/locations/{l}/publishers/google/models/{id}} on Vertex and
     * {@code models/{id}} on the Developer API.
     */
    public String qualifyModel(String model) {
        if (flavour == Flavour.GEMINI) {
            return model.startsWith("models/") || model.startsWith("tunedModels/") ? model : "models/" + model;
        }
        if (model.startsWith("projects/")) {
            return model;
        }
        String prefix = projectLocation.isEmpty() ? "" : projectLocation + "/";
        if (model.startsWith("publishers/")) {
            return prefix + model;
        }
        if (model.startsWith("models/")) {
            return prefix + "publishers/google/" + model;
        }
        int slash = model.indexOf('/');
        if (slash > 0) {
            return prefix + "publishers/" + model.substring(0, slash) + "/models/" + model.substring(slash + 1);
        }
        return prefix + "publishers/google/models/" + model;
    }

    /**
     * Expands a model name a caller sent ({@link #qualifyModel}) and checks that it targets what
     * this gateway is configured for: on Vertex AI a Google model of the configured project and
     * location, on the Developer API {@code models/} or {@code tunedModels/}, or a name that
     * starts with one of {@code allowedPrefixes} followed by a model id. The gateway's
     * credentials must never reach another project or publisher because a caller named it.
     *
     * @throws IllegalArgumentException saying what is allowed
     */
    public String qualifyCallerModel(String model, List<String> allowedPrefixes) {
        String qualified = qualifyModel(model);
        if (hasSegmentAfter(qualified, ownPrefix()) || (flavour == Flavour.GEMINI && hasSegmentAfter(qualified, "tunedModels/"))) {
            return qualified;
        }
        for (String prefix : allowedPrefixes) {
            if (hasSegmentAfter(qualified, prefix)) {
                return qualified;
            }
        }
        String allowed = flavour == Flavour.GEMINI
                ? "a model id (e.g. gemini-live-2.5-flash), models/{id} or tunedModels/{id}"
                : "a model id (e.g. gemini-live-2.5-flash), publishers/google/models/{id}"
                        + (projectLocation.isEmpty() ? "" : " or " + ownPrefix() + "{id} (this gateway's project and location)");
        if (!allowedPrefixes.isEmpty()) {
            allowed += ", or a name starting with one of " + allowedPrefixes;
        }
        throw new IllegalArgumentException("'" + model + "' is not allowed: this gateway serves " + allowed
                + "; other projects, locations and publishers are refused");
    }

    /** The prefix of this endpoint's own Google models, followed by the model id. */
    private String ownPrefix() {
        if (flavour == Flavour.GEMINI) {
            return "models/";
        }
        return (projectLocation.isEmpty() ? "" : projectLocation + "/") + "publishers/google/models/";
    }

    /** Whether {@code name} is {@code prefix} followed by one non-empty segment (no further {@code /}). */
    private static boolean hasSegmentAfter(String name, String prefix) {
        return name.length() > prefix.length() && name.startsWith(prefix) && name.indexOf('/', prefix.length()) < 0;
    }

    /**
     * The quota pool a model belongs to: the Vertex concurrent-session quota is per project,
     * location and model, so the pool key is the qualified model's project, location and id.
     */
    public String poolKey(String qualifiedModel) {
        int idx = qualifiedModel.lastIndexOf('/');
        String modelId = idx >= 0 ? qualifiedModel.substring(idx + 1) : qualifiedModel;
        return poolPrefix + modelId;
    }
}
