package dev.livegateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** Where and how the gateway reaches the Live API. Prefix {@code live-gateway.upstream}. */
@ConfigMapping(prefix = "live-gateway.upstream")
public interface UpstreamConfig {

    /**
     * Which Live API the gateway talks to: {@code vertex} (Vertex AI, OAuth from Application
     * Default Credentials), {@code gemini} (Gemini Developer API, API key) or {@code emulator}
     * (the embedded emulator). No default in the production profile: the gateway refuses to
     * start until it is set. The mode picks the endpoint; the dialect spoken there is a
     * {@link dev.livegateway.wire.Flavour} ({@code vertex} and {@code emulator} speak Vertex AI's).
     */
    Optional<Mode> mode();

    /** Model used when the caller's config names none; bare or fully qualified. */
    @WithDefault("gemini-live-2.5-flash")
    String defaultModel();

    /**
     * The models this deployment offers, by id (the last segment of a model name, no {@code /}).
     * The {@code model} tag of the metrics is a session's model id when it is listed here or is
     * the default model's id or has an entry in the capability table ({@code live-gateway.models}),
     * else {@code other}: callers choose models, not label values. Callers
     * may still name other models; the Live API decides whether they exist.
     */
    @WithDefault("gemini-live-2.5-flash,gemini-live-2.5-flash-preview,gemini-live-2.5-flash-native-audio,"
            + "gemini-live-2.5-flash-preview-native-audio,gemini-live-2.5-flash-preview-native-audio-09-2025,"
            + "gemini-3.1-flash-live-preview,gemini-3.8-live,gemini-3.8-live-extended-thinking")
    List<String> models();

    /**
     * Qualified model-name prefixes callers may use besides the ones always allowed: on Vertex AI
     * {@code projects/{project}/locations/{location}/publishers/google/models/} of the configured
     * project and location (and {@code publishers/google/models/}, completed with them); on the
     * Developer API {@code models/} and {@code tunedModels/}. Each entry ends with {@code /} and a
     * model id follows it, e.g. {@code projects/shared-project/locations/us-central1/publishers/google/models/}.
     * Any other project, location or publisher is refused with INVALID_ARGUMENT: the gateway's
     * credentials are never used for a target the operator did not configure.
     */
    Optional<List<String>> allowedModelPrefixes();

    /**
     * Full WebSocket URL overriding the one derived from the mode, e.g. for a private endpoint,
     * a proxy or a stand-alone emulator ({@code ws://localhost:9090/ws/google.cloud...}).
     */
    Optional<String> endpoint();

    /** Vertex AI settings (mode {@code vertex}). */
    Vertex vertex();

    /** Gemini Developer API settings (mode {@code gemini}). */
    Gemini gemini();

    /** Time allowed for the TCP/TLS connect and WebSocket upgrade. */
    @WithDefault("10s")
    Duration connectTimeout();

    /** Time allowed between sending {@code setup} and receiving {@code setupComplete}. */
    @WithDefault("10s")
    Duration setupTimeout();

    /**
     * PEM file of the certificates to trust for the upstream TLS connection instead of the JVM's
     * trust store (private CAs, an emulator with a self-signed certificate). Empty: the JVM's trust store.
     */
    Optional<String> trustCertificatePem();

    /** Largest WebSocket message accepted from the upstream, in bytes. */
    @WithDefault("16777216")
    int maxMessageBytes();

    /** Outbound WebSocket write queue high-water mark, in bytes, before input is held back. */
    @WithDefault("1048576")
    int writeQueueBytes();

    /**
     * The pool of Live API targets, by name (letters, digits, {@code -} and {@code _}), e.g.
     * {@code live-gateway.upstream.targets."vertex-eu".flavour=vertex}. A new session is placed on
     * a target that serves its model, allows its tenant and has room, by weight, preferring targets
     * that answered well recently; a refusal at connect time moves it to the next one. Empty (the
     * default): the single upstream configured by {@code mode}, {@code endpoint}, {@code vertex.*}
     * and {@code gemini.*} is the pool, as one target named {@code default}. When targets are
     * listed, {@code mode} and the single-upstream keys are not used for connections.
     */
    Map<String, Target> targets();

    enum Mode {
        VERTEX,
        GEMINI,
        EMULATOR
    }

    interface Vertex {
        /** Google Cloud project id. Required in mode {@code vertex}. */
        Optional<String> project();

        /** Location: a region such as {@code us-central1}, {@code global}, or {@code us}/{@code eu}. */
        @WithDefault("us-central1")
        String location();

        /** API version in the WebSocket path: {@code v1beta1} or {@code v1}. */
        @WithDefault("v1beta1")
        String apiVersion();

        /**
         * Service-account or other credentials JSON file. Empty: Application Default Credentials
         * (GOOGLE_APPLICATION_CREDENTIALS, gcloud, or the GKE metadata server / Workload Identity).
         */
        Optional<String> credentialsFile();

        /** Refresh the access token when it has less than this left. */
        @WithDefault("5m")
        Duration tokenRefreshMargin();
    }

    interface Gemini {
        /** API key for the Gemini Developer API. Required in mode {@code gemini}. */
        Optional<String> apiKey();

        /** API version in the WebSocket path: {@code v1beta}, {@code v1alpha} or {@code v1} (what the JS SDK 3.x uses). */
        @WithDefault("v1beta")
        String apiVersion();
    }

    /** What a target is. */
    enum TargetFlavour {
        /** Vertex AI: {@code project}, {@code location}, {@code api-version}, OAuth from {@code credentials-file} or ADC. */
        VERTEX,
        /** Gemini Developer API: an API key from {@code api-key-env} (or {@code api-key}). */
        DEVELOPER,
        /**
         * A Live API at {@code endpoint} without credentials (an emulator, a proxy that adds them); it
         * speaks the Developer API's dialect when its path is a {@code generativelanguage} path, else Vertex AI's.
         */
        ENDPOINT
    }

    /** One target of the pool ({@code live-gateway.upstream.targets."<name>".*}). */
    interface Target {
        /** {@code vertex}, {@code developer} or {@code endpoint}. Required. */
        TargetFlavour flavour();

        /** Google Cloud project id; required for {@code vertex}. */
        Optional<String> project();

        /** Vertex AI location: a region such as {@code europe-west4}, {@code global}, or {@code us}/{@code eu}. */
        @WithDefault("us-central1")
        String location();

        /**
         * API version in the WebSocket path: {@code v1beta1} or {@code v1} for {@code vertex} (default
         * {@code v1beta1}); {@code v1beta}, {@code v1alpha} or {@code v1} for {@code developer} (default {@code v1beta}).
         */
        Optional<String> apiVersion();

        /** {@code vertex}: service-account or other credentials JSON file; empty: Application Default Credentials. */
        Optional<String> credentialsFile();

        /**
         * {@code developer}: the name of the environment variable that holds the API key (e.g.
         * {@code GEMINI_KEY_TEAM_B}, from a Kubernetes Secret). The key itself is never logged nor shown.
         */
        Optional<String> apiKeyEnv();

        /** {@code developer}: the API key itself, when {@code api-key-env} is not used (prefer the variable). */
        Optional<String> apiKey();

        /**
         * Full {@code ws://} or {@code wss://} URL; required for {@code endpoint}, an override (private
         * endpoint, proxy) for the others.
         */
        Optional<String> endpoint();

        /** Share of new sessions among the targets that can take them, relative to the others' weights. At least 1. */
        @WithDefault("1")
        int weight();

        /**
         * Concurrent sessions this target may carry, across every replica sharing the lease store
         * (set it below the project's Live API quota for the region). Unset: no limit of the gateway's.
         */
        OptionalInt maxSessions();

        /** Model ids this target serves (e.g. {@code gemini-live-2.5-flash}). Unset: every model. */
        Optional<List<String>> models();

        /** Tenants whose sessions may use this target. Unset: every tenant. */
        Optional<List<String>> tenants();
    }
}
