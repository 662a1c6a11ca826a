package dev.livegateway.emulator;

import dev.livegateway.wire.Flavour;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Settings of a {@link LiveApiEmulator}. Every setter returns {@code this}; the defaults suit
 * tests and local development (random port on 127.0.0.1, plain ws, no auth check).
 */
public final class EmulatorOptions {

    /** How credentials on the upgrade request are checked. */
    public enum AuthMode {
        /** Accept any request. */
        NONE,
        /** Require some credential: Bearer, Token, x-goog-api-key or ?key= / ?access_token=. */
        ANY,
        /** Require exactly {@link #expectedCredential()} as bearer token, token or API key. */
        EXACT
    }

    /** How a request that fails the auth check is refused. */
    public enum AuthRejection {
        HTTP_401,
        HTTP_403,
        /** Accept the upgrade, then close 1008 (what browsers can observe). */
        CLOSE_1008
    }

    /** Default model-id rule: names whose model id contains {@code live} or {@code native-audio}. */
    public static final String DEFAULT_MODEL_PATTERN = ".*(live|native-audio).*";

    private String host = "127.0.0.1";
    private int port = 0;
    private String tlsCertPath;
    private String tlsKeyPath;
    private String pathPrefix = "";
    private Flavour forcedFlavour;
    private AuthMode authMode = AuthMode.NONE;
    private String expectedCredential;
    private AuthRejection authRejection = AuthRejection.HTTP_401;
    private boolean strictFields = true;
    private boolean binaryFrames = true;
    private boolean pretty = false;
    private Duration chunkDelay = Duration.ofMillis(10);
    private Pattern modelPattern = Pattern.compile(DEFAULT_MODEL_PATTERN);
    private int defaultSilenceDurationMs = 500;
    private int speechRmsThreshold = 500;
    private int resumptionUpdateEveryMessages = 10;
    private Duration resumptionUpdateInterval = Duration.ofSeconds(1);
    private Duration handleTtl = Duration.ofHours(2);
    private int maxConcurrentSessions = 0;
    private boolean audioEcho = false;
    private Duration goAwayAfter;
    private int goAwayTimeLeftSeconds = 10;
    private Duration setupCompleteDelay = Duration.ZERO;
    private boolean adminEnabled = true;
    private boolean recording = true;
    private long recordingMaxSessionBytes = 8L << 20;
    private long recordingMaxTotalBytes = 64L << 20;
    private int recordingMaxPayloadChars = 64 << 10;
    private int eventLoops = 1;
    private final List<FaultRule> faults = new ArrayList<>();

    public static EmulatorOptions defaults() {
        return new EmulatorOptions();
    }

    /** Checks the options; throws naming the field and what is allowed. */
    public EmulatorOptions validate() {
        require(port >= 0 && port <= 65535, "port must be 0..65535 (0 = a random free port), was " + port);
        require(eventLoops >= 1 && eventLoops <= 64, "eventLoops must be 1..64, was " + eventLoops);
        require((tlsCertPath == null) == (tlsKeyPath == null),
                "TLS needs both a certificate and a key (PEM files): tlsCertPath=" + tlsCertPath + ", tlsKeyPath=" + tlsKeyPath);
        require(authMode != AuthMode.EXACT || (expectedCredential != null && !expectedCredential.isBlank()),
                "auth mode EXACT needs expectedCredential (the bearer token or API key to require)");
        require(!chunkDelay.isNegative(), "chunkDelay must be >= 0");
        require(defaultSilenceDurationMs > 0, "defaultSilenceDurationMs must be > 0");
        require(resumptionUpdateEveryMessages > 0, "resumptionUpdateEveryMessages must be > 0");
        require(!resumptionUpdateInterval.isNegative() && !resumptionUpdateInterval.isZero(),
                "resumptionUpdateInterval must be > 0");
        require(handleTtl.toMillis() > 0, "handleTtl must be > 0");
        require(recordingMaxSessionBytes > 0, "recordingMaxSessionBytes must be > 0, was " + recordingMaxSessionBytes);
        require(recordingMaxTotalBytes >= recordingMaxSessionBytes, "recordingMaxTotalBytes must be >= "
                + "recordingMaxSessionBytes (" + recordingMaxSessionBytes + "), was " + recordingMaxTotalBytes);
        require(recordingMaxPayloadChars >= 16, "recordingMaxPayloadChars must be >= 16, was " + recordingMaxPayloadChars);
        require(maxConcurrentSessions >= 0, "maxConcurrentSessions must be >= 0 (0 = unlimited)");
        require(goAwayTimeLeftSeconds >= 0, "goAwayTimeLeftSeconds must be >= 0");
        require(goAwayAfter == null || !goAwayAfter.isNegative(), "goAwayAfter must be >= 0");
        for (FaultRule rule : faults) {
            List<String> problems = rule.problems();
            require(problems.isEmpty(), "fault rule " + rule + ": " + String.join("; ", problems));
        }
        return this;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    public boolean tls() {
        return tlsCertPath != null;
    }

    public String host() { return host; }
    public EmulatorOptions host(String v) { host = Objects.requireNonNull(v, "host"); return this; }
    public int port() { return port; }
    public EmulatorOptions port(int v) { port = v; return this; }
    public String tlsCertPath() { return tlsCertPath; }
    public String tlsKeyPath() { return tlsKeyPath; }
    /** Serve wss:// with these PEM files (certificate chain and PKCS#8 or PKCS#1 key). */
    public EmulatorOptions tls(String certPath, String keyPath) { tlsCertPath = certPath; tlsKeyPath = keyPath; return this; }
    public String pathPrefix() { return pathPrefix; }
    public EmulatorOptions pathPrefix(String v) { pathPrefix = v == null ? "" : v; return this; }
    /** The flavour forced on every connection, or null when the path decides. */
    public Flavour forcedFlavour() { return forcedFlavour; }
    public EmulatorOptions forcedFlavour(Flavour v) { forcedFlavour = v; return this; }
    public AuthMode authMode() { return authMode; }
    public EmulatorOptions authMode(AuthMode v) { authMode = Objects.requireNonNull(v); return this; }
    public String expectedCredential() { return expectedCredential; }
    public EmulatorOptions expectedCredential(String v) { expectedCredential = v; return this; }
    public AuthRejection authRejection() { return authRejection; }
    public EmulatorOptions authRejection(AuthRejection v) { authRejection = Objects.requireNonNull(v); return this; }
    public boolean strictFields() { return strictFields; }
    /** Close 1007 on unknown fields in client JSON (the real server's behaviour). */
    public EmulatorOptions strictFields(boolean v) { strictFields = v; return this; }
    public boolean binaryFrames() { return binaryFrames; }
    public EmulatorOptions binaryFrames(boolean v) { binaryFrames = v; return this; }
    public boolean pretty() { return pretty; }
    public EmulatorOptions pretty(boolean v) { pretty = v; return this; }
    public Duration chunkDelay() { return chunkDelay; }
    public EmulatorOptions chunkDelay(Duration v) { chunkDelay = Objects.requireNonNull(v); return this; }
    public Pattern modelPattern() { return modelPattern; }
    /** A regex the model id (last segment of setup.model) must match fully, else close 1008. */
    public EmulatorOptions modelPattern(String regex) { modelPattern = Pattern.compile(regex); return this; }
    public int defaultSilenceDurationMs() { return defaultSilenceDurationMs; }
    public EmulatorOptions defaultSilenceDurationMs(int v) { defaultSilenceDurationMs = v; return this; }
    public int speechRmsThreshold() { return speechRmsThreshold; }
    public EmulatorOptions speechRmsThreshold(int v) { speechRmsThreshold = v; return this; }
    public int resumptionUpdateEveryMessages() { return resumptionUpdateEveryMessages; }
    public EmulatorOptions resumptionUpdateEveryMessages(int v) { resumptionUpdateEveryMessages = v; return this; }
    public Duration resumptionUpdateInterval() { return resumptionUpdateInterval; }
    public EmulatorOptions resumptionUpdateInterval(Duration v) { resumptionUpdateInterval = Objects.requireNonNull(v); return this; }
    public Duration handleTtl() { return handleTtl; }
    public EmulatorOptions handleTtl(Duration v) { handleTtl = Objects.requireNonNull(v); return this; }
    public int maxConcurrentSessions() { return maxConcurrentSessions; }
    public EmulatorOptions maxConcurrentSessions(int v) { maxConcurrentSessions = v; return this; }
    /**
     * Keep every client message for tests and {@code GET /emulator/sessions} (default). Off, the
     * emulator keeps only counts, so that a long load test does not fill its heap.
     */
    public boolean recording() { return recording; }
    public EmulatorOptions recording(boolean v) { recording = v; return this; }
    /**
     * Recorded client messages kept per list (a connection's, a Live session's consumed ones), in
     * bytes of the client frames; beyond it the oldest are dropped and counted (default 8 MiB).
     */
    public long recordingMaxSessionBytes() { return recordingMaxSessionBytes; }
    public EmulatorOptions recordingMaxSessionBytes(long v) { recordingMaxSessionBytes = v; return this; }
    /**
     * Everything recorded, in bytes of client frames counted once per list that keeps them; beyond
     * it the oldest Live sessions are forgotten and counted (default 64 MiB).
     */
    public long recordingMaxTotalBytes() { return recordingMaxTotalBytes; }
    public EmulatorOptions recordingMaxTotalBytes(long v) { recordingMaxTotalBytes = v; return this; }
    /**
     * Longer string values in recorded client messages (base64 audio, video, documents) are kept as
     * a summary ({@code "[N characters not recorded]"}) instead of whole (default 65536).
     */
    public int recordingMaxPayloadChars() { return recordingMaxPayloadChars; }
    public EmulatorOptions recordingMaxPayloadChars(int v) { recordingMaxPayloadChars = v; return this; }
    /** Event loops serving connections (default 1); more for load tests with many sessions. */
    public int eventLoops() { return eventLoops; }
    public EmulatorOptions eventLoops(int v) { eventLoops = v; return this; }
    public boolean audioEcho() { return audioEcho; }
    public EmulatorOptions audioEcho(boolean v) { audioEcho = v; return this; }
    /** Connection age at which every connection gets goAway (null = never). */
    public Duration goAwayAfter() { return goAwayAfter; }
    public EmulatorOptions goAwayAfter(Duration v) { goAwayAfter = v; return this; }
    public int goAwayTimeLeftSeconds() { return goAwayTimeLeftSeconds; }
    public EmulatorOptions goAwayTimeLeftSeconds(int v) { goAwayTimeLeftSeconds = v; return this; }
    public Duration setupCompleteDelay() { return setupCompleteDelay; }
    public EmulatorOptions setupCompleteDelay(Duration v) { setupCompleteDelay = Objects.requireNonNull(v); return this; }
    public boolean adminEnabled() { return adminEnabled; }
    /** Serve the admin endpoints under /emulator/ on the same port. */
    public EmulatorOptions adminEnabled(boolean v) { adminEnabled = v; return this; }
    public List<FaultRule> faults() { return List.copyOf(faults); }
    /** A fault rule active from start-up. */
    public EmulatorOptions addFault(FaultRule rule) { faults.add(Objects.requireNonNull(rule)); return this; }
}
