package dev.livegateway.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livegateway.emulator.LiveTestClient.Frame;
import dev.livegateway.wire.Flavour;
import dev.livegateway.wire.ServerMessage;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The emulator's protocol behaviour, checked with a real WebSocket client. */
class LiveApiEmulatorTest {

    static final Duration T = Duration.ofSeconds(5);
    static final String VERTEX_SETUP_TEXT = "{\"setup\":{\"model\":\"projects/p/locations/us-central1/publishers/google/models/gemini-live-2.5-flash\","
            + "\"generationConfig\":{\"responseModalities\":[\"TEXT\"]}}}";
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

    LiveApiEmulator start(EmulatorOptions options) {
        emulator = new LiveApiEmulator(options.chunkDelay(Duration.ofMillis(2)));
        try {
            emulator.start(vertx).toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return emulator;
    }

    LiveTestClient vertex() {
        return LiveTestClient.connect(vertx, emulator.baseUrl() + LivePaths.VERTEX_V1BETA1, Map.of("Authorization", "Bearer T"));
    }

    LiveTestClient developer() {
        return LiveTestClient.connect(vertx, emulator.baseUrl() + "//ws/google.ai.generativelanguage.v1beta"
                + ".GenerativeService.BidiGenerateContent?key=K", Map.of());
    }

    static String text(List<Frame> frames) {
        return frames.stream().filter(f -> f.message().serverContent() != null
                        && f.message().serverContent().modelTurn() != null)
                .flatMap(f -> f.message().serverContent().modelTurn().parts().stream())
                .filter(p -> p.text() != null).map(p -> p.text()).collect(Collectors.joining());
    }

    static String b64(byte[] pcm) {
        return Base64.getEncoder().encodeToString(pcm);
    }

    static String audioMessage(byte[] pcm) {
        return "{\"realtimeInput\":{\"audio\":{\"mimeType\":\"audio/pcm;rate=16000\",\"data\":\"" + b64(pcm) + "\"}}}";
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) n += p.length;
        byte[] out = new byte[n];
        int o = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }

    // ---- shape ---------------------------------------------------------------------------------

    @Test
    void vertexTextTurnStreamsChunksInBinaryFramesWithVertexUsage() {
        start(EmulatorOptions.defaults());
        try (LiveTestClient c = vertex()) {
            c.sendText(VERTEX_SETUP_TEXT);
            Frame setup = c.next(T);
            assertThat(setup.binary()).isTrue();
            assertThat(setup.message().setupComplete().sessionId()).matches("[0-9a-f-]{36}");
            c.sendText("{\"clientContent\":{\"turns\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Hello there, how are you today?\"}]}],\"turnComplete\":true}}");
            List<Frame> turn = c.turn();
            assertThat(text(turn)).isEqualTo("You said: \"Hello there, how are you today?\".");
            List<Frame> chunks = turn.stream().filter(f -> f.message().serverContent().modelTurn() != null).toList();
            assertThat(chunks).hasSizeGreaterThanOrEqualTo(3);
            assertThat(chunks.get(0).json().at("/serverContent/modelTurn/role").asText()).isEqualTo("model");
            assertThat(turn.get(turn.size() - 2).message().serverContent().generationComplete()).isTrue();
            JsonNode usage = turn.get(turn.size() - 1).json().get("usageMetadata");
            assertThat(usage.get("candidatesTokenCount").asInt()).isPositive();
            assertThat(usage.has("responseTokenCount")).isFalse();
            assertThat(usage.get("trafficType").asText()).isEqualTo("ON_DEMAND");
            assertThat(turn).allMatch(Frame::binary);
        }
        RecordedSession s = emulator.recorder().awaitLatestSession(T);
        assertThat(s.flavour()).isEqualTo(Flavour.VERTEX);
        assertThat(s.firstConnection().header("authorization")).isEqualTo("Bearer T");
        assertThat(s.firstConnection().path()).isEqualTo(LivePaths.VERTEX_V1BETA1);
        assertThat(s.firstConnection().setupJson().at("/generationConfig/responseModalities/0").asText()).isEqualTo("TEXT");
        assertThat(s.consumedMessages()).hasSize(1);
    }

    @Test
    void developerFlavourSnakeCaseAndBinaryClientFramesTextOutput() {
        start(EmulatorOptions.defaults().binaryFrames(false).pretty(true));
        try (LiveTestClient c = developer()) {
            c.sendBinary("{\"setup\":{\"model\":\"models/gemini-2.5-flash-native-audio-preview-12-2025\",\"generation_config\":{\"response_modalities\":[\"text\"]}}}");
            Frame setup = c.next(T);
            assertThat(setup.binary()).isFalse();
            assertThat(setup.json().get("setupComplete").size()).isZero();
            c.sendBinary("{\"client_content\":{\"turns\":[{\"parts\":[{\"text\":\"Hi\"}]}],\"turn_complete\":true}}");
            List<Frame> turn = c.turn();
            assertThat(text(turn)).isEqualTo("You said: \"Hi\".");
            assertThat(turn.get(0).json().at("/serverContent/modelTurn").has("role")).isFalse();
            JsonNode usage = turn.get(turn.size() - 1).json().get("usageMetadata");
            assertThat(usage.get("responseTokenCount").asInt()).isPositive();
            assertThat(usage.has("candidatesTokenCount")).isFalse();
        }
        assertThat(emulator.recorder().awaitLatestSession(T).flavour()).isEqualTo(Flavour.GEMINI);
    }

    @Test
    void developerApiIsServedAtTheJsSdk3VersionSegmentV1() {
        start(EmulatorOptions.defaults());
        // What the JS SDK 3.x dials: a double slash, version v1, the key in the query.
        try (LiveTestClient c = LiveTestClient.connect(vertx, emulator.baseUrl()
                + "//ws/google.ai.generativelanguage.v1.GenerativeService.BidiGenerateContent?key=K", Map.of())) {
            c.sendText("{\"setup\":{\"model\":\"models/gemini-3.1-flash-live-preview\",\"generationConfig\":"
                    + "{\"responseModalities\":[\"TEXT\"]}}}");
            assertThat(c.next(T).json().get("setupComplete").size()).isZero();
            c.sendText("{\"realtimeInput\":{\"text\":\"Hi from v1\"}}");
            assertThat(text(c.turn())).isEqualTo("You said: \"Hi from v1\".");
        }
        RecordedSession s = emulator.recorder().awaitLatestSession(T);
        assertThat(s.flavour()).isEqualTo(Flavour.GEMINI);
        assertThat(s.firstConnection().path()).isEqualTo("//ws/google.ai.generativelanguage.v1.GenerativeService.BidiGenerateContent?key=K");
        assertThat(LiveTestClient.connectFailure(vertx, emulator.baseUrl()
                + "/ws/google.ai.generativelanguage.v2.GenerativeService.BidiGenerateContent", Map.of())).contains("404");
    }

    @Test
    void protocolViolationsClose1007AndUnknownModel1008() {
        start(EmulatorOptions.defaults());
        try (LiveTestClient c = vertex()) {
            c.sendText("{\"clientContent\":{\"turnComplete\":true}}");
            assertThat(c.awaitClose(T)).isEqualTo(1007);
            assertThat(c.closeReason()).contains("first client message must be setup");
        }
        try (LiveTestClient c = vertex()) {
            c.sendText(VERTEX_SETUP_TEXT);
            c.next(T);
            c.sendText(VERTEX_SETUP_TEXT);
            assertThat(c.awaitClose(T)).isEqualTo(1007);
        }
        try (LiveTestClient c = vertex()) {
            c.sendText("{\"setup\":{\"model\":\"models/gemini-live-2.5-flash\",\"bogus\":1}}");
            assertThat(c.awaitClose(T)).isEqualTo(1007);
            assertThat(c.closeReason()).contains("bogus");
        }
        try (LiveTestClient c = vertex()) {
            c.sendText("{\"setup\":{\"model\":\"models/gemini-live-2.5-flash\"},\"clientContent\":{}}");
            assertThat(c.awaitClose(T)).isEqualTo(1007);
        }
        try (LiveTestClient c = vertex()) {
            c.sendText("{\"setup\":{\"model\":\"models/gemini-2.0-flash\"}}");
            assertThat(c.awaitClose(T)).isEqualTo(1008);
            assertThat(c.closeReason()).isEqualTo("Requested entity was not found.");
        }
    }

    @Test
    void unknownPathIs404AndAuthIsChecked() {
        start(EmulatorOptions.defaults().authMode(EmulatorOptions.AuthMode.EXACT).expectedCredential("secret")
                .authRejection(EmulatorOptions.AuthRejection.HTTP_403));
        assertThat(LiveTestClient.connectFailure(vertx, emulator.baseUrl() + "/ws/nothing", Map.of())).contains("404");
        assertThat(LiveTestClient.connectFailure(vertx, emulator.baseUrl() + LivePaths.VERTEX_V1BETA1,
                Map.of("Authorization", "Bearer wrong"))).contains("403");
        assertThat(LiveTestClient.connectFailure(vertx, emulator.baseUrl() + LivePaths.DEVELOPER_V1BETA,
                Map.of("x-goog-api-key", "secret"))).isNull();
        assertThat(LiveTestClient.connectFailure(vertx, emulator.baseUrl() + LivePaths.DEVELOPER_V1BETA + "?key=secret",
                Map.of())).isNull();
        assertThat(LiveTestClient.connectFailure(vertx, emulator.baseUrl() + LivePaths.DEVELOPER_V1BETA,
                Map.of("Authorization", "Token secret"))).isNull();
    }

    @Test
    void authRejectionByClose1008() throws Exception {
        start(EmulatorOptions.defaults().authMode(EmulatorOptions.AuthMode.ANY)
                .authRejection(EmulatorOptions.AuthRejection.CLOSE_1008));
        // The close can race the Vert.x client's handler registration, so listen with the JDK client.
        var closeCode = new java.util.concurrent.CompletableFuture<Integer>();
        java.net.http.HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(java.net.URI.create(emulator.baseUrl() + LivePaths.VERTEX_V1BETA1), new java.net.http.WebSocket.Listener() {
                    @Override
                    public java.util.concurrent.CompletionStage<?> onClose(java.net.http.WebSocket w, int code, String reason) {
                        closeCode.complete(code);
                        return null;
                    }
                });
        assertThat(closeCode.get(15, TimeUnit.SECONDS)).isEqualTo(1008);
    }

    @Test
    void tlsWithSelfSignedCertificateForLoopbackIp() {
        TestCertificates.Pem pem = TestCertificates.localhost();
        start(EmulatorOptions.defaults().tls(pem.certPath().toString(), pem.keyPath().toString()));
        assertThat(emulator.baseUrl()).startsWith("wss://127.0.0.1:");
        try (LiveTestClient c = LiveTestClient.connect(vertx, emulator.baseUrl() + LivePaths.VERTEX_V1BETA1,
                Map.of("Authorization", "Bearer T"), pem.certPath().toString())) {
            c.sendText(VERTEX_SETUP_TEXT);
            assertThat(c.next(T).message().setupComplete()).isNotNull();
        }
    }

    // ---- audio ---------------------------------------------------------------------------------

    @Test
    void audioOutWithOutputTranscription() {
        start(EmulatorOptions.defaults());
        try (LiveTestClient c = developer()) {
            c.sendText("{\"setup\":{\"model\":\"models/gemini-live-2.5-flash-preview\",\"generationConfig\":{\"responseModalities\":[\"AUDIO\"],"
                    + "\"speechConfig\":{\"voiceConfig\":{\"prebuiltVoiceConfig\":{\"voiceName\":\"Aoede\"}}}},\"outputAudioTranscription\":{}}}");
            c.next(T);
            c.sendText("{\"realtimeInput\":{\"text\":\"Tell me a story about a cat\"}}");
            List<Frame> turn = c.turn();
            List<byte[]> audio = turn.stream().filter(f -> f.message().serverContent().modelTurn() != null)
                    .map(f -> f.message().serverContent().modelTurn().parts().get(0).inlineData())
                    .peek(b -> assertThat(b.mimeType()).isEqualTo("audio/pcm;rate=24000"))
                    .map(b -> b.data()).toList();
            int totalSamples = audio.stream().mapToInt(b -> b.length / 2).sum();
            String reply = "You said: \"Tell me a story about a cat\".";
            assertThat(totalSamples).isEqualTo(24 * 60 * reply.split(" ").length);
            String transcript = turn.stream().filter(f -> f.message().serverContent().outputTranscription() != null)
                    .map(f -> f.message().serverContent().outputTranscription().text()).collect(Collectors.joining());
            assertThat(transcript).isEqualTo(reply);
        }
    }

    @Test
    void audioInEndsOnSilenceMeasuredInAudioTime() {
        start(EmulatorOptions.defaults());
        try (LiveTestClient c = vertex()) {
            c.sendText("{\"setup\":{\"model\":\"gemini-live-2.5-flash\",\"generationConfig\":{\"responseModalities\":[\"TEXT\"]},"
                    + "\"inputAudioTranscription\":{},\"realtimeInputConfig\":{\"automaticActivityDetection\":{\"silenceDurationMs\":300}}}}");
            c.next(T);
            byte[] speech = Pcm16.tone(16000, 1280, 220, 8000);
            byte[] silence = Pcm16.silence(16000, 400);
            byte[] all = concat(speech, silence);
            for (int off = 0; off < all.length; off += 3200) {
                c.sendText(audioMessage(java.util.Arrays.copyOfRange(all, off, Math.min(all.length, off + 3200))));
            }
            List<Frame> turn = c.turn();
            ServerMessage.Transcription heard = turn.get(0).message().serverContent().inputTranscription();
            assertThat(heard.text()).isEqualTo("heard 1.28 seconds of audio");
            assertThat(text(turn)).isEqualTo("You said: \"heard 1.28 seconds of audio\".");
        }
    }

    @Test
    void manualActivityAndAudioStreamEnd() {
        start(EmulatorOptions.defaults());
        try (LiveTestClient c = vertex()) {
            c.sendText("{\"setup\":{\"model\":\"gemini-live-2.5-flash\",\"generationConfig\":{\"responseModalities\":[\"TEXT\"]},"
                    + "\"inputAudioTranscription\":{},\"realtimeInputConfig\":{\"automaticActivityDetection\":{\"disabled\":true}}}}");
            c.next(T);
            c.sendText("{\"realtimeInput\":{\"activityStart\":{}}}");
            c.sendText(audioMessage(Pcm16.tone(16000, 500, 300, 8000)));
            c.sendText(audioMessage(Pcm16.silence(16000, 1000)));
            c.sendText("{\"realtimeInput\":{\"activityEnd\":{}}}");
            assertThat(c.turn().get(0).message().serverContent().inputTranscription().text())
                    .isEqualTo("heard 1.50 seconds of audio");
        }
        try (LiveTestClient c = vertex()) {
            c.sendText("{\"setup\":{\"model\":\"gemini-live-2.5-flash\",\"inputAudioTranscription\":{}}}");
            c.next(T);
            c.sendText("{\"realtimeInput\":{\"activityStart\":{}}}");
            assertThat(c.awaitClose(T)).isEqualTo(1007);
        }
        try (LiveTestClient c = vertex()) {
            c.sendText("{\"setup\":{\"model\":\"gemini-live-2.5-flash\",\"inputAudioTranscription\":{}}}");
            c.next(T);
            c.sendText("{\"realtime_input\":{\"video\":{\"mimeType\":\"image/jpeg\",\"data\":\"AAEC\"}}}");
            c.sendText(audioMessage(Pcm16.tone(16000, 200, 300, 8000)));
            c.sendText("{\"realtimeInput\":{\"audioStreamEnd\":true}}");
            List<Frame> turn = c.turn();
            assertThat(turn.get(0).message().serverContent().inputTranscription().text()).isEqualTo("heard 0.20 seconds of audio");
            assertThat(text(turn)).endsWith("I saw 1 video frame.");
        }
    }

    @Test
    void audioEchoAnswersEachChunk() {
        start(EmulatorOptions.defaults().audioEcho(true));
        try (LiveTestClient c = developer()) {
            c.sendText("{\"setup\":{\"model\":\"models/gemini-live-2.5-flash-preview\"}}");
            c.next(T);
            c.sendText(audioMessage(Pcm16.silence(16000, 40)));
            Frame echo = c.next(T);
            assertThat(echo.message().serverContent().modelTurn().parts().get(0).inlineData().data()).hasSize(24 * 40 * 2);
        }
    }

    @Test
    void bargeInInterruptsTheReply() {
        emulator = null;
        start(EmulatorOptions.defaults());
        emulator.stop();
        emulator = new LiveApiEmulator(EmulatorOptions.defaults().chunkDelay(Duration.ofMillis(50)));
        emulator.start(vertx).toCompletionStage().toCompletableFuture().join();
        try (LiveTestClient c = vertex()) {
            c.sendText(VERTEX_SETUP_TEXT);
            c.next(T);
            c.sendText("{\"realtimeInput\":{\"text\":\"one two three four five six seven eight nine ten eleven twelve\"}}");
            c.next(T);
            c.sendText("{\"realtimeInput\":{\"text\":\"stop\"}}");
            List<Frame> frames = c.turn();
            assertThat(frames.get(frames.size() - 2).message().serverContent().interrupted()).isTrue();
            assertThat(frames).noneMatch(f -> f.message().serverContent() != null
                    && Boolean.TRUE.equals(f.message().serverContent().generationComplete()));
            assertThat(text(c.turn())).isEqualTo("You said: \"stop\".");
        }
    }

    // ---- tools ---------------------------------------------------------------------------------

    @Test
    void functionCallResponseAndCancellation() {
        start(EmulatorOptions.defaults());
        String setup = "{\"setup\":{\"model\":\"gemini-live-2.5-flash\",\"generationConfig\":{\"responseModalities\":[\"TEXT\"]},"
                + "\"tools\":[{\"functionDeclarations\":[{\"name\":\"turn_on_the_lights\"},{\"name\":\"turn_off_the_lights\"},"
                + "{\"name\":\"get_weather\",\"parameters\":{\"type\":\"OBJECT\",\"properties\":{\"city\":{\"type\":\"STRING\"},"
                + "\"unit\":{\"type\":\"STRING\",\"enum\":[\"celsius\",\"fahrenheit\"]},\"days\":{\"type\":\"INTEGER\"}},\"required\":[\"city\"]}}]}]}}";
        try (LiveTestClient c = vertex()) {
            c.sendText(setup);
            c.next(T);
            c.sendText("{\"clientContent\":{\"turns\":[{\"parts\":[{\"text\":\"Turn on the lights please\"}]}],\"turnComplete\":true}}");
            ServerMessage.ToolCall call = c.next(T).message().toolCall();
            assertThat(call.functionCalls()).hasSize(1);
            assertThat(call.functionCalls().get(0).name()).isEqualTo("turn_on_the_lights");
            assertThat(call.functionCalls().get(0).id()).matches("[0-9a-f-]{36}");
            c.sendText("{\"toolResponse\":{\"functionResponses\":[{\"name\":\"turn_on_the_lights\",\"response\":{\"result\":\"ok\"}}]}}");
            assertThat(text(c.turn())).isEqualTo("turn_on_the_lights returned {\"result\":\"ok\"}.");

            c.sendText("{\"realtimeInput\":{\"text\":\"What is the weather? get it\"}}");
            ServerMessage.FunctionCall weather = c.next(T).message().toolCall().functionCalls().get(0);
            assertThat(weather.args().get("unit").asText()).isEqualTo("celsius");
            assertThat(weather.args().get("days").asInt()).isEqualTo(1);
            assertThat(weather.args().get("city").isTextual()).isTrue();
            c.sendText("{\"realtimeInput\":{\"text\":\"never mind\"}}");
            assertThat(c.next(T).message().toolCallCancellation().ids()).containsExactly(weather.id());
            assertThat(c.next(T).message().serverContent().interrupted()).isTrue();
            assertThat(c.next(T).message().serverContent().turnComplete()).isTrue();
        }
    }

    @Test
    void nonBlockingFunctionHonoursScheduling() {
        start(EmulatorOptions.defaults());
        try (LiveTestClient c = developer()) {
            c.sendText("{\"setup\":{\"model\":\"models/gemini-live-2.5-flash-preview\",\"generationConfig\":{\"responseModalities\":[\"TEXT\"]},"
                    + "\"tools\":[{\"functionDeclarations\":[{\"name\":\"check_order\",\"behavior\":\"NON_BLOCKING\"}]}]}}");
            c.next(T);
            c.sendText("{\"realtimeInput\":{\"text\":\"check my order\"}}");
            ServerMessage.FunctionCall call = c.next(T).message().toolCall().functionCalls().get(0);
            assertThat(call.id()).matches("function-call-\\d+");
            assertThat(text(c.turn())).isEqualTo("You said: \"check my order\". Started check_order.");
            c.sendText("{\"toolResponse\":{\"functionResponses\":[{\"id\":\"" + call.id() + "\",\"name\":\"check_order\","
                    + "\"response\":{\"status\":\"shipped\"},\"scheduling\":\"WHEN_IDLE\"}]}}");
            assertThat(text(c.turn())).isEqualTo("check_order returned {\"status\":\"shipped\"}.");
        }
    }

    @Test
    void codeExecutionSearchAndRag() {
        start(EmulatorOptions.defaults());
        try (LiveTestClient c = vertex()) {
            c.sendText("{\"setup\":{\"model\":\"gemini-live-2.5-flash\",\"generationConfig\":{\"responseModalities\":[\"TEXT\"]},"
                    + "\"tools\":[{\"codeExecution\":{}},{\"googleSearch\":{}},{\"retrieval\":{\"vertexRagStore\":{\"ragResources\":"
                    + "[{\"ragCorpus\":\"projects/p/locations/us-central1/ragCorpora/123\"}]}}}]}}");
            c.next(T);
            c.sendText("{\"clientContent\":{\"turns\":[{\"parts\":[{\"text\":\"Compute the largest prime palindrome under 100000.\"}]}],\"turnComplete\":true}}");
            List<Frame> turn = c.turn();
            assertThat(turn.get(0).message().serverContent().modelTurn().parts().get(0).executableCode().language()).isEqualTo("PYTHON");
            assertThat(turn.get(1).message().serverContent().modelTurn().parts().get(0).codeExecutionResult().output()).isEqualTo("98689\n");
            assertThat(text(turn)).isEqualTo("The largest prime palindrome under 100000 is 98689.");
            JsonNode grounding = turn.stream().filter(f -> f.message().serverContent().groundingMetadata() != null)
                    .findFirst().orElseThrow().message().serverContent().groundingMetadata();
            assertThat(grounding.at("/webSearchQueries/0").asText()).isEqualTo("Compute the largest prime palindrome under 100000");
            assertThat(grounding.at("/groundingChunks/0/web/domain").asText()).isEqualTo("en.wikipedia.org");
            assertThat(grounding.at("/groundingChunks/2/retrievedContext/ragCorpus").asText())
                    .isEqualTo("projects/p/locations/us-central1/ragCorpora/123");
        }
    }

    // ---- resumption ----------------------------------------------------------------------------

    @Test
    void resumptionRollsBackToTheHandle() {
        start(EmulatorOptions.defaults().resumptionUpdateEveryMessages(2));
        String sessionId;
        String handle;
        try (LiveTestClient c = vertex()) {
            c.sendText("{\"setup\":{\"model\":\"gemini-live-2.5-flash\",\"generationConfig\":{\"responseModalities\":[\"TEXT\"]},"
                    + "\"sessionResumption\":{\"transparent\":true}}}");
            sessionId = c.next(T).message().setupComplete().sessionId();
            c.sendText("{\"realtimeInput\":{\"text\":\"first\"}}");
            c.turn();
            ServerMessage.SessionResumptionUpdate update = c.until(f -> f.message().sessionResumptionUpdate() != null
                    && f.message().sessionResumptionUpdate().resumable(), T).get(0).message().sessionResumptionUpdate();
            assertThat(update.lastConsumedClientMessageIndex()).isEqualTo(1L);
            handle = update.newHandle();
            c.sendText("{\"clientContent\":{\"turns\":[{\"parts\":[{\"text\":\"lost\"}]}],\"turnComplete\":false}}");
            emulator.recorder().session(sessionId).orElseThrow().awaitConsumed(2, T);
        }
        try (LiveTestClient c = vertex()) {
            c.sendText("{\"setup\":{\"model\":\"gemini-live-2.5-flash\",\"generationConfig\":{\"responseModalities\":[\"TEXT\"]},"
                    + "\"sessionResumption\":{\"handle\":\"" + handle + "\",\"transparent\":true}}}");
            assertThat(c.next(T).message().setupComplete().sessionId()).isEqualTo(sessionId);
            c.sendText("{\"realtimeInput\":{\"text\":\"second\"}}");
            assertThat(text(c.turn())).isEqualTo("You said: \"second\".");
        }
        RecordedSession s = emulator.recorder().session(sessionId).orElseThrow();
        assertThat(s.connections()).hasSize(2);
        assertThat(s.consumedJson().stream().map(JsonNode::toString).toList()).containsExactly(
                "{\"realtimeInput\":{\"text\":\"first\"}}", "{\"realtimeInput\":{\"text\":\"second\"}}");
        try (LiveTestClient c = vertex()) {
            c.sendText("{\"setup\":{\"model\":\"gemini-live-2.5-flash\",\"sessionResumption\":{\"handle\":\"nope\"}}}");
            assertThat(c.awaitClose(T)).isEqualTo(1008);
        }
    }

    @Test
    void loadTestModeServesManyConnectionsOnSeveralEventLoopsAndRecordsNothing() {
        start(EmulatorOptions.defaults().audioEcho(true).eventLoops(3).recording(false).resumptionUpdateEveryMessages(2));
        List<LiveTestClient> clients = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) {
                LiveTestClient c = vertex();
                clients.add(c);
                c.sendText("{\"setup\":{\"model\":\"gemini-live-2.5-flash\",\"generationConfig\":{\"responseModalities\":[\"TEXT\"]},"
                        + "\"sessionResumption\":{\"transparent\":true}}}");
                assertThat(c.next(T).message().setupComplete()).isNotNull();
            }
            for (LiveTestClient c : clients) {
                for (int chunk = 0; chunk < 3; chunk++) {
                    c.sendText(audioMessage(Pcm16.silence(16000, 20)));
                    List<Frame> upToEcho = c.until(f -> f.message().serverContent() != null, T);
                    assertThat(upToEcho.get(upToEcho.size() - 1).message().serverContent()
                            .modelTurn().parts().get(0).inlineData().data()).hasSize(24 * 20 * 2);
                }
                // Counted, not kept: the resumption updates still name what was consumed.
                List<Frame> upToUpdate = c.until(f -> f.message().sessionResumptionUpdate() != null, T);
                assertThat(upToUpdate.get(upToUpdate.size() - 1).message().sessionResumptionUpdate()
                        .lastConsumedClientMessageIndex()).isGreaterThanOrEqualTo(2L);
            }
            assertThat(emulator.recorder().connections()).isEmpty();
            assertThat(emulator.recorder().sessions()).isEmpty();
            LiveTestClient last = clients.get(clients.size() - 1);
            last.sendText("{\"realtimeInput\":{\"text\":");
            assertThat(last.awaitClose(T)).isEqualTo(1007);
            assertThat(last.closeReason()).isEqualTo("Invalid JSON payload received.");
        } finally {
            clients.forEach(LiveTestClient::close);
        }
    }

    @Test
    void resumptionWorksWithoutRecording() {
        start(EmulatorOptions.defaults().recording(false).resumptionUpdateEveryMessages(2));
        String sessionId;
        String handle;
        try (LiveTestClient c = vertex()) {
            c.sendText("{\"setup\":{\"model\":\"gemini-live-2.5-flash\",\"generationConfig\":{\"responseModalities\":[\"TEXT\"]},"
                    + "\"sessionResumption\":{\"transparent\":true}}}");
            sessionId = c.next(T).message().setupComplete().sessionId();
            c.sendText("{\"realtimeInput\":{\"text\":\"first\"}}");
            c.turn();
            ServerMessage.SessionResumptionUpdate update = c.until(f -> f.message().sessionResumptionUpdate() != null
                    && f.message().sessionResumptionUpdate().resumable(), T).get(0).message().sessionResumptionUpdate();
            handle = update.newHandle();
            c.sendText("{\"realtimeInput\":{\"text\":\"lost\"}}");
            c.turn();
        }
        try (LiveTestClient c = vertex()) {
            c.sendText("{\"setup\":{\"model\":\"gemini-live-2.5-flash\",\"generationConfig\":{\"responseModalities\":[\"TEXT\"]},"
                    + "\"sessionResumption\":{\"handle\":\"" + handle + "\",\"transparent\":true}}}");
            assertThat(c.next(T).message().setupComplete().sessionId()).isEqualTo(sessionId);
            c.sendText("{\"realtimeInput\":{\"text\":\"second\"}}");
            assertThat(text(c.turn())).isEqualTo("You said: \"second\".");
        }
        assertThat(emulator.recorder().sessions()).isEmpty();
    }

    // ---- recording bounds ------------------------------------------------------------------------

    static final int CHUNKS = 40;

    /** Sends {@code CHUNKS} audio messages of 100 ms (3,200 bytes of PCM, about 4.3 KB of JSON each). */
    String sendAudioSession() {
        try (LiveTestClient c = vertex()) {
            c.sendText(VERTEX_SETUP_TEXT);
            String id = c.next(T).message().setupComplete().sessionId();
            for (int i = 0; i < CHUNKS; i++) {
                c.sendText(audioMessage(Pcm16.silence(16000, 100)));
            }
            RecordedSession s = emulator.recorder().session(id).orElseThrow();
            EmulatorRecorder.poll(T, () -> s.consumedCount() >= CHUNKS ? s : null, () -> "consumed " + s.consumedCount());
            return id;
        }
    }

    static JsonNode adminSessions(LiveApiEmulator emulator) throws Exception {
        java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + emulator.port()
                        + "/emulator/sessions")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body());
    }

    @Test
    void recordingKeepsTheNewestMessagesOfASessionWithinItsBoundAndCountsTheDropped() throws Exception {
        start(EmulatorOptions.defaults().recordingMaxSessionBytes(40_000).recordingMaxTotalBytes(1_000_000));
        String id = sendAudioSession();
        RecordedSession s = emulator.recorder().session(id).orElseThrow();
        List<JsonNode> kept = s.consumedJson();
        assertThat(kept.size()).isBetween(5, 10); // 40,000 bytes of ~4.3 KB messages
        assertThat(s.consumedDropped()).isEqualTo(CHUNKS - kept.size());
        assertThat(kept.get(kept.size() - 1).at("/realtimeInput/audio/data").asText()).isEqualTo(b64(Pcm16.silence(16000, 100)));
        RecordedConnection connection = s.firstConnection();
        assertThat(connection.clientMessages().size() + connection.clientMessagesDropped()).isEqualTo(CHUNKS + 1);
        assertThat(emulator.recorder().recordedBytes()).isLessThanOrEqualTo(2 * 40_000);

        JsonNode listed = adminSessions(emulator);
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).path("consumed")).hasSize(kept.size());
        assertThat(listed.get(0).path("consumedDropped").asLong()).isEqualTo(CHUNKS - kept.size());
        assertThat(listed.get(0).path("connections").get(0).path("clientMessagesDropped").asLong())
                .isEqualTo(connection.clientMessagesDropped());
    }

    @Test
    void recordingSummarisesLongPayloadsInsteadOfKeepingThem() throws Exception {
        start(EmulatorOptions.defaults().recordingMaxPayloadChars(1000));
        String id = sendAudioSession();
        RecordedSession s = emulator.recorder().session(id).orElseThrow();
        assertThat(s.consumedJson()).hasSize(CHUNKS).allSatisfy(m -> assertThat(m.at("/realtimeInput/audio/data").asText())
                .isEqualTo("[" + b64(Pcm16.silence(16000, 100)).length() + " characters not recorded]"));
        assertThat(s.consumedJson().get(0).at("/realtimeInput/audio/mimeType").asText()).isEqualTo("audio/pcm;rate=16000");
        // the setup stays whole, and what is kept is counted small
        assertThat(s.firstConnection().setupJson().toString()).contains("gemini-live-2.5-flash");
        assertThat(emulator.recorder().recordedBytes()).isLessThan(2L * CHUNKS * 200 + 1000);
        assertThat(adminSessions(emulator).get(0).path("consumed").get(0).at("/realtimeInput/audio/data").asText())
                .endsWith("characters not recorded]");
    }

    @Test
    void recordingForgetsTheOldestSessionsBeyondTheTotalBound() throws Exception {
        start(EmulatorOptions.defaults().recordingMaxSessionBytes(200_000).recordingMaxTotalBytes(500_000));
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(sendAudioSession()); // ~175 KB per list, counted twice: ~350 KB per session
        }
        EmulatorRecorder recorder = emulator.recorder();
        assertThat(recorder.recordedBytes()).isLessThanOrEqualTo(500_000);
        assertThat(recorder.forgottenSessions()).isEqualTo(4);
        assertThat(recorder.sessions()).extracting(RecordedSession::id).containsExactly(ids.get(4));
        assertThat(recorder.session(ids.get(0))).isEmpty();
        assertThat(recorder.connections()).hasSize(1);
        JsonNode listed = adminSessions(emulator);
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).path("id").asText()).isEqualTo(ids.get(4));
        assertThat(listed.get(0).path("consumed")).hasSize(CHUNKS);
    }

    @Test
    void recordingBoundsAreValidated() {
        assertThatThrownBy(() -> EmulatorOptions.defaults().recordingMaxSessionBytes(0).validate())
                .hasMessageContaining("recordingMaxSessionBytes must be > 0");
        assertThatThrownBy(() -> EmulatorOptions.defaults().recordingMaxSessionBytes(10_000).recordingMaxTotalBytes(5_000)
                .validate()).hasMessageContaining("recordingMaxTotalBytes must be >= recordingMaxSessionBytes (10000)");
    }

    // ---- faults --------------------------------------------------------------------------------

    @Test
    void goAwayThenClose1000() {
        start(EmulatorOptions.defaults());
        emulator.faults().add(FaultRule.of(FaultRule.Action.GO_AWAY).goAwaySeconds(0).afterAge(50).forNextConnections(1).build());
        try (LiveTestClient c = vertex()) {
            c.sendText(VERTEX_SETUP_TEXT);
            c.next(T);
            assertThat(c.next(T).json().toString()).isEqualTo("{\"goAway\":{\"timeLeft\":\"0s\"}}");
            assertThat(c.awaitClose(T)).isEqualTo(1000);
        }
        assertThat(emulator.faults().rules()).isEmpty();
    }

    @Test
    void closeWithRealReasonsAfterMessagesAndForMarkedSetups() {
        start(EmulatorOptions.defaults());
        emulator.faults().add(FaultRule.close(FaultRule.LiveError.RESOURCE_EXHAUSTED).forSetupContaining("MARKER-1").build());
        emulator.faults().add(FaultRule.close(FaultRule.LiveError.INTERNAL).afterMessages(2).forSetupContaining("MARKER-2").build());
        try (LiveTestClient c = vertex()) {
            c.sendText("{\"setup\":{\"model\":\"gemini-live-2.5-flash\",\"systemInstruction\":{\"parts\":[{\"text\":\"MARKER-1\"}]}}}");
            assertThat(c.awaitClose(T)).isEqualTo(1011);
            assertThat(c.closeReason()).startsWith("Request trace id: ").contains("RESOURCE_EXHAUSTED: Maximum concurrent se");
            assertThat(c.closeReason().getBytes(java.nio.charset.StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(123);
        }
        try (LiveTestClient c = vertex()) {
            c.sendText("{\"setup\":{\"model\":\"gemini-live-2.5-flash\",\"systemInstruction\":{\"parts\":[{\"text\":\"MARKER-2\"}]}}}");
            c.next(T);
            c.sendText("{\"realtimeInput\":{\"video\":{\"mimeType\":\"image/jpeg\",\"data\":\"AAEC\"}}}");
            c.sendText("{\"realtimeInput\":{\"video\":{\"mimeType\":\"image/jpeg\",\"data\":\"AAEC\"}}}");
            assertThat(c.awaitClose(T)).isEqualTo(1011);
            assertThat(c.closeReason()).isEqualTo("Internal error occurred.");
        }
    }

    @Test
    void dropRefuseStallDelayAndConcurrencyLimit() throws Exception {
        start(EmulatorOptions.defaults().maxConcurrentSessions(1));
        emulator.faults().add(FaultRule.of(FaultRule.Action.REFUSE_UPGRADE).httpStatus(429).forNextConnections(1).build());
        assertThat(LiveTestClient.connectFailure(vertx, emulator.baseUrl() + LivePaths.VERTEX_V1BETA1, Map.of())).contains("429");

        emulator.faults().add(FaultRule.of(FaultRule.Action.DROP).forNextConnections(1).build());
        // The JDK client tells a close frame (onClose) from a dropped connection (onError).
        var closeCode = new java.util.concurrent.CompletableFuture<Integer>();
        var dropped = new java.util.concurrent.CompletableFuture<Throwable>();
        var ws = java.net.http.HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(java.net.URI.create(emulator.baseUrl() + LivePaths.VERTEX_V1BETA1), new java.net.http.WebSocket.Listener() {
                    @Override
                    public java.util.concurrent.CompletionStage<?> onClose(java.net.http.WebSocket w, int code, String reason) {
                        closeCode.complete(code);
                        return null;
                    }

                    @Override
                    public void onError(java.net.http.WebSocket w, Throwable error) {
                        dropped.complete(error);
                    }
                }).get(15, TimeUnit.SECONDS);
        ws.sendText(VERTEX_SETUP_TEXT, true);
        Object outcome = java.util.concurrent.CompletableFuture.anyOf(dropped, closeCode).get(15, TimeUnit.SECONDS);
        assertThat(outcome).as("outcome").isInstanceOf(java.io.IOException.class);
        assertThat(closeCode).isNotDone();

        emulator.faults().add(FaultRule.of(FaultRule.Action.DELAY_SETUP).delayMs(300).forNextConnections(1).build());
        try (LiveTestClient c = vertex()) {
            long t0 = System.nanoTime();
            c.sendText(VERTEX_SETUP_TEXT);
            c.next(T);
            assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(Duration.ofMillis(300).toNanos());
            try (LiveTestClient second = vertex()) {
                second.sendText(VERTEX_SETUP_TEXT);
                assertThat(second.awaitClose(T)).isEqualTo(1011);
                assertThat(second.closeReason()).contains("RESOURCE_EXHAUSTED");
            }
        }

        emulator.faults().add(FaultRule.of(FaultRule.Action.STALL).afterMessages(1).forNextConnections(1).build());
        try (LiveTestClient c = vertex()) {
            c.sendText(VERTEX_SETUP_TEXT);
            c.next(T);
            c.sendText("{\"realtimeInput\":{\"text\":\"hello\"}}");
            Thread.sleep(200);
            assertThat(c.drain()).isEmpty();
            assertThat(c.isClosed()).isFalse();
        }
    }

    @Test
    void adminEndpointManagesFaults() throws Exception {
        start(EmulatorOptions.defaults());
        var client = java.net.http.HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + emulator.port() + "/emulator/";
        var post = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "faults"))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"action\":\"CLOSE\",\"error\":\"UNAVAILABLE\",\"nextConnections\":1}"))
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(201);
        var bad = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "faults"))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"action\":\"REFUSE_UPGRADE\",\"httpStatus\":500}"))
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("httpStatus must be 429 or 503");
        try (LiveTestClient c = vertex()) {
            c.sendText(VERTEX_SETUP_TEXT);
            assertThat(c.awaitClose(T)).isEqualTo(1011);
            assertThat(c.closeReason()).isEqualTo("The service is currently unavailable.");
        }
        var sessions = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "sessions")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(sessions.body()).contains("gemini-live-2.5-flash");
        var list = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "faults")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(list.body()).isEqualTo("[]");
    }
}
