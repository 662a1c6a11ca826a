package dev.livegateway.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.livegateway.TestAudio;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's example client against the gateway on the embedded emulator. */
@QuarkusTest
class ConverseExampleTest {

    @TestHTTPResource("/")
    URL base;

    @TempDir
    Path dir;

    @Test
    void streamsAWavAndAPromptAndWritesTheReplyAudio() throws Exception {
        Path wav = dir.resolve("question.wav");
        new Wav(16000, TestAudio.concat(TestAudio.tone(16000, 800, 300), TestAudio.silence(16000, 600))).write(wav);
        Path out = dir.resolve("reply.wav");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        var options = new ConverseExample.Options("localhost:" + base.getPort(), wav, "Hello? Gemini are you there?",
                out, null, false, "Aoede", true);

        ConverseExample.Result result = new ConverseExample(options, new PrintStream(log, true, StandardCharsets.UTF_8)).run();

        assertThat(result.turns()).as(log.toString(StandardCharsets.UTF_8)).isEqualTo(2);
        assertThat(result.inputTranscript()).contains("0.80 seconds");
        assertThat(result.outputTranscript()).as(log.toString(StandardCharsets.UTF_8)).contains("Hello? Gemini are you there?");
        Wav reply = Wav.read(out);
        assertThat(reply.sampleRate()).isEqualTo(24000);
        assertThat(reply.pcm16().length).isEqualTo(result.audioBytes()).isPositive();
        assertThat(Files.size(out)).isEqualTo(44L + result.audioBytes());
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("[you] heard", "[turn complete]");
    }

    @Test
    void wavParsingRefusesWhatItCannotStream() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Wav.parse("not a wav file at all".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("RIFF");
    }
}
