package dev.livegateway.grpc;

import static dev.livegateway.grpc.ConverseTest.userText;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.livegateway.GatewayStream;
import dev.livegateway.TestAudio;
import dev.livegateway.api.v1.AudioChunk;
import dev.livegateway.api.v1.ClientEvent;
import dev.livegateway.api.v1.ContextTools;
import dev.livegateway.api.v1.ContextUpdate;
import dev.livegateway.api.v1.FunctionCall;
import dev.livegateway.api.v1.FunctionResponse;
import dev.livegateway.api.v1.FunctionResponseScheduling;
import dev.livegateway.api.v1.GenerationConfig;
import dev.livegateway.api.v1.InteractionStatus;
import dev.livegateway.api.v1.Modality;
import dev.livegateway.api.v1.ResumeReason;
import dev.livegateway.api.v1.ServerEvent;
import dev.livegateway.api.v1.ServerEvent.EventCase;
import dev.livegateway.api.v1.SessionConfig;
import dev.livegateway.api.v1.ThinkingConfig;
import dev.livegateway.api.v1.ThinkingLevel;
import dev.livegateway.api.v1.ToolReference;
import dev.livegateway.api.v1.ToolResponse;
import dev.livegateway.emulator.EmbeddedEmulator;
import dev.livegateway.emulator.FaultRule;
import dev.livegateway.emulator.RecordedSession;
import io.grpc.Status;
import io.restassured.http.ContentType;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The Gemini 3.x Live models through the real gRPC port against the emulator: the capability
 * table's refusals before any Live API connection, extended thinking at each level, NON_BLOCKING
 * calls answered while audio streams with each scheduling, goAway handovers during background
 * reasoning and during a pending NON_BLOCKING call, a context update that swaps tools, labels.
 */
@QuarkusTest
class GeminiLiveModelsTest {

    private static final String EXTENDED = "gemini-3.8-live-extended-thinking";
    private static final String LIVE_38 = "gemini-3.8-live";
    private static final AtomicInteger NAMES = new AtomicInteger();
    private static final Duration LONG = Duration.ofSeconds(20);

    @TestHTTPResource("/")
    URL base;

    @Inject
    EmbeddedEmulator emulator;

    // ---- helpers --------------------------------------------------------------------------------

    /** Creates a registry tool with one function (behaviour unset: the model's default) and returns its name. */
    private static String tool(String function) {
        return tool(function, null);
    }

    /** Creates a registry tool with one function of the given behaviour (null: unset) and returns its name. */
    private static String tool(String function, String behavior) {
        String name = "models-test-" + function.replace('_', '-') + "-" + NAMES.incrementAndGet();
        given().contentType(ContentType.JSON)
                .body("{\"name\":\"" + name + "\",\"description\":\"test\",\"functions\":[{\"name\":\"" + function
                        + "\",\"description\":\"" + function + "\""
                        + (behavior == null ? "" : ",\"behavior\":\"" + behavior + "\"") + "}]}")
                .post("/v1/tools").then().statusCode(201);
        return name;
    }

    private static SessionConfig.Builder config(String model, String... tools) {
        SessionConfig.Builder b = SessionConfig.newBuilder().setModel(model).setResponseModality(Modality.MODALITY_TEXT);
        for (String t : tools) {
            b.addTools(ToolReference.newBuilder().setName(t));
        }
        return b;
    }

    private static SessionConfig.Builder thinking(SessionConfig.Builder b, ThinkingConfig.Builder t) {
        return b.setGeneration(GenerationConfig.newBuilder().setThinking(t));
    }

    private static ClientEvent silence() {
        return ClientEvent.newBuilder().setAudio(AudioChunk.newBuilder()
                .setData(ByteString.copyFrom(TestAudio.silence(16000, 20))).setSampleRateHz(16000)).build();
    }

    private static ClientEvent response(FunctionCall call, FunctionResponseScheduling scheduling) {
        return ClientEvent.newBuilder().setToolResponse(ToolResponse.newBuilder().addFunctionResponses(
                FunctionResponse.newBuilder().setId(call.getId()).setName(call.getName()).setScheduling(scheduling)
                        .setResponse(Struct.newBuilder().putFields("status", Value.newBuilder().setStringValue("shipped").build()))))
                .build();
    }

    private static List<String> texts(GatewayStream stream, boolean thought) {
        return stream.events().stream().filter(e -> e.getEventCase() == EventCase.TEXT && e.getText().getThought() == thought)
                .map(e -> e.getText().getText()).toList();
    }

    private static long count(GatewayStream stream, Predicate<ServerEvent> p) {
        return stream.events().stream().filter(p).count();
    }

    private static Predicate<ServerEvent> status(InteractionStatus s) {
        return e -> e.getEventCase() == EventCase.INTERACTION_STATUS && e.getInteractionStatus().getStatus() == s;
    }

    private static int indexOf(GatewayStream stream, Predicate<ServerEvent> p) {
        List<ServerEvent> events = stream.events();
        for (int i = 0; i < events.size(); i++) {
            if (p.test(events.get(i))) {
                return i;
            }
        }
        return -1;
    }

    /** Streams 20 ms of silence every few ms until {@code done} holds, reading events meanwhile. */
    private static int streamAudioUntil(GatewayStream stream, Predicate<ServerEvent> done, String what) throws InterruptedException {
        int sent = 0;
        long deadline = System.nanoTime() + LONG.toNanos();
        while (System.nanoTime() < deadline) {
            if (stream.events().stream().anyMatch(done)) {
                return sent;
            }
            if (stream.ready()) {
                stream.send(silence());
                sent++;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no " + what + " while streaming audio; events: " + stream.kinds());
    }

    /** Waits until the events seen so far satisfy {@code done} (never loses events to a racing await). */
    private static void waitFor(GatewayStream stream, Predicate<List<ServerEvent>> done, String what) throws InterruptedException {
        long deadline = System.nanoTime() + LONG.toNanos();
        while (System.nanoTime() < deadline) {
            if (done.test(stream.events())) {
                return;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no " + what + "; events: " + stream.kinds());
    }

    private int upstreamConnections() {
        return emulator.recorder().connections().size();
    }

    private void assertRefusedBeforeConnecting(SessionConfig config, String... messageParts) {
        int before = upstreamConnections();
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            stream.config(config);
            Status status = stream.assertEndsWith(Status.Code.INVALID_ARGUMENT, null);
            assertThat(status.getDescription()).contains(messageParts);
            assertThat(stream.kinds()).doesNotContain(EventCase.SESSION_STARTED);
        }
        assertThat(upstreamConnections()).as("Live API connections opened").isEqualTo(before);
    }

    // ---- item 3: every refusal of the capability table, before any connection --------------------

    @Test
    void thinkingOnAModelThatRefusesItIsInvalidArgument() {
        assertRefusedBeforeConnecting(thinking(config("gemini-3.1-flash-live-preview"),
                        ThinkingConfig.newBuilder().setThinkingLevel(ThinkingLevel.THINKING_LEVEL_MINIMAL)).build(),
                "config.generation.thinking:", "generationConfig.thinkingConfig", "gemini-3.1-flash-live-preview");
        assertRefusedBeforeConnecting(thinking(config(LIVE_38),
                        ThinkingConfig.newBuilder().setThinkingLevel(ThinkingLevel.THINKING_LEVEL_LOW)).build(),
                "generationConfig.thinkingConfig", LIVE_38);
    }

    @Test
    void extendedThinkingWithoutALevelIsInvalidArgument() {
        assertRefusedBeforeConnecting(config(EXTENDED).build(),
                "config.generation.thinking.thinking_level: is required", "generationConfig.thinkingConfig.thinkingLevel",
                "LOW, MEDIUM, HIGH", EXTENDED);
        assertRefusedBeforeConnecting(thinking(config(EXTENDED), ThinkingConfig.newBuilder().setIncludeThoughts(true)).build(),
                "generationConfig.thinkingConfig.thinkingLevel", EXTENDED);
    }

    @Test
    void levelAndBudgetTogetherAreInvalidArgument() {
        assertRefusedBeforeConnecting(thinking(config(EXTENDED), ThinkingConfig.newBuilder()
                        .setThinkingLevel(ThinkingLevel.THINKING_LEVEL_HIGH).setThinkingBudget(1024)).build(),
                "generationConfig.thinkingConfig", "mutually exclusive", EXTENDED);
    }

    @Test
    void aLevelTheModelDoesNotOfferIsInvalidArgument() {
        assertRefusedBeforeConnecting(thinking(config(EXTENDED),
                        ThinkingConfig.newBuilder().setThinkingLevel(ThinkingLevel.THINKING_LEVEL_MINIMAL)).build(),
                "generationConfig.thinkingConfig.thinkingLevel", "MINIMAL is not supported", EXTENDED);
    }

    @Test
    void blockingFunctionWhereOnlyNonBlockingIsSupportedIsInvalidArgument() {
        // light-switch (deploy/tools) declares its functions BLOCKING.
        assertRefusedBeforeConnecting(thinking(config(EXTENDED, "light-switch"),
                        ThinkingConfig.newBuilder().setThinkingLevel(ThinkingLevel.THINKING_LEVEL_LOW)).build(),
                "tools[0].functionDeclarations[0].behavior", "turn_on_the_lights is BLOCKING", "only NON_BLOCKING", EXTENDED);
        // and NON_BLOCKING where only BLOCKING is supported (3.1 Flash Live: synchronous calls only)
        String tool = tool("check_order", "NON_BLOCKING");
        assertRefusedBeforeConnecting(config("gemini-3.1-flash-live-preview", tool).build(), "behavior",
                "check_order is NON_BLOCKING", "only BLOCKING", "gemini-3.1-flash-live-preview");
        // A function without a behaviour takes the model's default: BLOCKING on 3.1, NON_BLOCKING on the
        // extended-thinking model; both accept it.
        String plain = tool("check_order");
        for (SessionConfig accepted : List.of(config("gemini-3.1-flash-live-preview", plain).build(),
                thinking(config(EXTENDED, plain), ThinkingConfig.newBuilder().setThinkingLevel(ThinkingLevel.THINKING_LEVEL_LOW)).build())) {
            try (GatewayStream stream = GatewayStream.open(base.getPort())) {
                stream.config(accepted);
                stream.await(EventCase.SESSION_STARTED);
            }
        }
    }

    @Test
    void affectiveDialogOnA3xModelIsInvalidArgument() {
        assertRefusedBeforeConnecting(config(LIVE_38).setAffectiveDialog(true).build(),
                "config.affective_dialog", "generationConfig.enableAffectiveDialog", LIVE_38);
    }

    // ---- extended thinking at each level ----------------------------------------------------------

    @Test
    void extendedThinkingAtEachLevelThoughtsWhenAskedAndHalfCloseWaitsForIdle() {
        ThinkingLevel[] levels = {ThinkingLevel.THINKING_LEVEL_LOW, ThinkingLevel.THINKING_LEVEL_MEDIUM,
            ThinkingLevel.THINKING_LEVEL_HIGH};
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i].name().substring("THINKING_LEVEL_".length());
            int effort = i + 1;
            try (GatewayStream stream = GatewayStream.open(base.getPort())) {
                stream.config(thinking(config(EXTENDED), ThinkingConfig.newBuilder().setThinkingLevel(levels[i])
                        .setIncludeThoughts(true)).build());
                stream.await(EventCase.SESSION_STARTED);
                stream.send(userText("Plan a trip to Lisbon"));
                stream.await(EventCase.TURN_COMPLETE);
                // Half-close right after turnComplete: the model still works in the background, and
                // the gateway waits for it (interactionStatus IDLE) before it ends the stream.
                stream.halfClose();
                assertThat(stream.awaitEnd().getCode()).isEqualTo(Status.Code.OK);
                assertThat(texts(stream, true)).as(level).hasSize(effort + 1).allMatch(t -> t.contains(level));
                assertThat(String.join("", texts(stream, false))).isEqualTo("You said: \"Plan a trip to Lisbon\"."
                        + "Having thought it over at " + level + ": \"Plan a trip to Lisbon\" needs nothing more.");
                assertThat(count(stream, e -> e.getEventCase() == EventCase.TURN_COMPLETE)).isEqualTo(2);
                int inProgress = indexOf(stream, status(InteractionStatus.INTERACTION_STATUS_IN_PROGRESS));
                int idle = indexOf(stream, status(InteractionStatus.INTERACTION_STATUS_IDLE));
                assertThat(inProgress).isNotNegative().isLessThan(idle);
                assertThat(stream.events().stream().filter(e -> e.getEventCase() == EventCase.USAGE)
                        .mapToInt(e -> e.getUsage().getThoughtsTokenCount()).sum()).isPositive();
            }
        }
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            stream.config(thinking(config(EXTENDED), ThinkingConfig.newBuilder()
                    .setThinkingLevel(ThinkingLevel.THINKING_LEVEL_HIGH)).build());
            stream.send(userText("Quietly"));
            stream.await(status(InteractionStatus.INTERACTION_STATUS_IDLE), "IDLE", LONG);
            assertThat(texts(stream, true)).as("no thoughts unless asked").isEmpty();
        }
    }

    // ---- NON_BLOCKING calls while audio streams ---------------------------------------------------

    /** A long question, so the model's reply (and its NON_BLOCKING call) is still streaming when the result comes. */
    private static final String ASK = "Please check the order number forty two for me and while you do that tell me "
            + "everything you know about how long parcels usually take to arrive from one city to another city in "
            + "winter and in summer and whether weekends make any difference at all";

    @Test
    void nonBlockingCallAnsweredWhileAudioStreamsWithEachScheduling() throws Exception {
        String tool = tool("check_order");
        for (FunctionResponseScheduling scheduling : List.of(FunctionResponseScheduling.FUNCTION_RESPONSE_SCHEDULING_WHEN_IDLE,
                FunctionResponseScheduling.FUNCTION_RESPONSE_SCHEDULING_INTERRUPT,
                FunctionResponseScheduling.FUNCTION_RESPONSE_SCHEDULING_SILENT)) {
            try (GatewayStream stream = GatewayStream.open(base.getPort())) {
                stream.config(config(LIVE_38, tool).build());
                String live = stream.await(EventCase.SESSION_STARTED).getSessionStarted().getUpstreamSessionId();
                stream.send(userText(ASK));
                int audio = streamAudioUntil(stream, e -> e.getEventCase() == EventCase.TOOL_CALL, "tool call");
                FunctionCall call = stream.events().stream().filter(e -> e.getEventCase() == EventCase.TOOL_CALL)
                        .findFirst().orElseThrow().getToolCall().getFunctionCalls(0);
                stream.send(response(call, scheduling));
                String answer = "check_order returned {\"status\":\"shipped\"}.";
                if (scheduling == FunctionResponseScheduling.FUNCTION_RESPONSE_SCHEDULING_SILENT) {
                    audio += streamAudioUntil(stream, e -> e.getEventCase() == EventCase.TURN_COMPLETE, "turn complete");
                    stream.send(userText("thanks"));
                    audio += streamAudioUntil(stream, e -> e.getEventCase() == EventCase.TEXT
                            && e.getText().getText().contains("thanks"), "next answer");
                    assertThat(stream.text()).as("SILENT: taken in, not answered").doesNotContain("check_order returned");
                } else {
                    audio += streamAudioUntil(stream, e -> stream.text().endsWith(answer), "the answer to the result");
                    assertThat(stream.text()).endsWith(answer);
                    boolean interrupted = stream.kinds().contains(EventCase.INTERRUPTED);
                    if (scheduling == FunctionResponseScheduling.FUNCTION_RESPONSE_SCHEDULING_INTERRUPT) {
                        assertThat(interrupted).as("INTERRUPT stops the reply in flight").isTrue();
                        assertThat(stream.text()).doesNotContain("Started check_order.");
                    } else {
                        assertThat(interrupted).as("WHEN_IDLE waits for the reply to end").isFalse();
                        assertThat(stream.text()).contains("Started check_order." + answer);
                    }
                }
                stream.halfClose();
                assertThat(stream.awaitEnd().getCode()).isEqualTo(Status.Code.OK);
                RecordedSession session = emulator.recorder().session(live).orElseThrow();
                List<JsonNode> consumed = session.consumedJson();
                assertThat(consumed.stream().filter(j -> j.has("toolResponse"))).singleElement()
                        .satisfies(j -> assertThat(j.at("/toolResponse/functionResponses/0/scheduling").asText())
                                .isEqualTo(scheduling.name().substring("FUNCTION_RESPONSE_SCHEDULING_".length())));
                assertThat(consumed.stream().filter(j -> j.has("realtimeInput") && j.get("realtimeInput").has("audio")).count())
                        .as("audio chunks, none lost while the call was pending").isEqualTo(audio);
            }
        }
    }

    // ---- goAway handovers ------------------------------------------------------------------------

    @Test
    void goAwayDuringAPendingNonBlockingCallMovesAndTheResponseArrivesOnce() throws Exception {
        String tool = tool("check_order");
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            stream.config(config(LIVE_38, tool).build());
            String live = stream.await(EventCase.SESSION_STARTED).getSessionStarted().getUpstreamSessionId();
            stream.send(userText("Please check the order"));
            FunctionCall call = stream.await(EventCase.TOOL_CALL).getToolCall().getFunctionCalls(0);
            stream.await(EventCase.TURN_COMPLETE);
            // The next connection's setupComplete is held back, so the caller's result arrives during the move.
            emulator.faults().add(FaultRule.of(FaultRule.Action.DELAY_SETUP).delayMs(500).forLiveSession(live)
                    .forNextConnections(1).build());
            Thread.sleep(100); // the resumption update after turnComplete
            assertThat(emulator.emulator().injectNow(live, FaultRule.of(FaultRule.Action.GO_AWAY).goAwaySeconds(5).build()))
                    .isTrue();
            int audio = streamAudioUntil(stream, e -> e.getEventCase() == EventCase.GOING_AWAY, "going away");
            stream.send(response(call, FunctionResponseScheduling.FUNCTION_RESPONSE_SCHEDULING_WHEN_IDLE));
            audio += streamAudioUntil(stream, e -> e.getEventCase() == EventCase.SESSION_RESUMED, "the move");
            audio += streamAudioUntil(stream, e -> stream.text().endsWith("check_order returned {\"status\":\"shipped\"}."),
                    "the answer to the result");
            ServerEvent resumed = stream.events().stream().filter(e -> e.getEventCase() == EventCase.SESSION_RESUMED)
                    .findFirst().orElseThrow();
            assertThat(resumed.getSessionResumed().getReason()).as("the pending NON_BLOCKING call did not hold the handover")
                    .isEqualTo(ResumeReason.RESUME_REASON_GO_AWAY);
            Thread.sleep(200);
            assertThat(count(stream, e -> e.getEventCase() == EventCase.TEXT && e.getText().getText().contains("returned")))
                    .as("answered once").isEqualTo(1);
            assertThat(count(stream, e -> e.getEventCase() == EventCase.TOOL_CALL)).as("never called again").isEqualTo(1);
            stream.halfClose();
            assertThat(stream.awaitEnd().getCode()).isEqualTo(Status.Code.OK);
            RecordedSession session = emulator.recorder().session(live).orElseThrow();
            assertThat(session.connections()).hasSize(2);
            assertThat(session.issuedFunctionCalls()).containsExactly(call.getId());
            assertThat(session.consumedJson().stream().filter(j -> j.has("toolResponse")))
                    .as("the result consumed exactly once by the Live session").hasSize(1);
            assertThat(session.consumedJson().stream().filter(j -> j.has("realtimeInput") && j.get("realtimeInput").has("audio"))
                    .count()).as("audio chunks, each consumed once").isEqualTo(audio);
        }
    }

    @Test
    void goAwayDuringBackgroundReasoningWaitsForIdleThenMovesWithNothingLostOrRepeated() throws Exception {
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            stream.config(thinking(config(EXTENDED), ThinkingConfig.newBuilder()
                    .setThinkingLevel(ThinkingLevel.THINKING_LEVEL_HIGH)).build());
            String live = stream.await(EventCase.SESSION_STARTED).getSessionStarted().getUpstreamSessionId();
            stream.send(userText("Plan a trip to Porto"));
            stream.await(EventCase.TURN_COMPLETE);
            assertThat(emulator.emulator().injectNow(live, FaultRule.of(FaultRule.Action.GO_AWAY).goAwaySeconds(5).build()))
                    .isTrue();
            stream.await(EventCase.GOING_AWAY);
            stream.await(EventCase.SESSION_RESUMED);
            int idle = indexOf(stream, status(InteractionStatus.INTERACTION_STATUS_IDLE));
            int resumed = indexOf(stream, e -> e.getEventCase() == EventCase.SESSION_RESUMED);
            assertThat(idle).as("the handover waited for the background work").isNotNegative().isLessThan(resumed);
            assertThat(stream.events().get(resumed).getSessionResumed().getReason()).isEqualTo(ResumeReason.RESUME_REASON_GO_AWAY);
            String conclusion = "Having thought it over at HIGH: \"Plan a trip to Porto\" needs nothing more.";
            assertThat(stream.text()).isEqualTo("You said: \"Plan a trip to Porto\"." + conclusion);

            stream.send(userText("And then Madrid"));
            waitFor(stream, events -> events.stream().filter(status(InteractionStatus.INTERACTION_STATUS_IDLE)).count() == 2,
                    "the second IDLE");
            assertThat(stream.text()).isEqualTo("You said: \"Plan a trip to Porto\"." + conclusion
                    + "You said: \"And then Madrid\".Having thought it over at HIGH: \"And then Madrid\" needs nothing more.");
            stream.halfClose();
            assertThat(stream.awaitEnd().getCode()).isEqualTo(Status.Code.OK);
            RecordedSession session = emulator.recorder().session(live).orElseThrow();
            assertThat(session.connections()).hasSize(2);
            assertThat(session.consumedJson()).as("each turn consumed once").hasSize(2);
        }
    }

    // ---- a context update swaps the tools -----------------------------------------------------------

    @Test
    void contextUpdateSwapsToolsMidConversation() {
        String orders = tool("check_order");
        String tables = tool("book_table");
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            stream.config(config(LIVE_38, orders).build());
            String live = stream.await(EventCase.SESSION_STARTED).getSessionStarted().getUpstreamSessionId();
            stream.send(userText("check the order and book a table"));
            assertThat(stream.await(EventCase.TOOL_CALL).getToolCall().getFunctionCalls(0).getName()).isEqualTo("check_order");
            stream.await(EventCase.TURN_COMPLETE);
            stream.send(ClientEvent.newBuilder().setContextUpdate(ContextUpdate.newBuilder()
                    .setSystemInstruction("You book tables now.")
                    .setTools(ContextTools.newBuilder().addTools(ToolReference.newBuilder().setName(tables)))).build());
            stream.send(userText("check the order and book a table again"));
            stream.await(e -> e.getEventCase() == EventCase.TOOL_CALL
                    && e.getToolCall().getFunctionCalls(0).getName().equals("book_table"), "book_table", LONG);
            stream.halfClose();
            assertThat(stream.awaitEnd().getCode()).isEqualTo(Status.Code.OK);
            List<String> called = stream.events().stream().filter(e -> e.getEventCase() == EventCase.TOOL_CALL)
                    .flatMap(e -> e.getToolCall().getFunctionCallsList().stream()).map(FunctionCall::getName).toList();
            assertThat(called).containsExactly("check_order", "book_table");
            JsonNode update = emulator.recorder().session(live).orElseThrow().consumedJson().stream()
                    .filter(j -> j.has("contextUpdate")).findFirst().orElseThrow();
            assertThat(update.at("/contextUpdate/tools/tools/0/functionDeclarations/0/name").asText()).isEqualTo("book_table");
        }
        // The model's rules hold for tools swapped in: BLOCKING on the NON_BLOCKING-only model.
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            stream.config(thinking(config(EXTENDED), ThinkingConfig.newBuilder()
                    .setThinkingLevel(ThinkingLevel.THINKING_LEVEL_LOW)).build());
            stream.await(EventCase.SESSION_STARTED);
            stream.send(ClientEvent.newBuilder().setContextUpdate(ContextUpdate.newBuilder()
                    .setTools(ContextTools.newBuilder().addTools(ToolReference.newBuilder().setName("light-switch")))).build());
            stream.assertEndsWith(Status.Code.INVALID_ARGUMENT, "context_update.tools[0].functionDeclarations[0].behavior");
        }
    }

    // ---- labels ------------------------------------------------------------------------------------

    @Test
    void theGatewayLabelsEverySessionAndCallersOnlyAddWhatTheyMay() {
        String tool = tool("check_order");
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            stream.config(config(LIVE_38, tool).putLabels("cost_center", "cc-4711").build());
            String live = stream.await(EventCase.SESSION_STARTED).getSessionStarted().getUpstreamSessionId();
            JsonNode labels = emulator.recorder().session(live).orElseThrow().firstConnection().setupJson().get("labels");
            assertThat(labels.get("tenant").asText()).isEqualTo("default");
            assertThat(labels.get(("tool-" + tool).substring(0, Math.min(63, ("tool-" + tool).length()))).asText()).isEqualTo("1");
            assertThat(labels.get("cost_center").asText()).isEqualTo("cc-4711");
            assertThat(labels.size()).isEqualTo(3);
        }
        assertRefusedBeforeConnecting(config(LIVE_38).putLabels("tenant", "someone-else").build(),
                "config.labels[tenant]", "the gateway sets");
        assertRefusedBeforeConnecting(config(LIVE_38).putLabels("team", "a").build(),
                "config.labels[team]", "cost_center, cost-center");
    }
}
