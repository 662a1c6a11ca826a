package dev.livegateway.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.livegateway.GatewayStream;
import dev.livegateway.TestAudio;
import dev.livegateway.api.v1.AudioChunk;
import dev.livegateway.api.v1.AudioEncoding;
import dev.livegateway.api.v1.AudioInputFormat;
import dev.livegateway.api.v1.AudioOutputFormat;
import dev.livegateway.api.v1.ClientEvent;
import dev.livegateway.api.v1.Modality;
import dev.livegateway.api.v1.ServerEvent;
import dev.livegateway.api.v1.ServerEvent.EventCase;
import dev.livegateway.api.v1.SessionConfig;
import dev.livegateway.audio.AudioConverter;
import dev.livegateway.audio.AudioFormat;
import dev.livegateway.audio.G711;
import dev.livegateway.emulator.FaultRule;
import dev.livegateway.emulator.RecordedSession;
import dev.livegateway.wire.ClientMessage;
import io.grpc.Status;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayOutputStream;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The caller's audio formats end to end (gRPC port → gateway → emulator and back): input converted to
 * the Live API's 16 kHz PCM16 (checked bit-exactly against what the emulator received), the model's
 * 24 kHz audio converted to the declared output (checked bit-exactly against the same answer taken
 * unconverted), exact frames, barge-in and the checks of every chunk.
 */
@QuarkusTest
class AudioFormatsTest {

    private static final Duration TURN = Duration.ofSeconds(20);

    @TestHTTPResource("/")
    URL base;

    @Test
    void mulaw8kInAndOutInTwentyMillisecondFrames() {
        byte[] speechPcm = TestAudio.concat(TestAudio.tone(8000, 1000, 440), TestAudio.silence(8000, 700));
        byte[] mulaw = G711.MULAW.encode(speechPcm);
        AudioInputFormat in = AudioInputFormat.newBuilder().setEncoding(AudioEncoding.AUDIO_ENCODING_MULAW).build();
        SessionConfig.Builder config = SessionConfig.newBuilder().setResponseModality(Modality.MODALITY_AUDIO)
                .setInputAudioTranscription(true).setInputAudio(in);

        // the reference: the same conversation, the model's audio as it comes (PCM16 24 kHz)
        Answer reference = converse(config.build(), mulaw, 160);
        Answer telephony = converse(config.clone().setOutputAudio(AudioOutputFormat.newBuilder()
                .setEncoding(AudioEncoding.AUDIO_ENCODING_MULAW).setFrameMs(20)).build(), mulaw, 160);

        // input: the emulator heard one second of speech (its 10 ms voice frames may count the filter's
        // ringing after the tone's abrupt end as one more), received as 16 kHz PCM16 exactly as converted here
        assertThat(telephony.heard).containsPattern("heard 1\\.0[01] seconds");
        assertThat(telephony.upstream).isEqualTo(new AudioConverter(AudioFormat.MULAW_8K, AudioFormat.PCM16_16K)
                .convert(mulaw));
        assertThat(telephony.upstreamMime).containsOnly("audio/pcm;rate=16000");

        // output: 160-byte μ-law events at 8 kHz, the reference's audio converted, the last frame padded
        assertThat(telephony.audio).isNotEmpty().allSatisfy(e -> {
            assertThat(e.getAudio().getData().size()).isEqualTo(160);
            assertThat(e.getAudio().getSampleRateHz()).isEqualTo(8000);
            assertThat(e.getAudio().getEncoding()).isEqualTo(AudioEncoding.AUDIO_ENCODING_MULAW);
        });
        assertThat(reference.audio).allSatisfy(e -> assertThat(e.getAudio().getSampleRateHz()).isEqualTo(24000));
        byte[] expected = padded(convertWhole(reference.bytes(), AudioFormat.PCM16_24K, AudioFormat.MULAW_8K), 160,
                G711.MULAW.silence());
        assertThat(telephony.bytes()).isEqualTo(expected);
        // round trip: 24 kHz model audio of N samples is N / 3 μ-law bytes (whole frames)
        assertThat(telephony.bytes().length).isEqualTo((reference.bytes().length / 2 / 3 + 159) / 160 * 160);
        // the audio ends before generationComplete, which comes before turnComplete
        assertThat(telephony.kinds.lastIndexOf(EventCase.AUDIO))
                .isLessThan(telephony.kinds.indexOf(EventCase.GENERATION_COMPLETE));
    }

    @Test
    void pcm48kInAndOut() {
        byte[] speech = TestAudio.concat(TestAudio.tone(48000, 1000, 440), TestAudio.silence(48000, 700));
        SessionConfig.Builder config = SessionConfig.newBuilder().setResponseModality(Modality.MODALITY_AUDIO)
                .setInputAudioTranscription(true)
                .setInputAudio(AudioInputFormat.newBuilder().setEncoding(AudioEncoding.AUDIO_ENCODING_PCM16)
                        .setSampleRateHz(48000));
        Answer reference = converse(config.build(), speech, 1920);
        Answer wide = converse(config.clone().setOutputAudio(AudioOutputFormat.newBuilder().setSampleRateHz(48000))
                .build(), speech, 1920);

        assertThat(wide.heard).containsPattern("heard 1\\.0[01] seconds");
        assertThat(wide.upstream).isEqualTo(new AudioConverter(AudioFormat.pcm16(48000), AudioFormat.PCM16_16K)
                .convert(speech));
        assertThat(wide.audio).isNotEmpty().allSatisfy(e -> {
            assertThat(e.getAudio().getSampleRateHz()).isEqualTo(48000);
            assertThat(e.getAudio().getEncoding()).isEqualTo(AudioEncoding.AUDIO_ENCODING_PCM16);
        });
        assertThat(wide.bytes()).isEqualTo(convertWhole(reference.bytes(), AudioFormat.PCM16_24K,
                AudioFormat.pcm16(48000)));
        assertThat(wide.bytes().length).isEqualTo(2 * reference.bytes().length);
    }

    @Test
    void sixteenKilohertzPcmPassesUntouchedAndFramesAreExact() {
        byte[] speech = TestAudio.concat(TestAudio.tone(16000, 1000, 440), TestAudio.silence(16000, 700));
        SessionConfig config = SessionConfig.newBuilder().setResponseModality(Modality.MODALITY_AUDIO)
                .setInputAudioTranscription(true)
                .setInputAudio(AudioInputFormat.newBuilder().setSampleRateHz(16000))
                .setOutputAudio(AudioOutputFormat.newBuilder().setFrameMs(30)).build();
        Answer answer = converse(config, speech, 640);
        assertThat(answer.upstream).isEqualTo(speech);
        // 30 ms of PCM16 at 24 kHz is 1440 bytes, every event
        assertThat(answer.audio).isNotEmpty().allSatisfy(e -> assertThat(e.getAudio().getData().size()).isEqualTo(1440));
    }

    @Test
    void convertedInputIsReplayedAsConvertedWhenTheSessionMoves() throws Exception {
        byte[] mulaw = G711.MULAW.encode(TestAudio.concat(TestAudio.tone(8000, 1500, 300), TestAudio.silence(8000, 700)));
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            stream.config(SessionConfig.newBuilder().setResponseModality(Modality.MODALITY_TEXT)
                    .setInputAudio(AudioInputFormat.newBuilder().setEncoding(AudioEncoding.AUDIO_ENCODING_MULAW)).build());
            String liveSession = stream.await(EventCase.SESSION_STARTED).getSessionStarted().getUpstreamSessionId();
            int chunk = 0;
            for (int offset = 0; offset < mulaw.length; offset += 160, chunk++) {
                if (chunk == 20) {
                    assertThat(ConverseTest.emulator().emulator().injectNow(liveSession,
                            FaultRule.of(FaultRule.Action.GO_AWAY).goAwaySeconds(2).build())).isTrue();
                } else if (chunk == 50) {
                    assertThat(ConverseTest.emulator().emulator().injectNow(liveSession,
                            FaultRule.of(FaultRule.Action.DROP).build())).isTrue();
                }
                while (!stream.ready()) {
                    Thread.sleep(1);
                }
                stream.send(ClientEvent.newBuilder().setAudio(AudioChunk.newBuilder()
                        .setData(ByteString.copyFrom(mulaw, offset, 160))).build());
                Thread.sleep(2);
            }
            stream.await(e -> e.getEventCase() == EventCase.TURN_COMPLETE, "turnComplete", TURN);
            assertThat(stream.kinds()).contains(EventCase.SESSION_RESUMED);
            RecordedSession recorded = ConverseTest.emulator().recorder().session(liveSession).orElseThrow();
            assertThat(recorded.connections()).hasSizeGreaterThanOrEqualTo(3);
            // what the Live API consumed across the connections, replays included, is the input converted once
            ByteArrayOutputStream consumed = new ByteArrayOutputStream();
            for (ClientMessage m : recorded.consumedMessages()) {
                if (m.realtimeInput() != null && m.realtimeInput().audio() != null) {
                    consumed.writeBytes(m.realtimeInput().audio().data());
                }
            }
            assertThat(consumed.toByteArray()).isEqualTo(new AudioConverter(AudioFormat.MULAW_8K,
                    AudioFormat.PCM16_16K).convert(mulaw));
        }
    }

    @Test
    void bargeInDropsTheHeldAudio() {
        SessionConfig config = SessionConfig.newBuilder().setResponseModality(Modality.MODALITY_AUDIO)
                .setOutputAudio(AudioOutputFormat.newBuilder().setEncoding(AudioEncoding.AUDIO_ENCODING_ALAW)
                        .setFrameMs(100)).build();
        int stopSamples;
        try (GatewayStream plain = GatewayStream.open(base.getPort())) {
            plain.config(SessionConfig.newBuilder().setResponseModality(Modality.MODALITY_AUDIO).build());
            plain.await(EventCase.SESSION_STARTED);
            plain.send(ConverseTest.userText("Stop."));
            plain.await(EventCase.TURN_COMPLETE);
            stopSamples = audioBytes(plain.events()).length / 2;
        }
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            stream.config(config);
            stream.await(EventCase.SESSION_STARTED);
            stream.send(ConverseTest.userText("Tell me a very long story about the sea, the wind, the ships and the"
                    + " sailors who crossed the ocean in the old days when maps were rare and the stars were the only"
                    + " guide"));
            stream.await(EventCase.AUDIO);
            stream.send(ConverseTest.userText("Stop."));
            stream.await(EventCase.INTERRUPTED);
            stream.await(EventCase.TURN_COMPLETE);
            stream.await(e -> e.getEventCase() == EventCase.TURN_COMPLETE
                    && stream.kinds().stream().filter(k -> k == EventCase.TURN_COMPLETE).count() == 2,
                    "the answer to Stop.", TURN);
            List<ServerEvent> events = stream.events();
            List<EventCase> kinds = events.stream().map(ServerEvent::getEventCase).toList();
            int interrupted = kinds.indexOf(EventCase.INTERRUPTED);
            int firstTurnEnd = kinds.indexOf(EventCase.TURN_COMPLETE);
            // nothing of the interrupted answer after the barge-in, not even its held, unpadded remainder
            assertThat(kinds.subList(interrupted, firstTurnEnd)).doesNotContain(EventCase.AUDIO);
            assertThat(audio(events)).allSatisfy(e -> {
                assertThat(e.getAudio().getData().size()).isEqualTo(800);
                assertThat(e.getAudio().getEncoding()).isEqualTo(AudioEncoding.AUDIO_ENCODING_ALAW);
            });
            // the next answer starts afresh: exactly its own audio, N / 3 bytes in whole 100 ms frames
            byte[] next = audioBytes(events.subList(firstTurnEnd, events.size()));
            assertThat(next.length).isEqualTo((stopSamples / 3 + 799) / 800 * 800);
        }
    }

    @Test
    void chunksThatDoNotMatchTheDeclaredFormatAreRefused() {
        SessionConfig mulaw = SessionConfig.newBuilder().setResponseModality(Modality.MODALITY_TEXT)
                .setInputAudio(AudioInputFormat.newBuilder().setEncoding(AudioEncoding.AUDIO_ENCODING_MULAW)).build();
        refused(mulaw, AudioChunk.newBuilder().setData(ByteString.copyFrom(new byte[160])).setSampleRateHz(16000),
                "audio.sample_rate_hz: 16000 Hz does not match config.input_audio (MULAW 8000 Hz); allowed: 0 or 8000");
        refused(mulaw, AudioChunk.newBuilder().setData(ByteString.copyFrom(new byte[160]))
                .setEncoding(AudioEncoding.AUDIO_ENCODING_PCM16), "audio.encoding: AUDIO_ENCODING_PCM16 does not match");
        SessionConfig pcm44 = SessionConfig.newBuilder().setResponseModality(Modality.MODALITY_TEXT)
                .setInputAudio(AudioInputFormat.newBuilder().setSampleRateHz(44100)).build();
        refused(pcm44, AudioChunk.newBuilder().setData(ByteString.copyFrom(new byte[881])), "audio.data: odd length 881");
        // without a declared format, G.711 is refused and the per-chunk rates stay what they were
        refused(SessionConfig.newBuilder().setResponseModality(Modality.MODALITY_TEXT).build(),
                AudioChunk.newBuilder().setData(ByteString.copyFrom(new byte[160]))
                        .setEncoding(AudioEncoding.AUDIO_ENCODING_ALAW), "audio.encoding: AUDIO_ENCODING_ALAW needs"
                        + " config.input_audio");
    }

    @Test
    void formatsTheGatewayCannotServeAreRefusedAtConfig() {
        configRefused(SessionConfig.newBuilder().setInputAudio(AudioInputFormat.newBuilder().setSampleRateHz(12000))
                .build(), "config.input_audio.sample_rate_hz: PCM16 sample rate 12000 Hz is not supported; allowed: 8000,"
                + " 11025, 16000, 22050, 24000, 32000, 44100, 48000 Hz");
        configRefused(SessionConfig.newBuilder().setOutputAudio(AudioOutputFormat.newBuilder()
                .setEncoding(AudioEncoding.AUDIO_ENCODING_ALAW).setSampleRateHz(16000)).build(),
                "config.output_audio.sample_rate_hz: ALAW sample rate 16000 Hz is not supported; allowed: 8000 Hz");
        configRefused(SessionConfig.newBuilder().setOutputAudio(AudioOutputFormat.newBuilder().setSampleRateHz(11025)
                .setFrameMs(20)).build(), "config.output_audio.frame_ms: 20 ms at 11025 Hz is not a positive whole"
                + " number of samples");
    }

    // ---- helpers --------------------------------------------------------------------------------

    /** One audio turn: the config, {@code input} in chunks of {@code chunkBytes}, until the answer's turnComplete. */
    private Answer converse(SessionConfig config, byte[] input, int chunkBytes) {
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            stream.config(config);
            String liveSessionId = stream.await(EventCase.SESSION_STARTED).getSessionStarted().getUpstreamSessionId();
            for (int offset = 0; offset < input.length; offset += chunkBytes) {
                stream.send(ClientEvent.newBuilder().setAudio(AudioChunk.newBuilder()
                        .setData(ByteString.copyFrom(input, offset, Math.min(chunkBytes, input.length - offset))))
                        .build());
            }
            stream.await(e -> e.getEventCase() == EventCase.TURN_COMPLETE, "turnComplete", TURN);
            int chunks = (input.length + chunkBytes - 1) / chunkBytes;
            RecordedSession recorded = ConverseTest.emulator().recorder().session(liveSessionId).orElseThrow();
            recorded.awaitConsumed(chunks, TURN);
            ByteArrayOutputStream upstream = new ByteArrayOutputStream();
            List<String> mimes = new java.util.ArrayList<>();
            for (ClientMessage m : recorded.consumedMessages()) {
                if (m.realtimeInput() != null && m.realtimeInput().audio() != null) {
                    upstream.writeBytes(m.realtimeInput().audio().data());
                    mimes.add(m.realtimeInput().audio().mimeType());
                }
            }
            List<ServerEvent> events = stream.events();
            return new Answer(events.stream().map(ServerEvent::getEventCase).toList(), audio(events),
                    stream.join(EventCase.INPUT_TRANSCRIPTION), upstream.toByteArray(), mimes);
        }
    }

    private record Answer(List<EventCase> kinds, List<ServerEvent> audio, String heard, byte[] upstream,
            List<String> upstreamMime) {
        byte[] bytes() {
            return audioBytes(audio);
        }
    }

    private static List<ServerEvent> audio(List<ServerEvent> events) {
        return events.stream().filter(e -> e.getEventCase() == EventCase.AUDIO).toList();
    }

    private static byte[] audioBytes(List<ServerEvent> events) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        audio(events).forEach(e -> out.writeBytes(e.getAudio().getData().toByteArray()));
        return out.toByteArray();
    }

    /** {@code pcm} converted in one piece, with the resampler's tail. */
    private static byte[] convertWhole(byte[] pcm, AudioFormat from, AudioFormat to) {
        AudioConverter converter = new AudioConverter(from, to);
        return TestAudio.concat(converter.convert(pcm), converter.flush());
    }

    private static byte[] padded(byte[] data, int frame, byte silence) {
        byte[] out = java.util.Arrays.copyOf(data, (data.length + frame - 1) / frame * frame);
        java.util.Arrays.fill(out, data.length, out.length, silence);
        return out;
    }

    private void refused(SessionConfig config, AudioChunk.Builder chunk, String message) {
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            stream.config(config);
            stream.await(EventCase.SESSION_STARTED);
            stream.send(ClientEvent.newBuilder().setAudio(chunk).build());
            stream.assertEndsWith(Status.Code.INVALID_ARGUMENT, message);
        }
    }

    private void configRefused(SessionConfig config, String message) {
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            stream.config(config);
            stream.assertEndsWith(Status.Code.INVALID_ARGUMENT, message);
        }
    }
}
