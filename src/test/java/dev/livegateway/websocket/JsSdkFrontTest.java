package dev.livegateway.websocket;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Google's JavaScript SDK ({@code @google/genai} 3.3.0 from npm), unmodified, as a client of the
 * gateway's Live API WebSocket front, with the embedded emulator behind the gateway (the same
 * Quarkus test application as {@link LiveApiFrontTest}). The SDK runs in node, in the scripts of
 * {@code src/test/resources/js-sdk/} (the README's JavaScript examples), each printing one JSON
 * line with what the SDK gave its callbacks. Skipped, saying why, when node or npm is missing or
 * the package cannot be installed (no network).
 */
@QuarkusTest
class JsSdkFrontTest {

    static final String SDK_VERSION = "3.3.0";
    static final Path SDK_DIR = Path.of("target", "js-sdk");
    private static final Duration INSTALL_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(20);

    @TestHTTPResource("/")
    URL base;

    /** Why the SDK cannot run here (then every test is skipped, saying so), or null. */
    private static String unavailable;

    @BeforeAll
    static void installSdk() throws Exception {
        unavailable = install();
    }

    /** An assumption per test rather than in {@code @BeforeAll}: surefire then reports each skip with its reason. */
    @BeforeEach
    void sdkInstalled() {
        Assumptions.assumeTrue(unavailable == null, unavailable);
    }

    private static String install() throws Exception {
        if (!runs("node", "--version") || !runs("npm", "--version")) {
            return "node and npm are needed to run @google/genai (install nodejs and npm)";
        }
        Path installed = SDK_DIR.resolve("node_modules/@google/genai/package.json");
        if (Files.exists(installed) && new ObjectMapper().readTree(installed.toFile()).path("version").asText()
                .equals(SDK_VERSION)) {
            return null;
        }
        Files.createDirectories(SDK_DIR);
        Path log = SDK_DIR.resolve("npm-install.log");
        Process npm = new ProcessBuilder("npm", "install", "--prefix", SDK_DIR.toString(), "--no-audit", "--no-fund",
                "@google/genai@" + SDK_VERSION).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean finished = npm.waitFor(INSTALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (!finished) {
            npm.destroyForcibly();
        }
        if (finished && npm.exitValue() == 0 && Files.exists(installed)) {
            return null;
        }
        return "npm could not install @google/genai@" + SDK_VERSION + " into " + SDK_DIR
                + (finished ? "" : " within " + INSTALL_TIMEOUT.toSeconds() + " s") + " (no network?); see " + log
                + ": " + firstLines(log);
    }

    /** (1) The Developer-API flavour with the tenant key as {@code apiKey}: {@code ?key=} on the front. */
    @Test
    void aTenantKeyAsApiKeyGetsTheEmulatorsReply() throws Exception {
        JsonNode result = node("text-turn.mjs", LiveApiFrontTest.KEY, Map.of("PROMPT", "Hello from JavaScript"));
        assertThat(result.path("text").asText()).isEqualTo("You said: \"Hello from JavaScript\".");
        assertThat(result.path("turnComplete").asBoolean()).isTrue();
        assertThat(result.path("close").path("code").asInt()).as("the SDK's own close, answered").isEqualTo(1000);
    }

    /** (2) A session token as the SDK's {@code apiKey}, as Google's ephemeral tokens are used: once. */
    @Test
    void aSessionTokenWorksOnceAndASecondUseIsRefusedWith1008() throws Exception {
        String token = given().header("Authorization", "Bearer " + LiveApiFrontTest.KEY).contentType(ContentType.JSON)
                .body("{\"ttl\":\"60s\",\"model\":\"" + LiveApiFrontTest.MODEL + "\"}").post("/v1/session-tokens")
                .then().statusCode(200).extract().path("name");
        JsonNode first = node("text-turn.mjs", token, Map.of("PROMPT", "Hello with a token"));
        assertThat(first.path("text").asText()).isEqualTo("You said: \"Hello with a token\".");
        assertThat(first.path("turnComplete").asBoolean()).isTrue();

        JsonNode again = node("text-turn.mjs", token, Map.of());
        assertThat(again.path("close").path("code").asInt()).as("onclose event: " + again).isEqualTo(1008);
        assertThat(again.path("close").path("reason").asText()).startsWith("UNAUTHENTICATED: session token already used");
        assertThat(again.path("connectError").asText()).as("connect() rejects with the close")
                .contains("code 1008").contains("session token already used");
        assertThat(again.path("turnComplete").asBoolean()).isFalse();
    }

    /** (3) Microphone-style audio in (16 kHz PCM16, 40 ms base64 chunks), transcript and 24 kHz audio out. */
    @Test
    void realtimeAudioInIsHeardAndAudioComesBack() throws Exception {
        JsonNode result = node("audio-turn.mjs", LiveApiFrontTest.KEY, Map.of());
        assertThat(result.path("inputTranscript").asText()).isEqualTo("heard 1.00 seconds of audio");
        assertThat(result.path("turnComplete").asBoolean()).isTrue();
        assertThat(result.path("audioBytes").asInt()).isPositive();
        assertThat(result.path("audioMimeTypes").toString()).contains("audio/pcm;rate=24000");
    }

    /** (4) An unknown key: HTTP 401 before the upgrade, which the SDK reports as connect()'s error. */
    @Test
    void aBadKeyIsRefusedBeforeTheUpgrade() throws Exception {
        JsonNode result = node("text-turn.mjs", "not-a-key", Map.of());
        assertThat(result.path("connectError").asText()).contains("Unexpected server response: 401");
        assertThat(result.path("error").asText()).as("onerror event").contains("401");
        assertThat(result.path("turnComplete").asBoolean()).isFalse();
    }

    /**
     * Runs {@code src/test/resources/js-sdk/<script>} in node next to the installed SDK (a bare
     * {@code import '@google/genai'} resolves from the script's directory) and returns its JSON line.
     */
    private JsonNode node(String script, String key, Map<String, String> env) throws Exception {
        Path copy = SDK_DIR.resolve(script);
        try (InputStream in = getClass().getResourceAsStream("/js-sdk/" + script)) {
            assertThat(in).as("js-sdk/" + script + " on the test class path").isNotNull();
            Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
        }
        Path out = SDK_DIR.resolve(script + ".out");
        Path err = SDK_DIR.resolve(script + ".err");
        ProcessBuilder builder = new ProcessBuilder("node", script).directory(SDK_DIR.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("LIVE_GATEWAY_URL", "http://localhost:" + base.getPort());
        builder.environment().put("LIVE_GATEWAY_KEY", key);
        builder.environment().put("LIVE_GATEWAY_MODEL", LiveApiFrontTest.MODEL);
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(SCRIPT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(script + " did not finish within " + SCRIPT_TIMEOUT.toSeconds() + " s; stdout: "
                    + tail(out) + "; stderr: " + tail(err));
        }
        List<String> json = Files.readAllLines(out).stream().filter(line -> line.startsWith("{")).toList();
        assertThat(json).as(script + " exited " + process.exitValue() + "; stderr: " + tail(err)).hasSize(1);
        return new ObjectMapper().readTree(json.get(0));
    }

    private static boolean runs(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return process.waitFor(20, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String tail(Path file) {
        String text = read(file);
        return text.length() > 2000 ? "…" + text.substring(text.length() - 2000) : text;
    }

    /** The start of npm's log, where it says what failed ({@code npm error code ECONNREFUSED}). */
    private static String firstLines(Path file) {
        String text = read(file).strip();
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "(" + e + ")";
        }
    }
}
