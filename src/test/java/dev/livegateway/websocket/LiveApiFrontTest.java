package dev.livegateway.websocket;

import dev.livegateway.testing.NumberedChunks;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.genai.AsyncSession;
import com.google.genai.Client;
import com.google.genai.types.ActivityEnd;
import com.google.genai.types.ActivityStart;
import com.google.genai.types.AudioTranscriptionConfig;
import com.google.genai.types.AutomaticActivityDetection;
import com.google.genai.types.Blob;
import com.google.genai.types.ClientOptions;
import com.google.genai.types.Content;
import com.google.genai.types.FunctionCall;
import com.google.genai.types.FunctionDeclaration;
import com.google.genai.types.FunctionResponse;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.LiveClientContextUpdate;
import com.google.genai.types.LiveClientContextUpdateTools;
import com.google.genai.types.LiveConnectConfig;
import com.google.genai.types.LiveSendRealtimeInputParameters;
import com.google.genai.types.LiveSendToolResponseParameters;
import com.google.genai.types.LiveServerMessage;
import com.google.genai.types.Modality;
import com.google.genai.types.Part;
import com.google.genai.types.PrebuiltVoiceConfig;
import com.google.genai.types.RealtimeInputConfig;
import com.google.genai.types.SessionResumptionConfig;
import com.google.genai.types.SpeechConfig;
import com.google.genai.types.Tool;
import com.google.genai.types.VoiceConfig;
import dev.livegateway.SdkConversation;
import dev.livegateway.emulator.EmbeddedEmulator;
import dev.livegateway.emulator.FaultRule;
import dev.livegateway.emulator.Pcm16;
import dev.livegateway.emulator.RecordedSession;
import dev.livegateway.metrics.PrometheusScrape;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/**
 * Google's Java SDK (google-genai 2.0.0), unmodified, as a client of the gateway's Live API
 * WebSocket front, with the embedded emulator behind the gateway: the SDK's base URL points at
 * the gateway, its credential is a tenant key. Raw WebSocket clients check what the SDK hides:
 * the close codes and reasons, the path and JSON tolerances.
 */
@QuarkusTest
class LiveApiFrontTest {

    static final String KEY = "sdk-team-test-key";
    static final String MODEL = "gemini-live-2.5-flash";

    @TestHTTPResource("/")
    URL base;

    @Inject
    EmbeddedEmulator emulator;

    @Inject
    Vertx vertx;

    private static final OkHttpClient PLAIN = new OkHttpClient.Builder().addInterceptor(chain -> chain.proceed(
            chain.request().newBuilder().url(chain.request().url().newBuilder().scheme("http").build()).build())).build();

    private Client vertex(String key, Map<String, String> headers) {
        return Client.builder().vertexAI(true).project("someone-elses-project").location("europe-west4")
                .credentials(GoogleCredentials.create(new AccessToken(key, new Date(System.currentTimeMillis() + 3_600_000))))
                .httpOptions(http(headers)).clientOptions(ClientOptions.builder().customHttpClient(PLAIN).build()).build();
    }

    private Client developer(String key) {
        return Client.builder().apiKey(key).httpOptions(http(Map.of()))
                .clientOptions(ClientOptions.builder().customHttpClient(PLAIN).build()).build();
    }

    private HttpOptions http(Map<String, String> headers) {
        return HttpOptions.builder().baseUrl("http://localhost:" + base.getPort()).headers(headers).build();
    }

    /** A connected SDK session collecting what the SDK parsed. */
    static LiveConnectConfig.Builder textConfig() {
        return LiveConnectConfig.builder().responseModalities(new Modality(Modality.Known.TEXT));
    }

    @Test
    void vertexSdkTextOnTheGatewaysOwnUpstream() throws Exception {
        Map<String, String> websocket = Map.of("tenant", "sdk-team", "front", "websocket");
        double startedBefore = PrometheusScrape.now().sum("live_gateway_sessions_started_total", websocket);
        try (SdkConversation c = new SdkConversation(vertex(KEY, Map.of()), MODEL, textConfig().build())) {
            assertThat(c.session.sessionId()).as("setupComplete answered by the gateway").startsWith("lg-");
            c.say("Hello, how are you doing today?");
            c.awaitTurns(1);
            assertThat(c.text()).isEqualTo("You said: \"Hello, how are you doing today?\".");
            LiveServerMessage usage = c.await(m -> m.usageMetadata().isPresent());
            assertThat(usage.usageMetadata().get().responseTokenCount().orElse(0)).isPositive();
        }
        assertThat(PrometheusScrape.now().sum("live_gateway_sessions_started_total", websocket))
                .as("the metrics label the front").isEqualTo(startedBefore + 1);
        RecordedSession upstream = emulator.recorder().latestSession().orElseThrow();
        assertThat(upstream.firstConnection().setup().model()).as("the client's project means nothing")
                .doesNotContain("someone-elses-project").endsWith(MODEL);
    }

    @Test
    void developerSdkAudioWithVoiceAndTranscriptions() throws Exception {
        LiveConnectConfig config = LiveConnectConfig.builder().responseModalities(new Modality(Modality.Known.AUDIO))
                .speechConfig(SpeechConfig.builder().voiceConfig(VoiceConfig.builder()
                        .prebuiltVoiceConfig(PrebuiltVoiceConfig.builder().voiceName("Aoede"))))
                .inputAudioTranscription(AudioTranscriptionConfig.builder().build())
                .outputAudioTranscription(AudioTranscriptionConfig.builder().build()).build();
        try (SdkConversation c = new SdkConversation(developer(KEY), MODEL, config)) {
            c.say("Hello? Gemini are you there?");
            c.awaitTurns(1);
            Blob audio = c.await(m -> m.serverContent().flatMap(s -> s.modelTurn()).isPresent())
                    .serverContent().get().modelTurn().get().parts().get().get(0).inlineData().get();
            assertThat(audio.mimeType()).contains("audio/pcm;rate=24000");
            assertThat(audio.data().orElseThrow()).isNotEmpty();
            String transcript = c.received.stream().flatMap(m -> m.serverContent().flatMap(s -> s.outputTranscription()).stream())
                    .map(t -> t.text().orElse("")).collect(Collectors.joining());
            assertThat(transcript).isEqualTo("You said: \"Hello? Gemini are you there?\".");

            byte[] pcm = concat(Pcm16.tone(16000, 1000, 200, 8000), Pcm16.silence(16000, 600));
            c.send(LiveSendRealtimeInputParameters.builder().audio(Blob.builder().mimeType("audio/pcm;rate=16000").data(pcm)));
            c.awaitTurns(2);
            assertThat(c.inputTranscripts()).contains("heard 1.00 seconds of audio");
        }
        assertThat(emulator.recorder().latestSession().orElseThrow().firstConnection().setupJson()
                .at("/generationConfig/speechConfig/voiceConfig/prebuiltVoiceConfig/voiceName").asText()).isEqualTo("Aoede");
    }

    /** 22.05 kHz is no rate the Live API takes as it is: the front converts it to 16 kHz (LiveApiAudioInput). */
    @Test
    void audioAtARateTheLiveApiDoesNotTakeIsConverted() throws Exception {
        LiveConnectConfig config = textConfig().inputAudioTranscription(AudioTranscriptionConfig.builder().build()).build();
        try (SdkConversation c = new SdkConversation(developer(KEY), MODEL, config)) {
            byte[] pcm = concat(Pcm16.tone(22050, 1000, 200, 8000), Pcm16.silence(22050, 600));
            for (int at = 0; at < pcm.length; at += 1764) { // 40 ms chunks, as the playground sends them
                byte[] chunk = java.util.Arrays.copyOfRange(pcm, at, Math.min(pcm.length, at + 1764));
                c.send(LiveSendRealtimeInputParameters.builder().audio(Blob.builder().mimeType("audio/pcm;rate=22050")
                        .data(chunk)));
            }
            c.awaitTurns(1);
            assertThat(c.inputTranscripts()).singleElement().asString().matches("heard (0\\.99|1\\.0[01]) seconds of audio");
        }
        List<String> rates = emulator.recorder().latestSession().orElseThrow().firstConnection().clientMessages().stream()
                .map(m -> m.at("/realtimeInput/audio/mimeType").asText("")).filter(r -> !r.isEmpty()).distinct().toList();
        assertThat(rates).containsExactly("audio/pcm;rate=16000");
    }

    @Test
    void registryToolByNameInAFunctionDeclarationOrTheHeader() throws Exception {
        LiveConnectConfig byDeclaration = textConfig().tools(Tool.builder()
                .functionDeclarations(FunctionDeclaration.builder().name("light-switch").build()).build()).build();
        assertLightSwitch(vertex(KEY, Map.of()), byDeclaration);
        assertLightSwitch(vertex(KEY, Map.of(LiveApiFront.TOOLS_HEADER, "light-switch")), textConfig().build());
    }

    /** A registry {@code http} entry through the front: the gateway runs it, the SDK never sees the call. */
    @Test
    void aGatewayRunToolIsAnsweredByTheGatewayAndTheSdkSeesNoToolCall() throws Exception {
        try (dev.livegateway.testing.ToolEndpointServer endpoint = new dev.livegateway.testing.ToolEndpointServer()) {
            int status = io.restassured.RestAssured.given().contentType("application/json").body(("{'name':'ws-orders',"
                    + "'http':{'function':{'name':'lookup_order','parameters':{'type':'OBJECT','properties':"
                    + "{'order_id':{'type':'STRING'}}}},'url':'" + endpoint.base() + "/orders/{order_id}'}}")
                    .replace('\'', '"')).post("/v1/tools").then().extract().statusCode();
            assertThat(status).isIn(201, 409);
            LiveConnectConfig config = textConfig().tools(Tool.builder()
                    .functionDeclarations(FunctionDeclaration.builder().name("ws-orders").build()).build()).build();
            try (SdkConversation c = new SdkConversation(vertex(KEY, Map.of()), MODEL, config)) {
                c.say("Please lookup the order");
                c.awaitTurns(1);
                assertThat(c.text()).contains("lookup_order returned", "shipped");
                assertThat(c.received).noneMatch(m -> m.toolCall().isPresent() || m.toolCallCancellation().isPresent());
                assertThat(endpoint.count("/orders")).isEqualTo(1);
            }
        }
    }

    private void assertLightSwitch(Client client, LiveConnectConfig config) throws Exception {
        try (SdkConversation c = new SdkConversation(client, MODEL, config)) {
            JsonNode setup = emulator.recorder().latestSession().orElseThrow().firstConnection().setupJson();
            assertThat(setup.at("/tools/0/functionDeclarations/0/name").asText()).isEqualTo("turn_on_the_lights");
            c.say("Turn on the lights please");
            FunctionCall call = c.await(m -> m.toolCall().isPresent()).toolCall().get().functionCalls().get().get(0);
            assertThat(call.name()).contains("turn_on_the_lights");
            assertThat(call.args().orElseThrow()).containsKey("brightness");
            c.session.sendToolResponse(LiveSendToolResponseParameters.builder().functionResponses(
                    FunctionResponse.builder().id(call.id().orElseThrow()).name(call.name().orElseThrow())
                            .response(Map.of("result", "ok")).build()).build()).get(15, TimeUnit.SECONDS);
            c.awaitTurns(1);
            assertThat(c.text()).contains("turn_on_the_lights", "ok");
        }
    }

    @Test
    void contextUpdateSwapsToARegistryToolByNameInTheClientsOrder() throws Exception {
        LiveConnectConfig config = textConfig().systemInstruction(Content.fromParts(Part.fromText("You switch lights.")))
                .tools(Tool.builder().functionDeclarations(FunctionDeclaration.builder().name("light-switch").build()).build())
                .build();
        try (SdkConversation c = new SdkConversation(developer(KEY), MODEL, config)) {
            RecordedSession upstream = emulator.recorder().latestSession().orElseThrow();
            c.say("Hello there");
            c.awaitTurns(1);
            c.session.sendContextUpdate(LiveClientContextUpdate.builder()
                    .systemInstruction(Content.fromParts(Part.fromText("You compute.")))
                    .tools(LiveClientContextUpdateTools.builder().tools(Tool.builder().functionDeclarations(
                            FunctionDeclaration.builder().name("code-execution").build()).build()))
                    .build()).get(15, TimeUnit.SECONDS);
            // Right behind the update: it must reach the Live API after it, although the update's tools
            // are looked up in the registry first.
            c.say("Sum of the first 10 primes");
            c.awaitTurns(2);
            List<JsonNode> consumed = upstream.awaitConsumed(3, Duration.ofSeconds(5));
            int update = -1;
            for (int i = 0; i < consumed.size(); i++) {
                if (consumed.get(i).has("contextUpdate")) {
                    update = i;
                }
            }
            assertThat(update).isPositive();
            JsonNode contextUpdate = consumed.get(update).get("contextUpdate");
            assertThat(contextUpdate.at("/systemInstruction/parts/0/text").asText()).isEqualTo("You compute.");
            assertThat(contextUpdate.at("/tools/tools")).hasSize(1);
            assertThat(contextUpdate.at("/tools/tools/0").has("codeExecution")).isTrue();
            assertThat(consumed.get(update + 1).at("/clientContent/turns/0/parts/0/text").asText())
                    .isEqualTo("Sum of the first 10 primes");
        }
    }

    @Test
    void aVideoFrameOfAMegabyteGetsThrough() throws Exception {
        byte[] jpeg = new byte[1024 * 1024];
        new java.util.Random(7).nextBytes(jpeg);
        jpeg[0] = (byte) 0xFF;
        jpeg[1] = (byte) 0xD8;
        jpeg[2] = (byte) 0xFF;
        try (SdkConversation c = new SdkConversation(vertex(KEY, Map.of()), MODEL, textConfig().build())) {
            RecordedSession upstream = emulator.recorder().latestSession().orElseThrow();
            c.send(LiveSendRealtimeInputParameters.builder().video(Blob.builder().mimeType("image/jpeg").data(jpeg)));
            c.say("What do you see?");
            c.awaitTurns(1);
            JsonNode video = upstream.consumedJson().stream().filter(j -> j.at("/realtimeInput/video").isObject())
                    .findFirst().orElseThrow();
            // The recorder keeps the size of large values, not the bytes: 1 MiB in base64.
            assertThat(video.at("/realtimeInput/video/data").asText())
                    .isEqualTo("[" + Base64.getEncoder().encodeToString(jpeg).length() + " characters not recorded]");
            assertThat(video.at("/realtimeInput/video/mimeType").asText()).isEqualTo("image/jpeg");
        }
    }

    @Test
    void badKeyIsRefusedBeforeTheUpgrade() {
        assertThatThrownBy(() -> developer("not-a-key").async.live.connect(MODEL, textConfig().build())
                .get(10, TimeUnit.SECONDS)).hasMessageContaining("401");
        assertThatThrownBy(() -> vertex("not-a-key", Map.of()).async.live.connect(MODEL, textConfig().build())
                .get(10, TimeUnit.SECONDS)).hasMessageContaining("401");
        assertThatThrownBy(() -> connect("/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent"
                + "?key=wrong", Map.of(), new CopyOnWriteArrayList<>()))
                .hasRootCauseInstanceOf(io.vertx.core.http.UpgradeRejectedException.class)
                .rootCause().satisfies(e -> assertThat(((io.vertx.core.http.UpgradeRejectedException) e).getStatus())
                        .isEqualTo(401));
    }

    @Test
    void quotaRefusalNamesTheLimitAndTheRetryDelay() throws Exception {
        Client client = developer(KEY);
        try (SdkConversation one = new SdkConversation(client, MODEL, textConfig().build());
                SdkConversation two = new SdkConversation(client, MODEL, textConfig().build())) {
            // google-genai for Java reads the close but does not pass it on (it logs it, and its
            // connect future stays incomplete: its OkHttp listener never answers a server's close).
            List<String> sdkLog = new CopyOnWriteArrayList<>();
            java.util.logging.Logger sdkLogger = java.util.logging.Logger.getLogger("com.google.genai.AsyncLive");
            java.util.logging.Handler capture = new java.util.logging.Handler() {
                @Override
                public void publish(java.util.logging.LogRecord record) {
                    sdkLog.add(java.text.MessageFormat.format(record.getMessage(), record.getParameters()));
                }

                @Override
                public void flush() {}

                @Override
                public void close() {}
            };
            sdkLogger.addHandler(capture);
            try {
                CompletableFuture<AsyncSession> third = client.async.live.connect(MODEL, textConfig().build());
                SdkConversation.poll(Duration.ofSeconds(10), () -> sdkLog.stream().anyMatch(l -> l.contains("1,013")
                        && l.contains("RESOURCE_EXHAUSTED (retry in ")) ? true : null, () -> "SDK log " + sdkLog);
                assertThat(third.isDone() && !third.isCompletedExceptionally()).as("no session for the refused client").isFalse();
            } finally {
                sdkLogger.removeHandler(capture);
            }
            Closed closed = raw("/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent",
                    Map.of("x-goog-api-key", KEY), "{\"setup\":{\"model\":\"models/" + MODEL + "\"}}", false);
            assertThat(closed.code).isEqualTo(1013);
            assertThat(closed.reason).startsWith("RESOURCE_EXHAUSTED (retry in ").contains("sdk-team");
            assertThat(PrometheusScrape.now().sum("live_gateway_admissions_total", Map.of("tenant", "sdk-team",
                    "outcome", "quota_exceeded", "front", "websocket"))).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void badInputClosesWith1007NamingTheField() throws Exception {
        Closed closed = raw("/ws/google.cloud.aiplatform.v1.LlmBidiService/BidiGenerateContent", Map.of(),
                "{\"setup\":{\"model\":\"" + MODEL + "\",\"generationConfig\":{\"responseModalities\":[\"SMELL\"]}}}", false);
        assertThat(closed.code).isEqualTo(1007);
        assertThat(closed.reason).startsWith("INVALID_ARGUMENT: setup.generationConfig.responseModalities[0]");
        Closed hosted = raw("/ws/google.cloud.aiplatform.v1.LlmBidiService/BidiGenerateContent", Map.of(),
                "{\"setup\":{\"model\":\"" + MODEL + "\",\"tools\":[{\"googleSearch\":{}}]}}", false);
        assertThat(hosted.code).isEqualTo(1007);
        assertThat(hosted.reason).startsWith("INVALID_ARGUMENT: setup.tools[0].googleSearch");
        Closed unknownTool = raw("/ws/google.cloud.aiplatform.v1.LlmBidiService/BidiGenerateContent", Map.of(),
                "{\"setup\":{\"model\":\"" + MODEL + "\",\"tools\":[{\"functionDeclarations\":[{\"name\":\"no-such-tool\"}]}]}}",
                false);
        assertThat(unknownTool.code).isEqualTo(1007);
        assertThat(unknownTool.reason).contains("no-such-tool");
    }

    @Test
    void rawClientWithTheRealApisTolerances() throws Exception {
        // repeated slashes, a query string, snake_case JSON in a binary frame, no key (development mode)
        List<JsonNode> received = new CopyOnWriteArrayList<>();
        WebSocket ws = connect("//ws//google.ai.generativelanguage.v1alpha.GenerativeService.BidiGenerateContentConstrained?alt=json",
                Map.of(), received);
        ws.writeBinaryMessage(Buffer.buffer("{\"setup\":{\"model\":\"models/" + MODEL
                + "\",\"generation_config\":{\"response_modalities\":[\"TEXT\"]}}}"));
        SdkConversation.poll(Duration.ofSeconds(10), () -> received.stream().anyMatch(j -> j.has("setupComplete")) ? true : null,
                () -> "received " + received);
        ws.writeTextMessage("{\"client_content\":{\"turns\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Hi there\"}]}],"
                + "\"turn_complete\":true}}");
        SdkConversation.poll(Duration.ofSeconds(10), () -> received.stream()
                .anyMatch(j -> j.at("/serverContent/turnComplete").asBoolean()) ? true : null, () -> "received " + received);
        String text = received.stream().map(j -> j.at("/serverContent/modelTurn/parts/0/text").asText(""))
                .collect(Collectors.joining());
        assertThat(text).isEqualTo("You said: \"Hi there\".");
        ws.close().toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
    }

    // ---- resumption

    @Test
    void sdkAudioAcrossAGoAwayAndADropIsConsumedExactlyOnceAndTheHandleResumes() throws Exception {
        LiveConnectConfig config = textConfig().inputAudioTranscription(AudioTranscriptionConfig.builder().build())
                .realtimeInputConfig(RealtimeInputConfig.builder().automaticActivityDetection(
                        AutomaticActivityDetection.builder().disabled(true)))
                .sessionResumption(SessionResumptionConfig.builder().build()).build();
        List<FaultRule> faults = List.of(FaultRule.of(FaultRule.Action.GO_AWAY).goAwaySeconds(2).build(),
                FaultRule.of(FaultRule.Action.DROP).build());
        int turns = faults.size() + 1;
        int sent = 0;
        List<String> expected = new ArrayList<>();
        String liveSession;
        String lastHandle;
        Client client = vertex(KEY, Map.of());
        try (SdkConversation c = new SdkConversation(client, MODEL, config)) {
            liveSession = emulator.recorder().latestSession().orElseThrow().id();
            for (int turn = 0; turn < turns; turn++) {
                int chunks = 30 + 5 * turn;
                expected.add(String.format("heard %.2f seconds of audio", chunks * 0.02));
                c.send(LiveSendRealtimeInputParameters.builder().activityStart(ActivityStart.builder().build()));
                for (int i = 0; i < chunks; i++) {
                    if (i == chunks / 2 && turn < faults.size()) {
                        assertThat(emulator.emulator().injectNow(liveSession, faults.get(turn))).isTrue();
                    }
                    c.send(LiveSendRealtimeInputParameters.builder().audio(Blob.builder()
                            .mimeType("audio/pcm;rate=16000").data(NumberedChunks.chunk(sent++))));
                    Thread.sleep(2);
                }
                c.send(LiveSendRealtimeInputParameters.builder().activityEnd(ActivityEnd.builder().build()));
                c.awaitTurns(turn + 1);
            }
            assertThat(c.received).as("survival is invisible: no goAway reaches the client")
                    .noneMatch(m -> m.goAway().isPresent());
            assertThat(c.inputTranscripts()).isEqualTo(expected);
            assertThat(c.turns()).isEqualTo(turns);
            assertThat(c.handles()).as("the gateway's resume tokens are the handles").isNotEmpty()
                    .noneMatch(h -> h.startsWith("emulator-"));
            lastHandle = c.handles().get(c.handles().size() - 1);
        }
        RecordedSession session = emulator.recorder().session(liveSession).orElseThrow();
        assertThat(session.connections()).hasSizeGreaterThanOrEqualTo(3);
        List<Integer> consumed = new ArrayList<>();
        for (JsonNode message : session.consumedJson()) {
            JsonNode data = message.path("realtimeInput").path("audio").path("data");
            if (data.isTextual()) {
                consumed.add(NumberedChunks.sequenceOf(Base64.getDecoder().decode(data.asText())));
            }
        }
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < sent; i++) {
            all.add(i);
        }
        assertThat(consumed).as("audio chunks consumed by the Live API, exactly once and in order").isEqualTo(all);

        // Another tenant's client cannot take the handle (1008), ...
        Closed foreign = raw("/ws/google.cloud.aiplatform.v1beta1.LlmBidiService/BidiGenerateContent", Map.of(),
                "{\"setup\":{\"model\":\"" + MODEL + "\",\"sessionResumption\":{\"handle\":\"" + lastHandle + "\"}}}",
                false);
        assertThat(foreign.code).isEqualTo(1008);
        assertThat(foreign.reason).startsWith("PERMISSION_DENIED: config.resume_token belongs to another tenant");
        // ... the tenant's new connection with the last handle continues the same Live session.
        LiveConnectConfig resume = textConfig().sessionResumption(SessionResumptionConfig.builder().handle(lastHandle).build())
                .build();
        try (SdkConversation again = new SdkConversation(client, MODEL, resume)) {
            again.say("Are you still there?");
            again.awaitTurns(1);
            assertThat(again.text()).isEqualTo("You said: \"Are you still there?\".");
        }
        assertThat(emulator.recorder().latestSession().orElseThrow().id()).isEqualTo(liveSession);
    }

    // ---- raw WebSocket clients

    record Closed(int code, String reason) {}

    private WebSocket connect(String uri, Map<String, String> headers, List<JsonNode> received) throws Exception {
        WebSocketClient client = vertx.createWebSocketClient();
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("localhost").setPort(base.getPort())
                .setURI(uri);
        headers.forEach(options::addHeader);
        WebSocket ws = client.connect(options).toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
        ws.handler(buffer -> {
            try {
                received.add(dev.livegateway.wire.Wire.mapper().readTree(buffer.getBytes()));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        return ws;
    }

    /** Connects, sends {@code first}, and returns how the gateway closed the connection. */
    private Closed raw(String uri, Map<String, String> headers, String first, boolean binary) throws Exception {
        CompletableFuture<Closed> closed = new CompletableFuture<>();
        WebSocket ws = connect(uri, headers, new CopyOnWriteArrayList<>());
        ws.closeHandler(v -> closed.complete(new Closed(ws.closeStatusCode() == null ? -1 : ws.closeStatusCode(),
                String.valueOf(ws.closeReason()))));
        if (binary) {
            ws.writeBinaryMessage(Buffer.buffer(first));
        } else {
            ws.writeTextMessage(first);
        }
        return closed.get(10, TimeUnit.SECONDS);
    }


    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] all = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }
}
