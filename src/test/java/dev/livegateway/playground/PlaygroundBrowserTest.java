package dev.livegateway.playground;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import dev.livegateway.TestAudio;
import dev.livegateway.example.Wav;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.File;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The playground in a real headless browser: Debian's chromium, driven by Playwright (which never
 * downloads a browser here), with Chromium's fake microphone playing a generated WAV into the page.
 * Through the page, against the emulator behind the gateway: a session token minted by the page,
 * the microphone's audio heard (input transcript), the reply's audio played (samples counted by the
 * page's hook), a tool call answered by hand in the page; a screenshot in target/playground.png.
 * Skipped only when no chromium binary is installed ({@code .ci/run} installs one).
 */
@QuarkusTest
class PlaygroundBrowserTest {

    private static final int TIMEOUT_MS = 20_000;

    @TestHTTPResource("/playground")
    URL playground;

    /** Debian's chromium (or another Chromium) on the PATH, or nothing. */
    static Optional<Path> chromium() {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin");
        return Stream.of(path.split(File.pathSeparator))
                .flatMap(dir -> Stream.of("chromium", "chromium-browser").map(name -> Path.of(dir, name)))
                .filter(Files::isExecutable)
                .findFirst();
    }

    @Test
    void aConversationThroughThePageWithMicrophonePlaybackAndAToolCall() throws Exception {
        Optional<Path> chromium = chromium();
        Assumptions.assumeTrue(chromium.isPresent(), "no chromium binary on the PATH: install Debian's chromium"
                + " (apt-get install -y chromium; .ci/run does) to run the playground's browser test");
        // 1 s of "speech" (the emulator's voice detection hears a tone) then 3 s of silence; Chromium loops it.
        Path wav = Path.of("target", "playground-microphone.wav");
        Files.createDirectories(wav.getParent());
        new Wav(48000, TestAudio.concat(TestAudio.tone(48000, 1000, 440), TestAudio.silence(48000, 3000))).write(wav);

        try (Playwright playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
                Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                        .setExecutablePath(chromium.get()).setHeadless(true).setArgs(List.of(
                                "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                                "--use-file-for-fake-audio-capture=" + wav.toAbsolutePath(),
                                "--autoplay-policy=no-user-gesture-required")));
                BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 820))) {
            Page page = context.newPage();
            page.setDefaultTimeout(TIMEOUT_MS);
            page.navigate(playground.toString());

            page.check("#toolChoices input[value='light-switch']"); // the registry's listing, open in the test profile
            page.selectOption("#modality", "AUDIO");
            page.click("#connect");
            waitFor(page, "s.setupComplete");
            assertThat((String) page.evaluate("document.getElementById('key').value")).isEmpty();

            page.click("#mic");
            waitFor(page, "s.inputTranscript.includes('heard')");
            waitFor(page, "s.samplesPlayed > 0");
            page.click("#mic"); // off: the looping microphone would barge in on the tool call
            assertThat(stat(page, "s.inputTranscript")).matches("heard 1\\.\\d\\d seconds of audio.*");
            assertThat(((Number) page.evaluate("window.playgroundStats.captureRate")).intValue()).isPositive();

            page.fill("#text", "Please turn on the lights");
            page.click("#send");
            waitFor(page, "s.toolCalls.length > 0");
            assertThat(stat(page, "s.toolCalls[0].name")).isEqualTo("turn_on_the_lights");
            page.fill(".tool-response", "{\"result\": \"the lights are on\"}");
            page.click(".send-tool-response");
            waitFor(page, "s.outputTranscript.includes('the lights are on')");
            assertThat(stat(page, "s.outputTranscript")).contains("turn_on_the_lights returned");
            assertThat(page.evaluate("window.playgroundStats.errors.length")).isEqualTo(0);

            waitFor(page, "s.turns >= 2"); // the answer to the tool response complete, its usage shown
            page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "playground.png")).setFullPage(true));
        }
    }

    private static void waitFor(Page page, String condition) {
        page.waitForFunction("() => { const s = window.playgroundStats; return " + condition + "; }", null,
                new Page.WaitForFunctionOptions().setTimeout(TIMEOUT_MS));
    }

    private static String stat(Page page, String expression) {
        return String.valueOf(page.evaluate("() => { const s = window.playgroundStats; return " + expression + "; }"));
    }
}
