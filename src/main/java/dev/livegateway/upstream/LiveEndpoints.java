package dev.livegateway.upstream;

import dev.livegateway.config.UpstreamConfig;
import dev.livegateway.config.UpstreamConfig.Mode;
import dev.livegateway.wire.Flavour;
import dev.livegateway.wire.LocalLiveApi;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Derives the Live API endpoint from configuration and checks, at start-up, that the
 * configuration names one completely. The production profile never falls back to the emulator.
 */
@ApplicationScoped
public class LiveEndpoints {

    private static final Set<String> MULTI_REGIONS = Set.of("us", "eu");

    private final UpstreamConfig config;
    private final Instance<LocalLiveApi> emulator;
    private volatile LiveEndpoint endpoint;

    LiveEndpoints(UpstreamConfig config, Instance<LocalLiveApi> emulator) {
        this.config = config;
        this.emulator = emulator;
    }

    /**
     * The endpoint in use; computed once, after the embedded emulator (if any, the
     * {@link LocalLiveApi} bean) has bound its port.
     */
    public LiveEndpoint endpoint() {
        LiveEndpoint current = endpoint;
        if (current == null) {
            synchronized (this) {
                if (endpoint == null) {
                    endpoint = resolve();
                }
                current = endpoint;
            }
        }
        return current;
    }

    public Mode mode() {
        return config.mode().orElseThrow(LiveEndpoints::missingMode);
    }

    /** Refuses to start with an incomplete upstream configuration, before any caller connects. */
    void checkAtStartup(@jakarta.enterprise.event.Observes io.quarkus.runtime.StartupEvent event) {
        validate();
    }

    /** Whether the pool is configured as named targets ({@code live-gateway.upstream.targets}). */
    public boolean pooled() {
        return !config.targets().isEmpty();
    }

    /** The configured targets, by name in name order; empty when the single upstream is the pool. */
    public java.util.List<TargetSpec> targetSpecs() {
        return new java.util.TreeMap<>(config.targets()).entrySet().stream()
                .map(e -> TargetSpec.of(e.getKey(), e.getValue())).toList();
    }

    /** Fails with a message a person can act on when the configuration is incomplete. */
    public void validate() {
        if (pooled()) {
            List<String> problems = new java.util.ArrayList<>();
            targetSpecs().forEach(spec -> problems.addAll(spec.problems()));
            if (!problems.isEmpty()) {
                throw new IllegalStateException("Invalid upstream targets:\n  - " + String.join("\n  - ", problems));
            }
            checkModelsAndPrefixes();
            return;
        }
        Mode mode = mode();
        switch (mode) {
            case VERTEX -> {
                if (config.vertex().project().isEmpty() && config.endpoint().isEmpty()) {
                    throw new IllegalStateException("live-gateway.upstream.mode=vertex needs the Google Cloud project:"
                            + " set live-gateway.upstream.vertex.project (env LIVE_GATEWAY_UPSTREAM_VERTEX_PROJECT)"
                            + " and, if not us-central1, live-gateway.upstream.vertex.location");
                }
                requireOneOf("live-gateway.upstream.vertex.api-version", config.vertex().apiVersion(), Set.of("v1", "v1beta1"));
            }
            case GEMINI -> {
                if (config.gemini().apiKey().filter(k -> !k.isBlank()).isEmpty()) {
                    throw new IllegalStateException("live-gateway.upstream.mode=gemini needs an API key:"
                            + " set live-gateway.upstream.gemini.api-key (env LIVE_GATEWAY_UPSTREAM_GEMINI_API_KEY)");
                }
                requireOneOf("live-gateway.upstream.gemini.api-version", config.gemini().apiVersion(), Set.of("v1", "v1alpha", "v1beta"));
            }
            case EMULATOR -> {
                if (config.endpoint().isEmpty() && !emulator.isResolvable()) {
                    throw new IllegalStateException("live-gateway.upstream.mode=emulator needs an emulator:"
                            + " set live-gateway.emulator.enabled=true for the embedded one, or"
                            + " live-gateway.upstream.endpoint to a stand-alone emulator's ws:// URL");
                }
                boolean embeddedOn = org.eclipse.microprofile.config.ConfigProvider.getConfig()
                        .getOptionalValue("live-gateway.emulator.enabled", Boolean.class).orElse(false);
                if (config.endpoint().isEmpty() && !embeddedOn) {
                    throw new IllegalStateException("live-gateway.upstream.mode=emulator but the embedded emulator is"
                            + " off: add live-gateway.emulator.enabled=true or set live-gateway.upstream.endpoint");
                }
            }
        }
        config.endpoint().ifPresent(LiveEndpoints::parseWebSocketUri);
        checkModelsAndPrefixes();
    }

    private void checkModelsAndPrefixes() {
        for (String model : config.models()) {
            if (model.isBlank() || model.contains("/")) {
                throw new IllegalStateException("live-gateway.upstream.models lists model ids (the last segment of a"
                        + " model name, e.g. gemini-live-2.5-flash), got '" + model + "'");
            }
        }
        for (String prefix : allowedModelPrefixes()) {
            if (prefix.isBlank() || !prefix.endsWith("/") || prefix.startsWith("/") || prefix.contains("//")) {
                throw new IllegalStateException("live-gateway.upstream.allowed-model-prefixes entries are model-name"
                        + " prefixes ending with '/', e.g. projects/my-project/locations/us-central1/publishers/google/models/,"
                        + " got '" + prefix + "'");
            }
        }
    }

    /** Extra qualified model-name prefixes callers may use (live-gateway.upstream.allowed-model-prefixes). */
    public List<String> allowedModelPrefixes() {
        return config.allowedModelPrefixes().orElse(List.of());
    }

    private LiveEndpoint resolve() {
        validate();
        if (pooled()) {
            return of(targetSpecs().get(0));
        }
        Mode mode = mode();
        return switch (mode) {
            case VERTEX -> {
                String location = config.vertex().location();
                String project = config.vertex().project().orElse("");
                String host = "global".equals(location) ? "aiplatform.googleapis.com"
                        : MULTI_REGIONS.contains(location) ? "aiplatform." + location + ".rep.googleapis.com"
                        : location + "-aiplatform.googleapis.com";
                URI uri = config.endpoint().map(LiveEndpoints::parseWebSocketUri)
                        .orElseGet(() -> parseWebSocketUri("wss://" + host + vertexPath(config.vertex().apiVersion())));
                String projectLocation = project.isEmpty() ? "" : "projects/" + project + "/locations/" + location;
                yield new LiveEndpoint(uri, Flavour.VERTEX, projectLocation, project + "/" + location + "/");
            }
            case GEMINI -> {
                URI uri = config.endpoint().map(LiveEndpoints::parseWebSocketUri)
                        .orElseGet(() -> parseWebSocketUri("wss://generativelanguage.googleapis.com/ws/google.ai.generativelanguage."
                                + config.gemini().apiVersion() + ".GenerativeService.BidiGenerateContent"));
                yield new LiveEndpoint(uri, Flavour.GEMINI, "", "gemini-api/");
            }
            case EMULATOR -> {
                URI uri = config.endpoint().map(LiveEndpoints::parseWebSocketUri)
                        .orElseGet(() -> parseWebSocketUri(emulator.get().baseUrl() + vertexPath("v1beta1")));
                String project = config.vertex().project().orElse("emulator");
                String location = config.vertex().location();
                yield new LiveEndpoint(uri, Flavour.VERTEX, "projects/" + project + "/locations/" + location,
                        project + "/" + location + "/");
            }
        };
    }

    /** The endpoint of a pool target (valid: {@link TargetSpec#problems()} empty). */
    public static LiveEndpoint of(TargetSpec spec) {
        return switch (spec.flavour()) {
            case VERTEX -> {
                String location = spec.location();
                String project = spec.project().orElse("");
                URI uri = spec.endpoint().map(LiveEndpoints::parseWebSocketUri)
                        .orElseGet(() -> parseWebSocketUri("wss://" + vertexHost(location) + vertexPath(spec.effectiveApiVersion())));
                yield new LiveEndpoint(uri, Flavour.VERTEX, "projects/" + project + "/locations/" + location,
                        project + "/" + location + "/");
            }
            case DEVELOPER -> new LiveEndpoint(spec.endpoint().map(LiveEndpoints::parseWebSocketUri)
                    .orElseGet(() -> parseWebSocketUri(developerUrl(spec.effectiveApiVersion()))), Flavour.GEMINI, "",
                    "gemini-api/");
            case ENDPOINT -> {
                URI uri = parseWebSocketUri(spec.endpoint().orElseThrow());
                if (uri.getPath() != null && uri.getPath().contains("generativelanguage")) {
                    yield new LiveEndpoint(uri, Flavour.GEMINI, "", "gemini-api/");
                }
                String project = spec.project().orElse("emulator");
                yield new LiveEndpoint(uri, Flavour.VERTEX, "projects/" + project + "/locations/" + spec.location(),
                        project + "/" + spec.location() + "/");
            }
        };
    }

    private static String vertexHost(String location) {
        return "global".equals(location) ? "aiplatform.googleapis.com"
                : MULTI_REGIONS.contains(location) ? "aiplatform." + location + ".rep.googleapis.com"
                : location + "-aiplatform.googleapis.com";
    }

    private static String developerUrl(String apiVersion) {
        return "wss://generativelanguage.googleapis.com/ws/google.ai.generativelanguage." + apiVersion
                + ".GenerativeService.BidiGenerateContent";
    }

    static String vertexPath(String apiVersion) {
        return "/ws/google.cloud.aiplatform." + apiVersion + ".LlmBidiService/BidiGenerateContent";
    }

    static URI parseWebSocketUri(String value) {
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!Set.of("ws", "wss", "http", "https").contains(scheme) || uri.getHost() == null) {
                throw new IllegalStateException("live-gateway.upstream.endpoint must be a ws:// or wss:// URL with a host,"
                        + " got '" + value + "'");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalStateException("live-gateway.upstream.endpoint is not a valid URL: " + e.getMessage(), e);
        }
    }

    private static void requireOneOf(String key, String value, Set<String> allowed) {
        if (!allowed.contains(value)) {
            throw new IllegalStateException(key + " must be one of " + allowed + ", got '" + value + "'");
        }
    }

    private static IllegalStateException missingMode() {
        return new IllegalStateException("No Live API upstream is configured. Set live-gateway.upstream.mode"
                + " (env LIVE_GATEWAY_UPSTREAM_MODE) to 'vertex' (with live-gateway.upstream.vertex.project and"
                + " .location), 'gemini' (with live-gateway.upstream.gemini.api-key) or 'emulator' (with"
                + " live-gateway.emulator.enabled=true). The production profile never falls back to the emulator.");
    }
}
