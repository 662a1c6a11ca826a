package dev.livegateway.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livegateway.emulator.LiveTestClient.Frame;
import dev.livegateway.wire.ServerMessage;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The emulator plays the Gemini 3.x Live models as their pages and migration notes describe them. */
class GeminiLiveModelsEmulatorTest {

    static final Duration T = Duration.ofSeconds(5);
    static Vertx vertx;
    LiveApiEmulator emulator;

    @BeforeAll
    static void vertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void closeVertx() {
        vertx.close();
    }

    @AfterEach
    void stop() throws Exception {
        if (emulator != null) {
            emulator.stop().toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
        }
    }

    private LiveTestClient connect() throws Exception {
        if (emulator == null) {
            emulator = new LiveApiEmulator(EmulatorOptions.defaults());
            emulator.start(vertx).toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
        }
        return LiveTestClient.connect(vertx, emulator.baseUrl() + LivePaths.VERTEX_V1BETA1, Map.of("Authorization", "Bearer T"));
    }

    private static String setup(String model, String generationExtra, String rest) {
        return "{\"setup\":{\"model\":\"publishers/google/models/" + model + "\",\"generationConfig\":{"
                + "\"responseModalities\":[\"TEXT\"]" + generationExtra + "}" + rest + ",\"sessionResumption\":{\"transparent\":true}}}";
    }

    private Integer refused(String setupJson) throws Exception {
        try (LiveTestClient c = connect()) {
            c.sendText(setupJson);
            Integer code = c.awaitClose(T);
            assertThat(c.closeReason()).as(setupJson).isEqualTo("Request contains an invalid argument.");
            return code;
        }
    }

    @Test
    void setupsTheModelsRefuseCloseWith1007() throws Exception {
        String ext = "gemini-3.8-live-extended-thinking";
        assertThat(refused(setup(ext, "", ""))).as("no thinking level").isEqualTo(1007);
        assertThat(refused(setup(ext, ",\"thinkingConfig\":{\"includeThoughts\":true}", ""))).isEqualTo(1007);
        assertThat(refused(setup(ext, ",\"thinkingConfig\":{\"thinkingLevel\":\"LOW\",\"thinkingBudget\":512}", "")))
                .as("level and budget").isEqualTo(1007);
        assertThat(refused(setup(ext, ",\"thinkingConfig\":{\"thinkingLevel\":\"MINIMAL\"}", ""))).isEqualTo(1007);
        assertThat(refused(setup(ext, ",\"thinkingConfig\":{\"thinkingLevel\":\"LOW\"}",
                ",\"tools\":[{\"functionDeclarations\":[{\"name\":\"f\",\"behavior\":\"BLOCKING\"}]}]")))
                .as("BLOCKING on the NON_BLOCKING-only model").isEqualTo(1007);
        assertThat(refused(setup("gemini-3.1-flash-live-preview", ",\"thinkingConfig\":{\"thinkingLevel\":\"minimal\"}", "")))
                .as("cookbook issue 1197").isEqualTo(1007);
        assertThat(refused(setup("gemini-3.1-flash-live-preview", "",
                ",\"tools\":[{\"functionDeclarations\":[{\"name\":\"f\",\"behavior\":\"NON_BLOCKING\"}]}]"))).isEqualTo(1007);
        assertThat(refused(setup("gemini-3.8-live", ",\"thinkingConfig\":{\"thinkingLevel\":\"LOW\"}", ""))).isEqualTo(1007);
        assertThat(refused(setup("gemini-3.8-live", ",\"enableAffectiveDialog\":true", ""))).isEqualTo(1007);
        // What they accept still works.
        try (LiveTestClient c = connect()) {
            c.sendText(setup(ext, ",\"thinkingConfig\":{\"thinkingBudget\":2048}", ""));
            assertThat(c.next(T).message().setupComplete()).isNotNull();
        }
    }

    private static List<String> texts(List<Frame> frames, boolean thought) {
        return frames.stream().filter(f -> f.message().serverContent() != null && f.message().serverContent().modelTurn() != null)
                .flatMap(f -> f.message().serverContent().modelTurn().parts().stream())
                .filter(p -> p.text() != null && Boolean.TRUE.equals(p.thought()) == thought).map(p -> p.text()).toList();
    }

    private static String status(Frame f) {
        return f.message().serverContent() == null ? null : f.message().serverContent().interactionStatus();
    }

    @Test
    void extendedThinkingWorksOnAfterTurnCompleteUntilIdleWithThoughtsPerLevel() throws Exception {
        for (String level : List.of("LOW", "MEDIUM", "HIGH")) {
            int effort = List.of("LOW", "MEDIUM", "HIGH").indexOf(level) + 1;
            try (LiveTestClient c = connect()) {
                c.sendText(setup("gemini-3.8-live-extended-thinking",
                        ",\"thinkingConfig\":{\"thinkingLevel\":\"" + level.toLowerCase() + "\",\"includeThoughts\":true}", ""));
                c.next(T);
                c.sendText("{\"realtimeInput\":{\"text\":\"Plan my trip\"}}");
                List<Frame> frames = c.until(f -> "IDLE".equals(status(f)), T);
                assertThat(status(frames.get(0))).isEqualTo("IN_PROGRESS");
                int firstTurnComplete = indexOf(frames, f -> f.message().serverContent() != null
                        && Boolean.TRUE.equals(f.message().serverContent().turnComplete()));
                List<Frame> answer = frames.subList(0, firstTurnComplete + 1);
                List<Frame> background = frames.subList(firstTurnComplete + 1, frames.size());
                assertThat(texts(answer, true)).as(level).hasSize(effort).allMatch(t -> t.contains(level));
                assertThat(String.join("", texts(answer, false))).isEqualTo("You said: \"Plan my trip\".");
                assertThat(answer.get(answer.size() - 1).json().at("/usageMetadata/thoughtsTokenCount").asInt()).isPositive();
                // After turnComplete the model is not idle: resumption updates say so, then it speaks again.
                assertThat(background).anyMatch(f -> f.message().sessionResumptionUpdate() != null
                        && !f.message().sessionResumptionUpdate().resumable());
                assertThat(texts(background, true)).hasSize(1);
                assertThat(String.join("", texts(background, false)))
                        .isEqualTo("Having thought it over at " + level + ": \"Plan my trip\" needs nothing more.");
                assertThat(background).anyMatch(f -> f.message().serverContent() != null
                        && Boolean.TRUE.equals(f.message().serverContent().turnComplete()));
                ServerMessage.SessionResumptionUpdate idleUpdate = c.until(f -> f.message().sessionResumptionUpdate() != null, T)
                        .get(0).message().sessionResumptionUpdate();
                assertThat(idleUpdate.resumable()).as("resumable once idle").isTrue();
            }
        }
        try (LiveTestClient c = connect()) {
            c.sendText(setup("gemini-3.8-live-extended-thinking", ",\"thinkingConfig\":{\"thinkingLevel\":\"HIGH\"}", ""));
            c.next(T);
            c.sendText("{\"realtimeInput\":{\"text\":\"Quietly\"}}");
            assertThat(texts(c.until(f -> "IDLE".equals(status(f)), T), true)).as("no thoughts unless asked").isEmpty();
        }
    }

    private static int indexOf(List<Frame> frames, java.util.function.Predicate<Frame> p) {
        for (int i = 0; i < frames.size(); i++) {
            if (p.test(frames.get(i))) {
                return i;
            }
        }
        throw new AssertionError("not found in " + LiveTestClient.jsonOf(frames));
    }

    @Test
    void nonBlockingIsTheDefaultOn38AndItsCallSurvivesAResumption() throws Exception {
        String tools = ",\"tools\":[{\"functionDeclarations\":[{\"name\":\"check_order\"}]}]";
        String handle;
        String callId;
        try (LiveTestClient c = connect()) {
            c.sendText(setup("gemini-3.8-live", "", tools));
            c.next(T);
            c.sendText("{\"realtimeInput\":{\"text\":\"Please check the order\"}}");
            List<Frame> turn = c.turn();
            callId = turn.stream().filter(f -> f.message().toolCall() != null).findFirst().orElseThrow()
                    .message().toolCall().functionCalls().get(0).id();
            assertThat(String.join("", texts(turn, false))).as("the model talks on: NON_BLOCKING by default")
                    .endsWith("Started check_order.");
            handle = c.until(f -> f.message().sessionResumptionUpdate() != null
                    && f.message().sessionResumptionUpdate().resumable(), T).get(0).message().sessionResumptionUpdate().newHandle();
        }
        try (LiveTestClient c = connect()) {
            c.sendText("{\"setup\":{\"model\":\"publishers/google/models/gemini-3.8-live\",\"generationConfig\":"
                    + "{\"responseModalities\":[\"TEXT\"]}" + tools + ",\"sessionResumption\":{\"handle\":\"" + handle + "\"}}}");
            c.next(T);
            c.sendText("{\"toolResponse\":{\"functionResponses\":[{\"id\":\"" + callId + "\",\"name\":\"check_order\","
                    + "\"response\":{\"status\":\"shipped\"},\"scheduling\":\"WHEN_IDLE\"}]}}");
            assertThat(String.join("", texts(c.turn(), false))).isEqualTo("check_order returned {\"status\":\"shipped\"}.");
        }
    }

    @Test
    void contextUpdateSwapsToolsAndTheRulesHoldForTheNewOnes() throws Exception {
        try (LiveTestClient c = connect()) {
            c.sendText(setup("gemini-3.8-live", "",
                    ",\"tools\":[{\"functionDeclarations\":[{\"name\":\"check_order\"}]}]"));
            c.next(T);
            c.sendText("{\"contextUpdate\":{\"systemInstruction\":{\"parts\":[{\"text\":\"Be brief\"}]},"
                    + "\"tools\":{\"tools\":[{\"functionDeclarations\":[{\"name\":\"book_table\"}]}]}}}");
            c.sendText("{\"realtimeInput\":{\"text\":\"check the order and book a table\"}}");
            List<ServerMessage.FunctionCall> calls = c.turn().stream().filter(f -> f.message().toolCall() != null)
                    .flatMap(f -> f.message().toolCall().functionCalls().stream()).toList();
            assertThat(calls).extracting(ServerMessage.FunctionCall::name).containsExactly("book_table");
        }
        JsonNode update = emulator.recorder().latestSession().orElseThrow().consumedJson().get(0);
        assertThat(update.at("/contextUpdate/systemInstruction/parts/0/text").asText()).isEqualTo("Be brief");
        try (LiveTestClient c = connect()) {
            c.sendText(setup("gemini-3.1-flash-live-preview", "", ""));
            c.next(T);
            c.sendText("{\"contextUpdate\":{\"tools\":{\"tools\":[{\"functionDeclarations\":[{\"name\":\"f\","
                    + "\"behavior\":\"NON_BLOCKING\"}]}]}}}");
            assertThat(c.awaitClose(T)).isEqualTo(1007);
        }
    }

    @Test
    void translationAndTranscriptionOptionsAreKeptInTheRecording() throws Exception {
        try (LiveTestClient c = connect()) {
            c.sendText(setup("gemini-3.8-live", ",\"translationConfig\":{\"targetLanguageCode\":\"de-DE\",\"echoTargetLanguage\":true}",
                    ",\"inputAudioTranscription\":{\"languageCodes\":[\"en-US\"],\"diarization\":true,\"customVocabulary\":[\"Gemini\"]}"));
            assertThat(c.next(T).message().setupComplete()).isNotNull();
        }
        RecordedConnection connection = emulator.recorder().latestSession().orElseThrow().firstConnection();
        assertThat(connection.setup().generationConfig().translationConfig().targetLanguageCode()).isEqualTo("de-DE");
        assertThat(connection.setup().inputAudioTranscription().diarization()).isTrue();
        assertThat(connection.setupJson().at("/inputAudioTranscription/customVocabulary/0").asText()).isEqualTo("Gemini");
        assertThat(emulator.recorder().latestSession().orElseThrow().connections().stream()
                .map(RecordedConnection::path).collect(Collectors.toList())).containsOnly(LivePaths.VERTEX_V1BETA1);
    }
}
