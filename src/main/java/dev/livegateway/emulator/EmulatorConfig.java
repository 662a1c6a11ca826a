package dev.livegateway.emulator;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The embedded Live API emulator ({@link EmbeddedEmulator}). */
@ConfigMapping(prefix = "live-gateway.emulator")
public interface EmulatorConfig {

    /** Start the emulator inside the gateway (dev and test profiles turn it on). */
    @WithDefault("false")
    boolean enabled();

    /** Interface to bind. */
    @WithDefault("127.0.0.1")
    String host();

    /** Port to bind; 0 picks a random free port (see {@link EmbeddedEmulator#port()}). */
    @WithDefault("0")
    int port();

    /** TLS (wss://). */
    Tls tls();

    /** Optional path prefix before {@code /ws/...}. */
    Optional<String> pathPrefix();

    /** Force a flavour on every connection ({@code vertex} or {@code gemini}); by default the path decides. */
    Optional<String> flavour();

    /** Credential check: {@code none}, {@code any} (some credential required) or {@code exact}. */
    @WithDefault("none")
    String auth();

    /** The bearer token / API key required when {@code auth=exact}. */
    Optional<String> expectedCredential();

    /** How a failed auth check is refused: {@code http-401}, {@code http-403} or {@code close-1008}. */
    @WithDefault("http-401")
    String authRejection();

    /** Close 1007 on unknown fields in client JSON, as the real server does. */
    @WithDefault("true")
    boolean strictFields();

    /** Server frame type: {@code binary} (like the real server) or {@code text}. */
    @WithDefault("binary")
    String frameType();

    /** Pretty-print server JSON. */
    @WithDefault("false")
    boolean pretty();

    /** Pause between the chunks of a streamed reply. */
    @WithDefault("10ms")
    Duration chunkDelay();

    /** Regex the model id (last segment of setup.model) must match, else close 1008 "Requested entity was not found.". */
    @WithDefault(EmulatorOptions.DEFAULT_MODEL_PATTERN)
    String modelPattern();

    /** End-of-speech silence when the setup gives no {@code silenceDurationMs}, in audio time. */
    @WithDefault("500")
    int silenceDurationMs();

    /** RMS (0..32768) above which a 10 ms audio frame counts as speech. */
    @WithDefault("500")
    int speechRmsThreshold();

    /** Send a resumption update after this many consumed client messages. */
    @WithDefault("10")
    int resumptionUpdateEveryMessages();

    /** Send a resumption update at least this often while input is consumed. */
    @WithDefault("1s")
    Duration resumptionUpdateInterval();

    /** How long a resumption handle stays valid. */
    @WithDefault("2h")
    Duration handleTtl();

    /** Answer each input audio chunk at once with one output chunk of the same duration (benchmarks). */
    @WithDefault("false")
    boolean audioEcho();

    /**
     * Keep every client message for {@code GET /emulator/sessions} and tests. Off, only counts are
     * kept, so that a long-running emulator does not grow its heap with every audio chunk.
     */
    @WithDefault("true")
    boolean recording();

    /** Bounds of the recording, so that {@code GET /emulator/sessions} and the heap stay small. */
    Recording recordingLimits();

    /** Serve the admin endpoints under /emulator/. */
    @WithDefault("true")
    boolean admin();

    /** Emulator-wide fault defaults. */
    Faults faults();

    /** TLS settings. */
    interface Tls {
        /** Serve wss:// with the PEM files below. */
        @WithDefault("false")
        boolean enabled();

        /** PEM certificate (chain) file. */
        Optional<String> certPath();

        /** PEM private key file. */
        Optional<String> keyPath();
    }

    /** Bounds of the recording ({@code live-gateway.emulator.recording-limits.*}). */
    interface Recording {
        /**
         * Recorded client messages kept per connection and per Live session, in bytes of the client
         * frames; beyond it the oldest are dropped (and counted in {@code GET /emulator/sessions}).
         */
        @WithDefault("8388608")
        long maxSessionBytes();

        /**
         * Everything recorded, in bytes of client frames (counted once per connection and once per
         * session that keeps a message); beyond it the oldest Live sessions are forgotten (and
         * counted). At least {@code max-session-bytes}.
         */
        @WithDefault("67108864")
        long maxTotalBytes();

        /**
         * Longer string values in recorded messages (base64 audio or video) are kept as a summary,
         * {@code "[N characters not recorded]"}.
         */
        @WithDefault("65536")
        int maxPayloadChars();
    }

    /** Fault defaults. */
    interface Faults {
        /** Close 1011 RESOURCE_EXHAUSTED when more than this many sessions would be connected (0 = unlimited). */
        @WithDefault("0")
        int maxConcurrentSessions();

        /** Connection age at which every connection gets goAway (unset = never). */
        Optional<Duration> goAwayAfter();

        /** {@code goAway.timeLeft} in whole seconds; the connection closes 1000 when it is up. */
        @WithDefault("10")
        int goAwayTimeLeftSeconds();

        /** Hold back every {@code setupComplete} this long. */
        @WithDefault("0s")
        Duration setupCompleteDelay();

        /** Fault rules as JSON objects (the shape of POST /emulator/faults). */
        Optional<List<String>> rules();
    }
}
