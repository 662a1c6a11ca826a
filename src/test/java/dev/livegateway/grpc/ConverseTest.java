package dev.livegateway.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.livegateway.GatewayStream;
import dev.livegateway.TestAudio;
import dev.livegateway.api.v1.AudioChunk;
import dev.livegateway.api.v1.AudioStreamEnd;
import dev.livegateway.api.v1.ClientEvent;
import dev.livegateway.api.v1.ClientTurn;
import dev.livegateway.api.v1.Modality;
import dev.livegateway.api.v1.Part;
import dev.livegateway.api.v1.RealtimeText;
import dev.livegateway.api.v1.ServerEvent;
import dev.livegateway.api.v1.ServerEvent.EventCase;
import dev.livegateway.api.v1.SessionConfig;
import dev.livegateway.api.v1.SessionStarted;
import dev.livegateway.api.v1.SpeechConfig;
import dev.livegateway.api.v1.Turn;
import dev.livegateway.emulator.EmbeddedEmulator;
import dev.livegateway.emulator.RecordedSession;
import io.grpc.Status;
import io.quarkus.arc.Arc;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Conversations end to end: gRPC port → gateway → WebSocket → emulator, and back. */
@QuarkusTest
class ConverseTest {

    @TestHTTPResource("/")
    URL base;

    /**
     * The embedded emulator, looked up rather than injected: {@link ConverseIT} runs these tests
     * against the packaged jar, where a test cannot inject beans (and skips the two that read it).
     */
    static EmbeddedEmulator emulator() {
        return Arc.container().instance(EmbeddedEmulator.class).get();
    }

    static ClientEvent userText(String text) {
        return ClientEvent.newBuilder().setTurn(ClientTurn.newBuilder().setTurnComplete(true)
                .addTurns(Turn.newBuilder().addParts(Part.newBuilder().setText(text)))).build();
    }

    static SessionConfig textConfig() {
        return SessionConfig.newBuilder().setResponseModality(Modality.MODALITY_TEXT).build();
    }

    @Test
    void textInTextOut() {
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            stream.config(textConfig());
            SessionStarted started = stream.await(EventCase.SESSION_STARTED).getSessionStarted();
            assertThat(started.getGatewaySessionId()).startsWith("lg-");
            assertThat(started.getUpstreamSessionId()).isNotEmpty();
            assertThat(started.getModel()).startsWith("projects/").endsWith("/publishers/google/models/gemini-live-2.5-flash");
            assertThat(started.getTenant()).isEqualTo("default");

            stream.send(userText("Hello? Gemini are you there?"));
            stream.await(EventCase.TURN_COMPLETE);
            ServerEvent usage = stream.await(EventCase.USAGE);
            assertThat(stream.text()).contains("Hello? Gemini are you there?");
            assertThat(stream.kinds()).containsSubsequence(EventCase.TEXT, EventCase.TEXT, EventCase.GENERATION_COMPLETE,
                    EventCase.TURN_COMPLETE, EventCase.USAGE);
            assertThat(stream.kinds().stream().filter(k -> k == EventCase.TEXT).count()).isGreaterThanOrEqualTo(3);
            assertThat(usage.getUsage().getResponseTokenCount()).isPositive();
            assertThat(usage.getUsage().getTotalTokenCount()).isPositive();

            stream.halfClose();
            assertThat(stream.awaitEnd().getCode()).isEqualTo(Status.Code.OK);
        }
    }

    @Test
    void realtimeTextGetsAnAnswer() {
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            stream.config(textConfig());
            stream.await(EventCase.SESSION_STARTED);
            stream.send(ClientEvent.newBuilder().setText(RealtimeText.newBuilder().setText("what time is it")).build());
            stream.await(EventCase.TURN_COMPLETE);
            assertThat(stream.text()).contains("what time is it");
        }
    }

    @Test
    void textInAudioOutWithVoiceAndOutputTranscription() {
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            stream.config(SessionConfig.newBuilder().setResponseModality(Modality.MODALITY_AUDIO)
                    .setSpeech(SpeechConfig.newBuilder().setVoiceName("Aoede").setLanguageCode("en-US"))
                    .setOutputAudioTranscription(true).build());
            String liveSessionId = stream.await(EventCase.SESSION_STARTED).getSessionStarted().getUpstreamSessionId();
            stream.send(userText("Hello? Gemini are you there?"));
            stream.await(EventCase.TURN_COMPLETE);

            int audioBytes = stream.events().stream().filter(e -> e.getEventCase() == EventCase.AUDIO)
                    .mapToInt(e -> e.getAudio().getData().size()).sum();
            assertThat(audioBytes).isGreaterThan(24000 / 10 * 2);
            assertThat(stream.events().stream().filter(e -> e.getEventCase() == EventCase.AUDIO))
                    .allSatisfy(e -> assertThat(e.getAudio().getSampleRateHz()).isEqualTo(24000));
            assertThat(stream.join(EventCase.OUTPUT_TRANSCRIPTION)).contains("Hello? Gemini are you there?");
            assertThat(stream.text()).isEmpty();

            var setup = emulator().recorder().session(liveSessionId).orElseThrow().firstConnection().setupJson();
            assertThat(setup.at("/generationConfig/responseModalities/0").asText()).isEqualTo("AUDIO");
            assertThat(setup.at("/generationConfig/speechConfig/voiceConfig/prebuiltVoiceConfig/voiceName").asText())
                    .isEqualTo("Aoede");
            assertThat(setup.at("/generationConfig/speechConfig/languageCode").asText()).isEqualTo("en-US");
            assertThat(setup.has("outputAudioTranscription")).isTrue();
            assertThat(setup.has("inputAudioTranscription")).isFalse();
        }
    }

    @Test
    void audioInGetsInputTranscriptionAndAReply() {
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            stream.config(SessionConfig.newBuilder().setResponseModality(Modality.MODALITY_TEXT)
                    .setInputAudioTranscription(true).build());
            stream.await(EventCase.SESSION_STARTED);
            byte[] speech = TestAudio.concat(TestAudio.tone(16000, 1000, 440), TestAudio.silence(16000, 100));
            for (int offset = 0; offset < speech.length; offset += 640) {
                stream.send(ClientEvent.newBuilder().setAudio(AudioChunk.newBuilder()
                        .setData(ByteString.copyFrom(speech, offset, Math.min(640, speech.length - offset)))
                        .setSampleRateHz(16000)).build());
            }
            stream.send(ClientEvent.newBuilder().setAudioStreamEnd(AudioStreamEnd.getDefaultInstance()).build());
            stream.await(EventCase.TURN_COMPLETE);
            // the emulator transcribes the speech it heard: one second of tone
            assertThat(stream.join(EventCase.INPUT_TRANSCRIPTION)).contains("1.00 seconds");
            assertThat(stream.text()).isNotEmpty();
        }
    }

    @Test
    void newInputInterruptsTheModel() {
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            stream.config(SessionConfig.newBuilder().setResponseModality(Modality.MODALITY_AUDIO).build());
            stream.await(EventCase.SESSION_STARTED);
            stream.send(userText("Tell me a very long story about the sea, the wind, the ships and the sailors who"
                    + " crossed the ocean in the old days when maps were rare and the stars were the only guide"));
            stream.await(EventCase.AUDIO);
            stream.send(userText("Stop."));
            stream.await(EventCase.INTERRUPTED);
            stream.await(EventCase.TURN_COMPLETE);
            // the interrupted answer has no generationComplete before its turnComplete
            var kinds = stream.kinds();
            int interrupted = kinds.indexOf(EventCase.INTERRUPTED);
            assertThat(kinds.subList(0, interrupted)).doesNotContain(EventCase.GENERATION_COMPLETE);
            stream.await(e -> e.getEventCase() == EventCase.GENERATION_COMPLETE, "answer to Stop.", Duration.ofSeconds(15));
        }
    }

    @Test
    void settingsReachTheUpstreamSetupExactly() {
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            stream.config(SessionConfig.newBuilder()
                    .setModel("gemini-live-2.5-flash-preview-native-audio")
                    .setResponseModality(Modality.MODALITY_AUDIO)
                    .setSystemInstruction("You are a helpful assistant.")
                    .setSpeech(SpeechConfig.newBuilder().setVoiceName("Puck").setLanguageCode("de-DE"))
                    .setGeneration(dev.livegateway.api.v1.GenerationConfig.newBuilder().setTemperature(0.5f)
                            .setTopP(0.9f).setTopK(20).setMaxOutputTokens(256).setSeed(7)
                            .setMediaResolution(dev.livegateway.api.v1.MediaResolution.MEDIA_RESOLUTION_LOW))
                    .setInputAudioTranscription(true)
                    .setOutputAudioTranscription(true)
                    .setProactiveAudio(true)
                    .setAffectiveDialog(true)
                    .setRealtimeInput(dev.livegateway.api.v1.RealtimeInputConfig.newBuilder()
                            .setAutomaticActivityDetection(dev.livegateway.api.v1.AutomaticActivityDetection.newBuilder()
                                    .setStartOfSpeechSensitivity(dev.livegateway.api.v1.StartSensitivity.START_SENSITIVITY_LOW)
                                    .setEndOfSpeechSensitivity(dev.livegateway.api.v1.EndSensitivity.END_SENSITIVITY_HIGH)
                                    .setPrefixPaddingMs(40).setSilenceDurationMs(700))
                            .setActivityHandling(dev.livegateway.api.v1.ActivityHandling.ACTIVITY_HANDLING_NO_INTERRUPTION)
                            .setTurnCoverage(dev.livegateway.api.v1.TurnCoverage.TURN_COVERAGE_TURN_INCLUDES_ALL_INPUT))
                    .setContextWindowCompression(dev.livegateway.api.v1.ContextWindowCompression.newBuilder()
                            .setTriggerTokens(25600).setTargetTokens(12800))
                    .build());
            String id = stream.await(EventCase.SESSION_STARTED).getSessionStarted().getUpstreamSessionId();
            RecordedSession session = emulator().recorder().session(id).orElseThrow();
            var setup = session.firstConnection().setupJson();
            assertThat(setup.get("model").asText())
                    .matches("projects/[^/]+/locations/[^/]+/publishers/google/models/gemini-live-2.5-flash-preview-native-audio");
            assertThat(setup.at("/systemInstruction/parts/0/text").asText()).isEqualTo("You are a helpful assistant.");
            var gen = setup.get("generationConfig");
            assertThat(gen.get("temperature").floatValue()).isEqualTo(0.5f);
            assertThat(gen.get("topP").floatValue()).isEqualTo(0.9f);
            assertThat(gen.get("topK").intValue()).isEqualTo(20);
            assertThat(gen.get("maxOutputTokens").intValue()).isEqualTo(256);
            assertThat(gen.get("seed").intValue()).isEqualTo(7);
            assertThat(gen.get("mediaResolution").asText()).isEqualTo("MEDIA_RESOLUTION_LOW");
            assertThat(gen.get("enableAffectiveDialog").booleanValue()).isTrue();
            assertThat(gen.at("/speechConfig/voiceConfig/prebuiltVoiceConfig/voiceName").asText()).isEqualTo("Puck");
            assertThat(gen.at("/speechConfig/languageCode").asText()).isEqualTo("de-DE");
            assertThat(setup.get("inputAudioTranscription").isObject()).isTrue();
            assertThat(setup.get("outputAudioTranscription").isObject()).isTrue();
            assertThat(setup.at("/proactivity/proactiveAudio").booleanValue()).isTrue();
            var vad = setup.at("/realtimeInputConfig/automaticActivityDetection");
            assertThat(vad.get("startOfSpeechSensitivity").asText()).isEqualTo("START_SENSITIVITY_LOW");
            assertThat(vad.get("endOfSpeechSensitivity").asText()).isEqualTo("END_SENSITIVITY_HIGH");
            assertThat(vad.get("prefixPaddingMs").intValue()).isEqualTo(40);
            assertThat(vad.get("silenceDurationMs").intValue()).isEqualTo(700);
            assertThat(vad.has("disabled")).isFalse();
            assertThat(setup.at("/realtimeInputConfig/activityHandling").asText()).isEqualTo("NO_INTERRUPTION");
            assertThat(setup.at("/realtimeInputConfig/turnCoverage").asText()).isEqualTo("TURN_INCLUDES_ALL_INPUT");
            assertThat(setup.at("/contextWindowCompression/triggerTokens").asLong()).isEqualTo(25600);
            assertThat(setup.at("/contextWindowCompression/slidingWindow/targetTokens").asLong()).isEqualTo(12800);
            assertThat(setup.at("/sessionResumption/transparent").booleanValue()).isTrue();
        }
    }
}
