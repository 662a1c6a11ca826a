package dev.livegateway.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.livegateway.TestAudio;
import dev.livegateway.api.v1.AudioEncoding;
import dev.livegateway.audio.G711;
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
    void streamsAMulawWavAndWritesTheReplyAsPcm48k() throws Exception {
        Path wav = dir.resolve("question-mulaw.wav");
        byte[] pcm = TestAudio.concat(TestAudio.tone(8000, 800, 300), TestAudio.silence(8000, 600));
        new Wav(Wav.MULAW, 8000, G711.MULAW.encode(pcm)).write(wav);
        assertThat(Wav.read(wav).data()).isEqualTo(G711.MULAW.encode(pcm));
        Path out = dir.resolve("reply-48k.wav");
        var options = new ConverseExample.Options("localhost:" + base.getPort(), wav, null, out, null, false, null,
                false, AudioEncoding.AUDIO_ENCODING_PCM16, 48000);

        ConverseExample.Result result = new ConverseExample(options, new PrintStream(new ByteArrayOutputStream())).run();

        assertThat(result.inputTranscript()).containsPattern("0\\.8[01] seconds");
        Wav reply = Wav.read(out);
        assertThat(reply.formatTag()).isEqualTo(Wav.PCM);
        assertThat(reply.sampleRate()).isEqualTo(48000);
        assertThat(reply.data()).hasSize(result.audioBytes()).isNotEmpty();
    }

    @Test
    void streamsA44kStereoWavAndWritesTheReplyAsAlaw() throws Exception {
        Path wav = dir.resolve("question-44k.wav");
        byte[] mono = TestAudio.concat(TestAudio.tone(44100, 800, 300), TestAudio.silence(44100, 600));
        byte[] stereo = new byte[mono.length * 2];
        for (int i = 0; i < mono.length; i += 2) {
            System.arraycopy(mono, i, stereo, 2 * i, 2);
            System.arraycopy(mono, i, stereo, 2 * i + 2, 2);
        }
        byte[] file = new Wav(44100, stereo).toBytes();
        java.nio.ByteBuffer.wrap(file).order(java.nio.ByteOrder.LITTLE_ENDIAN).putShort(22, (short) 2) // channels
                .putInt(28, 44100 * 4).putShort(32, (short) 4); // byte rate, block align
        Files.write(wav, file);
        Path out = dir.resolve("reply-alaw.wav");
        var options = new ConverseExample.Options("localhost:" + base.getPort(), wav, null, out, null, false, null,
                false, AudioEncoding.AUDIO_ENCODING_ALAW, 0);

        ConverseExample.Result result = new ConverseExample(options, new PrintStream(new ByteArrayOutputStream())).run();

        assertThat(result.inputTranscript()).containsPattern("0\\.8[01] seconds");
        Wav reply = Wav.read(out);
        assertThat(reply.formatTag()).isEqualTo(Wav.ALAW);
        assertThat(reply.sampleRate()).isEqualTo(8000);
        assertThat(reply.data()).hasSize(result.audioBytes()).isNotEmpty();
        assertThat(Files.readAllBytes(out)).hasSize(12 + 8 + 18 + 12 + 8 + result.audioBytes() + (result.audioBytes() & 1));
    }

    @Test
    void telephonyLoopSendsAndPlaysTwentyMillisecondMulawFrames() throws Exception {
        Path wav = dir.resolve("caller.wav");
        new Wav(Wav.MULAW, 8000, G711.MULAW.encode(TestAudio.tone(8000, 1000, 300))).write(wav);
        Path out = dir.resolve("line.wav");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        var options = new TelephonyExample.Options("localhost:" + base.getPort(), wav, out, null, false, 30);

        TelephonyExample.Result result = new TelephonyExample(options, new PrintStream(log, true, StandardCharsets.UTF_8))
                .run();

        String transcript = log.toString(StandardCharsets.UTF_8);
        assertThat(result.turns()).as(transcript).isEqualTo(1);
        assertThat(result.inputTranscript()).containsPattern("heard 1\\.0[01] seconds");
        assertThat(result.framesReceived()).as(transcript).isPositive();
        assertThat(result.oddFrames()).isZero();
        assertThat(result.framesPlayed()).isEqualTo(result.framesReceived());
        assertThat(result.framesSent()).isGreaterThan(50); // the second of speech, then silence until the answer
        Wav line = Wav.read(out);
        assertThat(line.formatTag()).isEqualTo(Wav.MULAW);
        assertThat(line.sampleRate()).isEqualTo(8000);
        assertThat(line.data().length % TelephonyExample.FRAME_BYTES).isZero();
        assertThat(line.data().length / TelephonyExample.FRAME_BYTES).isGreaterThanOrEqualTo(result.framesPlayed());
    }

    @Test
    void wavParsingRefusesWhatItCannotStream() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Wav.parse("not a wav file at all".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("RIFF");
    }
}
