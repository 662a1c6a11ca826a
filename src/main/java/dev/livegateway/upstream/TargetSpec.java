package dev.livegateway.upstream;

import dev.livegateway.config.UpstreamConfig;
import dev.livegateway.config.UpstreamConfig.TargetFlavour;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What one target of the upstream pool is: configured under {@code live-gateway.upstream.targets."<name>"}
 * or added through {@code PUT /v1/upstreams/{name}}. Its credentials (an API key, a credentials file)
 * are used to connect and never shown: {@link #toString()} leaves the key out.
 *
 * @param models  model ids it serves; empty: every model
 * @param tenants tenants it serves; empty: every tenant
 */
public record TargetSpec(String name, TargetFlavour flavour, Optional<String> project, String location,
        Optional<String> apiVersion, Optional<String> credentialsFile, Optional<String> apiKeyEnv,
        Optional<String> apiKey, Optional<String> endpoint, int weight, OptionalInt maxSessions, Set<String> models,
        Set<String> tenants) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,62}");

    public TargetSpec {
        models = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(models));
        tenants = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(tenants));
    }

    /** The target configured under {@code live-gateway.upstream.targets."<name>"}. */
    public static TargetSpec of(String name, UpstreamConfig.Target t) {
        return new TargetSpec(name, t.flavour(), t.project(), t.location(), t.apiVersion(), t.credentialsFile(),
                t.apiKeyEnv(), t.apiKey(), t.endpoint(), t.weight(), t.maxSessions(),
                new LinkedHashSet<>(t.models().orElse(List.of())), new LinkedHashSet<>(t.tenants().orElse(List.of())));
    }

    /** The key prefix of this target's configuration, for messages. */
    public String keyPrefix() {
        return "live-gateway.upstream.targets.\"" + name + "\".";
    }

    /** The API version in the WebSocket path: the configured one or the flavour's default. */
    public String effectiveApiVersion() {
        return apiVersion.orElse(flavour == TargetFlavour.DEVELOPER ? "v1beta" : "v1beta1");
    }

    /** The Developer API key: from the environment variable {@code api-key-env}, else {@code api-key}; empty if neither. */
    public Optional<String> resolvedApiKey() {
        Optional<String> fromEnv = apiKeyEnv.map(System::getenv).filter(k -> !k.isBlank());
        return fromEnv.isPresent() ? fromEnv : apiKey.filter(k -> !k.isBlank());
    }

    public boolean servesModel(String modelId) {
        return models.isEmpty() || models.contains(modelId);
    }

    public boolean allowsTenant(String tenant) {
        return tenants.isEmpty() || tenants.contains(tenant);
    }

    /** Every problem of this target, each naming its key and what is allowed; empty when valid. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        String p = keyPrefix();
        if (name == null || !NAME.matcher(name).matches()) {
            problems.add("live-gateway.upstream.targets: the name '" + name + "' is not allowed: 1 to 63 letters,"
                    + " digits, '-' and '_', starting with a letter or digit");
            return problems;
        }
        if (flavour == null) {
            problems.add(p + "flavour is required: vertex, developer or endpoint");
            return problems;
        }
        if (weight < 1) {
            problems.add(p + "weight must be at least 1, got " + weight);
        }
        if (maxSessions.isPresent() && maxSessions.getAsInt() < 1) {
            problems.add(p + "max-sessions must be at least 1 (or unset for no limit), got " + maxSessions.getAsInt());
        }
        for (String model : models) {
            if (model.isBlank() || model.contains("/")) {
                problems.add(p + "models lists model ids (e.g. gemini-live-2.5-flash), got '" + model + "'");
            }
        }
        switch (flavour) {
            case VERTEX -> {
                if (project.filter(v -> !v.isBlank()).isEmpty()) {
                    problems.add(p + "project is required for flavour vertex (the Google Cloud project id)");
                }
                oneOf(problems, p + "api-version", effectiveApiVersion(), Set.of("v1", "v1beta1"));
            }
            case DEVELOPER -> {
                oneOf(problems, p + "api-version", effectiveApiVersion(), Set.of("v1", "v1alpha", "v1beta"));
                if (resolvedApiKey().isEmpty()) {
                    problems.add(p + "api-key-env must name a set environment variable holding the Developer API key"
                            + apiKeyEnv.map(v -> " ('" + v + "' is unset or empty)").orElse(""));
                }
            }
            case ENDPOINT -> {
                if (endpoint.isEmpty()) {
                    problems.add(p + "endpoint is required for flavour endpoint (a ws:// or wss:// URL)");
                }
            }
        }
        endpoint.ifPresent(url -> {
            try {
                LiveEndpoints.parseWebSocketUri(url);
            } catch (IllegalStateException e) {
                problems.add(p + "endpoint must be a ws:// or wss:// URL with a host, got '" + url + "'");
            }
        });
        return problems;
    }

    private static void oneOf(List<String> problems, String key, String value, Set<String> allowed) {
        if (!allowed.contains(value)) {
            problems.add(key + " must be one of " + new java.util.TreeSet<>(allowed) + ", got '" + value + "'");
        }
    }

    /** The flavour as written in configuration. */
    public String flavourName() {
        return flavour.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return "TargetSpec[" + name + ", " + flavourName() + project.map(v -> ", project " + v).orElse("")
                + (flavour == TargetFlavour.VERTEX ? ", " + location : "") + endpoint.map(v -> ", " + v).orElse("")
                + ", weight " + weight + "]";
    }
}
