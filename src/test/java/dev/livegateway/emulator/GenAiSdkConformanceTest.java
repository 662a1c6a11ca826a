package dev.livegateway.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.genai.Client;
import com.google.genai.types.AudioTranscriptionConfig;
import com.google.genai.types.AudioTranscriptionConfigMode;
import com.google.genai.types.AvatarConfig;
import com.google.genai.types.Behavior;
import com.google.genai.types.EnterpriseWebSearch;
import com.google.genai.types.GoogleMaps;
import com.google.genai.types.HarmBlockMethod;
import com.google.genai.types.HarmBlockThreshold;
import com.google.genai.types.HarmCategory;
import com.google.genai.types.LanguageAuto;
import com.google.genai.types.LanguageHints;
import com.google.genai.types.LiveClientContextUpdate;
import com.google.genai.types.LiveClientContextUpdateTools;
import com.google.genai.types.RealtimeInputConfig;
import com.google.genai.types.SafetySetting;
import com.google.genai.types.ThinkingConfig;
import com.google.genai.types.TranslationConfig;
import com.google.genai.types.UrlContext;
import dev.livegateway.SdkConversation;
import dev.livegateway.wire.ClientMessage;
import dev.livegateway.wire.Setup;
import com.google.genai.types.Blob;
import com.google.genai.types.ClientOptions;
import com.google.genai.types.Content;
import com.google.genai.types.FunctionDeclaration;
import com.google.genai.types.FunctionResponse;
import com.google.genai.types.GoogleSearch;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.LiveConnectConfig;
import com.google.genai.types.LiveSendRealtimeInputParameters;
import com.google.genai.types.LiveSendToolResponseParameters;
import com.google.genai.types.LiveServerMessage;
import com.google.genai.types.Modality;
import com.google.genai.types.Part;
import com.google.genai.types.PrebuiltVoiceConfig;
import com.google.genai.types.Retrieval;
import com.google.genai.types.SpeechConfig;
import com.google.genai.types.Tool;
import com.google.genai.types.ToolCodeExecution;
import com.google.genai.types.VertexRagStore;
import com.google.genai.types.VertexRagStoreRagResource;
import com.google.genai.types.VoiceConfig;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The emulator judged by the official Java SDK (google-genai 2.0.0): the examples of the Live
 * API guides, with the SDK parsing every server message. The SDK always dials wss; an OkHttp
 * application interceptor rewrites the upgrade to plain http (docs/emulator.md, "Pointing the SDKs at it").
 */
class GenAiSdkConformanceTest {

    static final String MODEL = "gemini-live-2.5-flash";
    static Vertx vertx;
    static LiveApiEmulator emulator;
    static Client vertex;
    static Client developer;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        emulator = new LiveApiEmulator(EmulatorOptions.defaults().chunkDelay(Duration.ofMillis(2))
                .authMode(EmulatorOptions.AuthMode.ANY));
        emulator.start(vertx).toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
        OkHttpClient plain = new OkHttpClient.Builder().addInterceptor(chain -> chain.proceed(chain.request().newBuilder()
                .url(chain.request().url().newBuilder().scheme("http").build()).build())).build();
        HttpOptions http = HttpOptions.builder().baseUrl("http://127.0.0.1:" + emulator.port()).build();
        ClientOptions clientOptions = ClientOptions.builder().customHttpClient(plain).build();
        vertex = Client.builder().vertexAI(true).project("my-proj").location("us-central1")
                .credentials(GoogleCredentials.create(new AccessToken("T", new Date(System.currentTimeMillis() + 3_600_000))))
                .httpOptions(http).clientOptions(clientOptions).build();
        developer = Client.builder().apiKey("K").httpOptions(http).clientOptions(clientOptions).build();
    }

    @AfterAll
    static void stop() throws Exception {
        emulator.stop().toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
        vertx.close();
    }

    static LiveConnectConfig.Builder textConfig() {
        return LiveConnectConfig.builder().responseModalities(new Modality(Modality.Known.TEXT));
    }

    @Test
    void textReply() throws Exception {
        try (SdkConversation c = new SdkConversation(vertex, MODEL, textConfig().build())) {
            assertThat(c.session.sessionId()).isNotBlank();
            c.say("Hello, how are you doing today?");
            c.awaitTurns(1);
            assertThat(c.text()).isEqualTo("You said: \"Hello, how are you doing today?\".");
            LiveServerMessage last = c.await(m -> m.usageMetadata().isPresent());
            assertThat(last.usageMetadata().get().responseTokenCount().orElse(0)).isPositive();
        }
        RecordedConnection conn = emulator.recorder().latestConnection().orElseThrow();
        assertThat(conn.header("authorization")).isEqualTo("Bearer T");
        assertThat(conn.setup().model()).isEqualTo("projects/my-proj/locations/us-central1/publishers/google/models/" + MODEL);
    }

    @Test
    void audioReplyWithVoiceAndTranscriptions() throws Exception {
        LiveConnectConfig config = LiveConnectConfig.builder().responseModalities(new Modality(Modality.Known.AUDIO))
                .speechConfig(SpeechConfig.builder().voiceConfig(VoiceConfig.builder()
                        .prebuiltVoiceConfig(PrebuiltVoiceConfig.builder().voiceName("Aoede"))))
                .inputAudioTranscription(AudioTranscriptionConfig.builder().build())
                .outputAudioTranscription(AudioTranscriptionConfig.builder().build()).build();
        try (SdkConversation c = new SdkConversation(developer, MODEL, config)) {
            c.say("Hello? Gemini are you there?");
            c.awaitTurns(1);
            Blob audio = c.await(m -> m.serverContent().flatMap(s -> s.modelTurn()).isPresent())
                    .serverContent().get().modelTurn().get().parts().get().get(0).inlineData().get();
            assertThat(audio.mimeType()).contains("audio/pcm;rate=24000");
            assertThat(audio.data().orElseThrow()).isNotEmpty();
            String transcript = c.received.stream().flatMap(m -> m.serverContent().flatMap(s -> s.outputTranscription()).stream())
                    .map(t -> t.text().orElse("")).collect(Collectors.joining());
            assertThat(transcript).isEqualTo("You said: \"Hello? Gemini are you there?\".");

            // audio in (tone then silence) -> input transcription and a reply
            byte[] pcm = LiveApiEmulatorTest.concat(Pcm16.tone(16000, 1000, 200, 8000), Pcm16.silence(16000, 600));
            c.session.sendRealtimeInput(LiveSendRealtimeInputParameters.builder()
                    .audio(Blob.builder().mimeType("audio/pcm;rate=16000").data(pcm)).build()).get(15, TimeUnit.SECONDS);
            c.awaitTurns(2);
            assertThat(c.await(m -> m.serverContent().flatMap(s -> s.inputTranscription()).isPresent())
                    .serverContent().get().inputTranscription().get().text()).contains("heard 1.00 seconds of audio");
        }
        RecordedConnection conn = emulator.recorder().latestConnection().orElseThrow();
        assertThat(conn.setupJson().at("/generationConfig/speechConfig/voiceConfig/prebuiltVoiceConfig/voiceName").asText())
                .isEqualTo("Aoede");
        assertThat(conn.header("x-goog-api-key")).isEqualTo("K");
    }

    @Test
    void audioInTextOut() throws Exception {
        try (SdkConversation c = new SdkConversation(vertex, MODEL, textConfig().build())) {
            byte[] pcm = Pcm16.tone(16000, 640, 200, 8000);
            c.session.sendRealtimeInput(LiveSendRealtimeInputParameters.builder()
                    .audio(Blob.builder().mimeType("audio/pcm;rate=16000").data(pcm)).build()).get(15, TimeUnit.SECONDS);
            c.session.sendRealtimeInput(LiveSendRealtimeInputParameters.builder().audioStreamEnd(true).build())
                    .get(15, TimeUnit.SECONDS);
            c.awaitTurns(1);
            assertThat(c.text()).isEqualTo("You said: \"heard 0.64 seconds of audio\".");
        }
    }

    @Test
    void lightSwitchFunctions() throws Exception {
        Tool tool = Tool.builder().functionDeclarations(FunctionDeclaration.builder().name("turn_on_the_lights").build(),
                FunctionDeclaration.builder().name("turn_off_the_lights").build()).build();
        try (SdkConversation c = new SdkConversation(vertex, MODEL, textConfig().tools(tool).build())) {
            c.say("Turn on the lights please");
            LiveServerMessage call = c.await(m -> m.toolCall().isPresent());
            var fc = call.toolCall().get().functionCalls().get().get(0);
            assertThat(fc.name()).contains("turn_on_the_lights");
            c.session.sendToolResponse(LiveSendToolResponseParameters.builder().functionResponses(
                    FunctionResponse.builder().id(fc.id().get()).name(fc.name().get()).response(Map.of("result", "ok")).build())
                    .build()).get(15, TimeUnit.SECONDS);
            c.awaitTurns(1);
            assertThat(c.text()).isEqualTo("turn_on_the_lights returned {\"result\":\"ok\"}.");
        }
    }

    @Test
    void codeExecutionPrimePalindrome() throws Exception {
        Tool tool = Tool.builder().codeExecution(ToolCodeExecution.builder().build()).build();
        try (SdkConversation c = new SdkConversation(vertex, MODEL, textConfig().tools(tool).build())) {
            c.say("Compute the largest prime palindrome under 100000.");
            c.awaitTurns(1);
            List<Part> parts = c.received.stream().flatMap(m -> m.serverContent().flatMap(s -> s.modelTurn()).stream())
                    .flatMap(t -> t.parts().orElse(List.of()).stream()).toList();
            assertThat(parts.get(0).executableCode().get().code().get()).contains("is_palindrome");
            assertThat(parts.get(1).codeExecutionResult().get().output().get().strip()).isEqualTo("98689");
            assertThat(c.text()).contains("98689");
        }
    }

    @Test
    void googleSearchGrounding() throws Exception {
        Tool tool = Tool.builder().googleSearch(GoogleSearch.builder().build()).build();
        try (SdkConversation c = new SdkConversation(vertex, MODEL, textConfig().tools(tool).build())) {
            c.say("When did the last Brazil vs. Argentina soccer match happen?");
            var grounding = c.await(m -> m.serverContent().flatMap(s -> s.groundingMetadata()).isPresent())
                    .serverContent().get().groundingMetadata().get();
            assertThat(grounding.webSearchQueries().get()).containsExactly("When did the last Brazil vs. Argentina soccer match happen");
            assertThat(grounding.groundingChunks().get().get(0).web().get().uri().get()).startsWith("https://");
        }
    }

    @Test
    void ragRetrievalGrounding() throws Exception {
        String corpus = "projects/my-proj/locations/us-central1/ragCorpora/4611686018427387904";
        Tool tool = Tool.builder().retrieval(Retrieval.builder().vertexRagStore(VertexRagStore.builder()
                .ragResources(VertexRagStoreRagResource.builder().ragCorpus(corpus).build()).storeContext(true))).build();
        try (SdkConversation c = new SdkConversation(vertex, MODEL, textConfig().tools(tool).build())) {
            c.say("What does the handbook say about holidays?");
            var grounding = c.await(m -> m.serverContent().flatMap(s -> s.groundingMetadata()).isPresent())
                    .serverContent().get().groundingMetadata().get();
            assertThat(grounding.groundingChunks().get().get(0).retrievedContext().get().documentName().get())
                    .startsWith(corpus + "/ragFiles/");
            assertThat(grounding.groundingChunks().get().get(0).retrievedContext().get().text().get()).contains("holidays");
        }
    }

    /**
     * The 2026 setup fields as the SDK writes them: the emulator reads client messages strictly
     * (an unknown name closes with 1007), so the conversation only runs when the wire records know
     * every name, and the recorded setup shows the values arrived.
     */
    @Test
    void newSetupFieldsAsTheSdkWritesThem() throws Exception {
        LiveConnectConfig config = textConfig()
                .thinkingConfig(ThinkingConfig.builder().thinkingBudget(512).includeThoughts(true))
                .translationConfig(TranslationConfig.builder().targetLanguageCode("de-DE").echoTargetLanguage(true))
                .avatarConfig(AvatarConfig.builder().avatarName("kai").audioBitrateBps(64000).videoBitrateBps(1000000))
                .safetySettings(List.of(SafetySetting.builder().category(HarmCategory.Known.HARM_CATEGORY_HATE_SPEECH)
                        .threshold(HarmBlockThreshold.Known.BLOCK_ONLY_HIGH).method(HarmBlockMethod.Known.SEVERITY).build()))
                .labels(Map.of("tenant", "team-a"))
                .explicitVadSignal(true)
                .inputAudioTranscription(AudioTranscriptionConfig.builder().languageCodes("en-US")
                        .languageAuto(LanguageAuto.builder()).languageHints(LanguageHints.builder().languageCodes("fr-FR"))
                        .customVocabulary("Vertex").adaptationPhrases("turn on the lights").diarization(true)
                        .wordTimestamp(true).mode(AudioTranscriptionConfigMode.Known.VERBATIM).sourceText("Hello"))
                .outputAudioTranscription(AudioTranscriptionConfig.builder().mode(AudioTranscriptionConfigMode.Known.SMART))
                .realtimeInputConfig(RealtimeInputConfig.builder().interimTranscriptTimestampEnabled(true))
                .build();
        try (SdkConversation c = new SdkConversation(vertex, MODEL, config)) {
            c.say("Hello there");
            c.awaitTurns(1);
        }
        Setup setup = emulator.recorder().latestConnection().orElseThrow().setup();
        assertThat(setup.generationConfig().thinkingConfig().thinkingBudget()).isEqualTo(512);
        assertThat(setup.generationConfig().thinkingConfig().includeThoughts()).isTrue();
        assertThat(setup.generationConfig().translationConfig().targetLanguageCode()).isEqualTo("de-DE");
        assertThat(setup.generationConfig().translationConfig().echoTargetLanguage()).isTrue();
        assertThat(setup.avatarConfig().avatarName()).isEqualTo("kai");
        assertThat(setup.avatarConfig().videoBitrateBps()).isEqualTo(1000000);
        assertThat(setup.safetySettings()).containsExactly(new Setup.SafetySetting("HARM_CATEGORY_HATE_SPEECH",
                "BLOCK_ONLY_HIGH", "SEVERITY"));
        assertThat(setup.labels()).containsEntry("tenant", "team-a");
        assertThat(setup.explicitVadSignal()).isTrue();
        Setup.AudioTranscriptionConfig input = setup.inputAudioTranscription();
        assertThat(input.languageCodes()).containsExactly("en-US");
        assertThat(input.languageAuto()).isNotNull();
        assertThat(input.languageHints().languageCodes()).containsExactly("fr-FR");
        assertThat(input.customVocabulary()).containsExactly("Vertex");
        assertThat(input.adaptationPhrases()).containsExactly("turn on the lights");
        assertThat(input.diarization()).isTrue();
        assertThat(input.wordTimestamp()).isTrue();
        assertThat(input.mode()).isEqualTo("VERBATIM");
        assertThat(input.sourceText()).isEqualTo("Hello");
        assertThat(setup.outputAudioTranscription().mode()).isEqualTo("SMART");
        assertThat(setup.realtimeInputConfig().interimTranscriptTimestampEnabled()).isTrue();
    }

    /** A context update as the SDK sends it ({@code contextUpdate.tools.tools}), and the tool kinds of 2026. */
    @Test
    void contextUpdateAndNewToolKindsAsTheSdkWritesThem() throws Exception {
        LiveConnectConfig config = textConfig().tools(List.of(
                Tool.builder().urlContext(UrlContext.builder()).build(),
                Tool.builder().functionDeclarations(FunctionDeclaration.builder().name("get_forecast")
                        .behavior(Behavior.Known.NON_BLOCKING)
                        .parametersJsonSchema(Map.of("type", "object", "properties", Map.of("city", Map.of("type", "string"))))
                        .responseJsonSchema(Map.of("type", "object")).build()).build(),
                Tool.builder().googleMaps(GoogleMaps.builder().enableWidget(true)).build(),
                Tool.builder().enterpriseWebSearch(EnterpriseWebSearch.builder().excludeDomains("example.com")).build()))
                .build();
        try (SdkConversation c = new SdkConversation(vertex, MODEL, config)) {
            c.session.sendContextUpdate(LiveClientContextUpdate.builder()
                    .systemInstruction(Content.fromParts(Part.fromText("Be brief.")))
                    .tools(LiveClientContextUpdateTools.builder().tools(Tool.builder().urlContext(UrlContext.builder())))
                    .build()).get(15, TimeUnit.SECONDS);
            c.say("Hello there");
            c.awaitTurns(1);
        }
        RecordedConnection conn = emulator.recorder().latestConnection().orElseThrow();
        Setup setup = conn.setup();
        assertThat(setup.tools().get(0).urlContext()).isNotNull();
        var declaration = setup.tools().get(1).functionDeclarations().get(0);
        assertThat(declaration.behavior()).isEqualTo("NON_BLOCKING");
        assertThat(declaration.parametersJsonSchema().at("/properties/city/type").asText()).isEqualTo("string");
        assertThat(declaration.responseJsonSchema().get("type").asText()).isEqualTo("object");
        assertThat(setup.tools().get(2).googleMaps().get("enableWidget").asBoolean()).isTrue();
        assertThat(setup.tools().get(3).enterpriseWebSearch().at("/excludeDomains/0").asText()).isEqualTo("example.com");
        ClientMessage update = emulator.recorder().latestSession().orElseThrow().consumedMessages().stream()
                .filter(m -> m.contextUpdate() != null).findFirst().orElseThrow();
        assertThat(update.contextUpdate().systemInstruction().parts().get(0).text()).isEqualTo("Be brief.");
        assertThat(update.contextUpdate().tools().tools()).singleElement()
                .satisfies(t -> assertThat(t.urlContext()).isNotNull());
    }
}
