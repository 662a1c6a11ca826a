package dev.livegateway.grpc;

import static dev.livegateway.grpc.ConverseTest.textConfig;
import static dev.livegateway.grpc.ConverseTest.userText;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import dev.livegateway.GatewayStream;
import dev.livegateway.api.v1.AvatarConfig;
import dev.livegateway.api.v1.ClientEvent;
import dev.livegateway.api.v1.ContextTools;
import dev.livegateway.api.v1.ContextUpdate;
import dev.livegateway.api.v1.CustomAvatar;
import dev.livegateway.api.v1.GenerationConfig;
import dev.livegateway.api.v1.HarmBlockMethod;
import dev.livegateway.api.v1.HarmBlockThreshold;
import dev.livegateway.api.v1.HarmCategory;
import dev.livegateway.api.v1.HistoryConfig;
import dev.livegateway.api.v1.RealtimeInputConfig;
import dev.livegateway.api.v1.ReplicatedVoice;
import dev.livegateway.api.v1.SafetySetting;
import dev.livegateway.api.v1.ServerEvent.EventCase;
import dev.livegateway.api.v1.SessionConfig;
import dev.livegateway.api.v1.SessionStarted;
import dev.livegateway.api.v1.SpeechConfig;
import dev.livegateway.api.v1.ThinkingConfig;
import dev.livegateway.api.v1.ToolReference;
import dev.livegateway.api.v1.TranscriptionConfig;
import dev.livegateway.api.v1.TranscriptionMode;
import dev.livegateway.api.v1.TranslationConfig;
import dev.livegateway.emulator.EmbeddedEmulator;
import dev.livegateway.emulator.FaultRule;
import dev.livegateway.emulator.RecordedSession;
import io.grpc.Status;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The 2026 fields of the Live API (google-genai 2.0.0) through the real gRPC port: what the caller
 * sets reaches the Live API under the names the SDK writes (the emulator reads client messages
 * strictly and records them), refusals name the field, and a context update swaps the tools in the
 * middle of a conversation.
 */
@QuarkusTest
class LiveApiFieldsTest {

    private static final AtomicInteger NAMES = new AtomicInteger();
    /** The smallest PNG: its signature is what the gateway checks. */
    private static final byte[] PNG = Base64.getDecoder().decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

    @TestHTTPResource("/")
    URL base;

    @Inject
    EmbeddedEmulator emulator;

    private RecordedSession upstream(SessionStarted started) {
        return emulator.recorder().session(started.getUpstreamSessionId()).orElseThrow();
    }

    private JsonNode setupOf(SessionConfig config) {
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            stream.config(config);
            SessionStarted started = stream.await(EventCase.SESSION_STARTED).getSessionStarted();
            return upstream(started).firstConnection().setupJson();
        }
    }

    @Test
    void everyNewSetupFieldReachesTheLiveApi() {
        SessionConfig config = textConfig().toBuilder()
                .setGeneration(GenerationConfig.newBuilder()
                        .setThinking(ThinkingConfig.newBuilder().setThinkingBudget(1024).setIncludeThoughts(true))
                        .setPresencePenalty(0.5f).setFrequencyPenalty(-0.25f))
                .setInputTranscription(TranscriptionConfig.newBuilder()
                        .addLanguageCodes("en-US").addLanguageCodes("de-DE").setLanguageAuto(true)
                        .addLanguageHints("fr-FR").addCustomVocabulary("Vertex").addAdaptationPhrases("turn on the lights")
                        .setDiarization(true).setWordTimestamps(true).setMode(TranscriptionMode.TRANSCRIPTION_MODE_VERBATIM)
                        .setSourceText("Turn on the lights"))
                .setOutputTranscription(TranscriptionConfig.newBuilder().setMode(TranscriptionMode.TRANSCRIPTION_MODE_SMART))
                .setExplicitVadSignal(true)
                .setTranslation(TranslationConfig.newBuilder().setTargetLanguageCode("de-DE").setEchoTargetLanguage(true))
                .setAvatar(AvatarConfig.newBuilder().setAvatarName("kai").setVideoBitrateBps(1_000_000))
                .addSafetySettings(SafetySetting.newBuilder().setCategory(HarmCategory.HARM_CATEGORY_HATE_SPEECH)
                        .setThreshold(HarmBlockThreshold.HARM_BLOCK_THRESHOLD_BLOCK_ONLY_HIGH)
                        .setMethod(HarmBlockMethod.HARM_BLOCK_METHOD_SEVERITY))
                .setHistory(HistoryConfig.newBuilder().setInitialHistoryInClientContent(true))
                .putLabels("cost-center", "cc_42")
                .setRealtimeInput(RealtimeInputConfig.newBuilder().setInterimTranscriptTimestamps(true))
                .build();
        JsonNode setup = setupOf(config);

        JsonNode generation = setup.get("generationConfig");
        assertThat(generation.at("/thinkingConfig/thinkingBudget").asInt()).isEqualTo(1024);
        assertThat(generation.at("/thinkingConfig/includeThoughts").asBoolean()).isTrue();
        assertThat(generation.at("/presencePenalty").floatValue()).isEqualTo(0.5f);
        assertThat(generation.at("/frequencyPenalty").floatValue()).isEqualTo(-0.25f);
        assertThat(generation.at("/translationConfig/targetLanguageCode").asText()).isEqualTo("de-DE");
        assertThat(generation.at("/translationConfig/echoTargetLanguage").asBoolean()).isTrue();

        JsonNode input = setup.get("inputAudioTranscription");
        assertThat(input.get("languageCodes")).extracting(JsonNode::asText).containsExactly("en-US", "de-DE");
        assertThat(input.get("languageAuto").isObject()).isTrue();
        assertThat(input.at("/languageHints/languageCodes/0").asText()).isEqualTo("fr-FR");
        assertThat(input.at("/customVocabulary/0").asText()).isEqualTo("Vertex");
        assertThat(input.at("/adaptationPhrases/0").asText()).isEqualTo("turn on the lights");
        assertThat(input.get("diarization").asBoolean()).isTrue();
        assertThat(input.get("wordTimestamp").asBoolean()).isTrue();
        assertThat(input.get("mode").asText()).isEqualTo("VERBATIM");
        assertThat(input.get("sourceText").asText()).isEqualTo("Turn on the lights");
        assertThat(setup.at("/outputAudioTranscription/mode").asText()).isEqualTo("SMART");

        assertThat(setup.get("explicitVadSignal").asBoolean()).isTrue();
        assertThat(setup.at("/avatarConfig/avatarName").asText()).isEqualTo("kai");
        assertThat(setup.at("/avatarConfig/videoBitrateBps").asInt()).isEqualTo(1_000_000);
        assertThat(setup.at("/safetySettings/0/category").asText()).isEqualTo("HARM_CATEGORY_HATE_SPEECH");
        assertThat(setup.at("/safetySettings/0/threshold").asText()).isEqualTo("BLOCK_ONLY_HIGH");
        assertThat(setup.at("/safetySettings/0/method").asText()).isEqualTo("SEVERITY");
        assertThat(setup.at("/historyConfig/initialHistoryInClientContent").asBoolean()).isTrue();
        assertThat(setup.at("/labels/cost-center").asText()).isEqualTo("cc_42");
        assertThat(setup.at("/realtimeInputConfig/interimTranscriptTimestampEnabled").asBoolean()).isTrue();
    }

    @Test
    void thinkingLevelReplicatedVoiceAndCustomAvatar() {
        byte[] sample = {1, 2, 3, 4};
        byte[] consent = {5, 6, 7, 8};
        SessionConfig config = textConfig().toBuilder()
                .setGeneration(GenerationConfig.newBuilder()
                        .setThinking(ThinkingConfig.newBuilder().setThinkingLevel(dev.livegateway.api.v1.ThinkingLevel.THINKING_LEVEL_HIGH)))
                .setSpeech(SpeechConfig.newBuilder().setReplicatedVoice(ReplicatedVoice.newBuilder()
                        .setMimeType("audio/pcm;rate=24000").setVoiceSampleAudio(ByteString.copyFrom(sample))
                        .setConsentAudio(ByteString.copyFrom(consent))))
                .setAvatar(AvatarConfig.newBuilder().setCustomAvatar(CustomAvatar.newBuilder()
                        .setImageData(ByteString.copyFrom(PNG))))
                .build();
        JsonNode setup;
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            stream.config(config);
            SessionStarted started = stream.await(EventCase.SESSION_STARTED).getSessionStarted();
            // The Live API answers consent audio with a signature in setupComplete; the caller gets it.
            assertThat(started.getVoiceConsentSignature()).isEqualTo(expectedConsentSignature(consent));
            setup = upstream(started).firstConnection().setupJson();
        }
        assertThat(setup.at("/generationConfig/thinkingConfig/thinkingLevel").asText()).isEqualTo("HIGH");
        JsonNode voice = setup.at("/generationConfig/speechConfig/voiceConfig/replicatedVoiceConfig");
        assertThat(voice.get("mimeType").asText()).isEqualTo("audio/pcm;rate=24000");
        assertThat(Base64.getDecoder().decode(voice.get("voiceSampleAudio").asText())).containsExactly(sample);
        assertThat(Base64.getDecoder().decode(voice.get("consentAudio").asText())).containsExactly(consent);
        assertThat(setup.at("/avatarConfig/customizedAvatar/imageMimeType").asText()).isEqualTo("image/png");
        assertThat(Base64.getDecoder().decode(setup.at("/avatarConfig/customizedAvatar/imageData").asText()))
                .containsExactly(PNG);
    }

    /** The emulator's signature: "emulator-consent-" and the first 8 bytes of SHA-256(consent audio) in hex. */
    private static String expectedConsentSignature(byte[] consent) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(consent);
            return "emulator-consent-" + java.util.HexFormat.of().formatHex(digest, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void badNewFieldsAreRefusedNamingTheField() {
        List<Refusal> refusals = List.of(
                new Refusal(c -> c.putLabels("Cost Center", "x"), "config.labels"),
                new Refusal(c -> c.putLabels("team", "Not Lowercase"), "config.labels[team]"),
                new Refusal(c -> c.setGeneration(GenerationConfig.newBuilder()
                        .setThinking(ThinkingConfig.newBuilder().setThinkingLevelValue(99))),
                        "config.generation.thinking.thinking_level"),
                new Refusal(c -> c.setGeneration(GenerationConfig.newBuilder()
                        .setThinking(ThinkingConfig.newBuilder().setThinkingBudget(-2))),
                        "config.generation.thinking.thinking_budget"),
                new Refusal(c -> c.setGeneration(GenerationConfig.newBuilder().setPresencePenalty(3f)),
                        "config.generation.presence_penalty"),
                new Refusal(c -> c.addSafetySettings(SafetySetting.newBuilder()
                        .setCategory(HarmCategory.HARM_CATEGORY_HARASSMENT)), "config.safety_settings[0].threshold"),
                new Refusal(c -> c.addSafetySettings(SafetySetting.newBuilder()
                        .setThreshold(HarmBlockThreshold.HARM_BLOCK_THRESHOLD_OFF)), "config.safety_settings[0].category"),
                new Refusal(c -> c.setAvatar(AvatarConfig.newBuilder().setAvatarName("kai")
                        .setCustomAvatar(CustomAvatar.newBuilder().setImageData(ByteString.copyFrom(PNG)))), "config.avatar"),
                new Refusal(c -> c.setAvatar(AvatarConfig.newBuilder().setCustomAvatar(CustomAvatar.newBuilder()
                        .setImageData(ByteString.copyFromUtf8("not an image")))), "config.avatar.custom_avatar.image_data"),
                new Refusal(c -> c.setTranslation(TranslationConfig.getDefaultInstance()),
                        "config.translation.target_language_code"),
                new Refusal(c -> c.setInputTranscription(TranscriptionConfig.newBuilder().addLanguageCodes("english!")),
                        "config.input_transcription.language_codes[0]"),
                new Refusal(c -> c.setOutputTranscription(TranscriptionConfig.newBuilder().setModeValue(7)),
                        "config.output_transcription.mode"),
                new Refusal(c -> c.setSpeech(SpeechConfig.newBuilder().setReplicatedVoice(ReplicatedVoice.newBuilder()
                        .setMimeType("audio/wav").setVoiceSampleAudio(ByteString.copyFrom(new byte[] {1})))),
                        "config.speech.replicated_voice.consent_audio"));
        for (Refusal refusal : refusals) {
            SessionConfig.Builder config = textConfig().toBuilder();
            refusal.change().apply(config);
            try (GatewayStream stream = GatewayStream.open(base.getPort())) {
                stream.config(config.build());
                Status status = stream.assertEndsWith(Status.Code.INVALID_ARGUMENT, refusal.field() + ":");
                assertThat(stream.kinds()).as(refusal.field()).doesNotContain(EventCase.SESSION_STARTED);
                assertThat(status.getDescription()).as(refusal.field()).isNotBlank();
            }
        }
    }

    record Refusal(UnaryOperator<SessionConfig.Builder> change, String field) {}

    @Test
    void contextUpdateSwapsToolsAndInstructionMidConversation() {
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            stream.config(textConfig().toBuilder().setSystemInstruction("You switch lights.")
                    .addTools(ToolReference.newBuilder().setName("light-switch")).build());
            SessionStarted started = stream.await(EventCase.SESSION_STARTED).getSessionStarted();
            stream.send(userText("Hello there"));
            stream.await(EventCase.TURN_COMPLETE);

            stream.send(ClientEvent.newBuilder().setContextUpdate(ContextUpdate.newBuilder()
                    .setSystemInstruction("You compute.")
                    .setTools(ContextTools.newBuilder().addTools(ToolReference.newBuilder().setName("code-execution"))))
                    .build());
            // Sent right behind the update: it must reach the Live API after it, although the update's
            // tools are looked up in the registry first.
            stream.send(userText("Sum of the first 10 primes"));
            stream.await(e -> e.hasTurnComplete() && stream.events().stream().filter(x -> x.hasTurnComplete()).count() >= 2,
                    "second turn complete", GatewayStream.WAIT);

            List<JsonNode> consumed = upstream(started).awaitConsumed(3, Duration.ofSeconds(5));
            int update = indexOf(consumed, "contextUpdate");
            assertThat(update).isPositive();
            JsonNode contextUpdate = consumed.get(update).get("contextUpdate");
            assertThat(contextUpdate.at("/systemInstruction/parts/0/text").asText()).isEqualTo("You compute.");
            assertThat(contextUpdate.at("/tools/tools")).hasSize(1);
            assertThat(contextUpdate.at("/tools/tools/0").has("codeExecution")).isTrue();
            assertThat(consumed.get(update + 1).at("/clientContent/turns/0/parts/0/text").asText())
                    .isEqualTo("Sum of the first 10 primes");
        }
    }

    /** A connection after a context update (here: the first one dropped) is set up with the updated context. */
    @Test
    void aNewConnectionKeepsTheUpdatedContext() {
        String marker = "marker-" + NAMES.incrementAndGet();
        // A connection's faults are fixed at its setup: the rule picks the first connection by its instruction.
        emulator.faults().add(FaultRule.of(FaultRule.Action.DROP).forSetupContaining(marker)
                .afterMessages(2).forNextConnections(1).build());
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            stream.config(textConfig().toBuilder().setSystemInstruction("You switch lights. " + marker)
                    .addTools(ToolReference.newBuilder().setName("light-switch")).build());
            SessionStarted started = stream.await(EventCase.SESSION_STARTED).getSessionStarted();
            stream.send(ClientEvent.newBuilder().setContextUpdate(ContextUpdate.newBuilder()
                    .setSystemInstruction("You compute.")
                    .setTools(ContextTools.newBuilder().addTools(ToolReference.newBuilder().setName("code-execution"))))
                    .build());
            stream.send(userText("Hello again"));
            stream.await(EventCase.SESSION_RESUMED);
            stream.await(EventCase.TURN_COMPLETE);
            JsonNode first = upstream(started).firstConnection().setupJson();
            // The same Live session when the emulator had issued a resumption handle, else a new one.
            var latest = emulator.recorder().latestConnection().orElseThrow();
            assertThat(latest).isNotSameAs(upstream(started).firstConnection());
            JsonNode later = latest.setupJson();
            assertThat(first.at("/systemInstruction/parts/0/text").asText()).isEqualTo("You switch lights. " + marker);
            assertThat(first.at("/tools/0").has("functionDeclarations")).isTrue();
            assertThat(later.at("/systemInstruction/parts/0/text").asText()).isEqualTo("You compute.");
            assertThat(later.get("tools")).hasSize(1);
            assertThat(later.at("/tools/0").has("codeExecution")).isTrue();
        }
    }

    @Test
    void contextUpdateWithOnlyAnInstructionOrNoTools() {
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            stream.config(textConfig().toBuilder().addTools(ToolReference.newBuilder().setName("google-search")).build());
            SessionStarted started = stream.await(EventCase.SESSION_STARTED).getSessionStarted();
            stream.send(ClientEvent.newBuilder().setContextUpdate(ContextUpdate.newBuilder()
                    .setSystemInstruction("Answer in German.")).build());
            stream.send(ClientEvent.newBuilder().setContextUpdate(ContextUpdate.newBuilder()
                    .setTools(ContextTools.getDefaultInstance())).build());
            List<JsonNode> consumed = upstream(started).awaitConsumed(2, Duration.ofSeconds(5));
            assertThat(consumed.get(0).at("/contextUpdate/systemInstruction/parts/0/text").asText()).isEqualTo("Answer in German.");
            assertThat(consumed.get(0).at("/contextUpdate").has("tools")).isFalse();
            assertThat(consumed.get(1).at("/contextUpdate/tools/tools").isArray()).isTrue();
            assertThat(consumed.get(1).at("/contextUpdate/tools/tools")).isEmpty();
            assertThat(consumed.get(1).at("/contextUpdate").has("systemInstruction")).isFalse();
        }
    }

    @Test
    void contextUpdateRefusals() {
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            stream.config(textConfig());
            stream.await(EventCase.SESSION_STARTED);
            stream.send(ClientEvent.newBuilder().setContextUpdate(ContextUpdate.newBuilder()
                    .setTools(ContextTools.newBuilder().addTools(ToolReference.newBuilder().setName("no-such-tool"))))
                    .build());
            stream.assertEndsWith(Status.Code.NOT_FOUND, "no-such-tool");
        }
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            stream.config(textConfig());
            stream.await(EventCase.SESSION_STARTED);
            stream.send(ClientEvent.newBuilder().setContextUpdate(ContextUpdate.getDefaultInstance()).build());
            stream.assertEndsWith(Status.Code.INVALID_ARGUMENT, "context_update:");
        }
    }

    /** Registry documents with full JSON Schemas, behavior and URL context reach the setup as the SDK writes them. */
    @Test
    void jsonSchemaFunctionsAndUrlContextFromTheRegistry() {
        String functions = "json-schema-" + NAMES.incrementAndGet();
        given().contentType(ContentType.JSON).body(("{'name':'" + functions + "','functions':[{'name':'get_forecast',"
                + "'description':'Weather forecast','behavior':'NON_BLOCKING','parametersJsonSchema':{'type':'object',"
                + "'properties':{'city':{'type':'string','minLength':1},'days':{'type':'integer','exclusiveMinimum':0}},"
                + "'required':['city'],'additionalProperties':false},'responseJsonSchema':{'type':'object','properties':"
                + "{'summary':{'type':'string'}},'$defs':{'unit':{'enum':['C','F']}}}}]}").replace('\'', '"'))
                .post("/v1/tools").then().statusCode(201);
        String urls = "url-context-" + NAMES.incrementAndGet();
        given().contentType(ContentType.JSON).body("{\"name\":\"" + urls + "\",\"urlContext\":{}}")
                .post("/v1/tools").then().statusCode(201);

        JsonNode setup = setupOf(textConfig().toBuilder().addTools(ToolReference.newBuilder().setName(functions))
                .addTools(ToolReference.newBuilder().setName(urls)).build());
        JsonNode declaration = setup.at("/tools/0/functionDeclarations/0");
        assertThat(declaration.get("name").asText()).isEqualTo("get_forecast");
        assertThat(declaration.get("behavior").asText()).isEqualTo("NON_BLOCKING");
        assertThat(declaration.at("/parametersJsonSchema/properties/days/exclusiveMinimum").asInt()).isZero();
        assertThat(declaration.at("/parametersJsonSchema/additionalProperties").asBoolean(true)).isFalse();
        assertThat(declaration.at("/responseJsonSchema/$defs/unit/enum/1").asText()).isEqualTo("F");
        assertThat(declaration.has("parameters")).isFalse();
        assertThat(setup.at("/tools/1/urlContext").isObject()).isTrue();
    }

    private static int indexOf(List<JsonNode> messages, String field) {
        for (int i = 0; i < messages.size(); i++) {
            if (messages.get(i).has(field)) {
                return i;
            }
        }
        return -1;
    }
}
