package dev.livegateway.grpc;

import static dev.livegateway.grpc.ConverseTest.textConfig;
import static dev.livegateway.grpc.ConverseTest.userText;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.livegateway.GatewayStream;
import dev.livegateway.TestAudio;
import dev.livegateway.api.v1.AudioChunk;
import dev.livegateway.api.v1.ClientEvent;
import dev.livegateway.api.v1.FunctionCall;
import dev.livegateway.api.v1.FunctionResponse;
import dev.livegateway.api.v1.GatewayToolFinished;
import dev.livegateway.api.v1.GatewayToolOutcome;
import dev.livegateway.api.v1.GatewayToolStarted;
import dev.livegateway.api.v1.ResolvedTool;
import dev.livegateway.api.v1.ServerEvent;
import dev.livegateway.api.v1.ServerEvent.EventCase;
import dev.livegateway.api.v1.SessionConfig;
import dev.livegateway.api.v1.ToolReference;
import dev.livegateway.api.v1.ToolResponse;
import dev.livegateway.api.v1.ToolRunner;
import dev.livegateway.emulator.EmbeddedEmulator;
import dev.livegateway.emulator.FaultRule;
import dev.livegateway.emulator.RecordedSession;
import dev.livegateway.testing.McpTestServer;
import dev.livegateway.testing.ToolEndpointServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Tools the gateway runs itself (issue 18), through the real gRPC port against the emulator, with a
 * real HTTP server ({@link ToolEndpointServer}) and a real MCP server (the MCP SDK's server side
 * on streamable HTTP, {@link McpTestServer}) started by the test. For each case: what the model
 * receives (the emulator's record) and what the caller receives (the informational events).
 * {@link ResilienceProfile}: turn budget 3 s, tool-response timeout 4 s, secrets read from
 * {@code target/test-tool-secrets}, tracing to memory. Every log line of the application is
 * captured: the last test checks that no secret and no argument value is in them.
 */
@QuarkusTest
@TestProfile(ResilienceProfile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewayToolRunTest {

    private static final String ORDERS_SECRET = "s3cr3t-orders-token-42";
    private static final String KB_SECRET = "kb-secret-77-do-not-log";
    private static final List<String> LOG_LINES = new CopyOnWriteArrayList<>();
    private static final Handler CAPTURE = new Handler() {
        @Override
        public void publish(LogRecord record) {
            String message = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
            LOG_LINES.add(record.getLoggerName() + " " + message
                    + (record.getThrown() == null ? "" : " " + record.getThrown()));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    private static ToolEndpointServer endpoints;
    private static McpTestServer mcp;

    @TestHTTPResource("/")
    URL base;

    @Inject
    EmbeddedEmulator emulator;

    @Inject
    MeterRegistry meters;

    @Inject
    InMemorySpanExporter spans;

    @BeforeAll
    static void startServers() throws Exception {
        endpoints = new ToolEndpointServer();
        mcp = new McpTestServer();
        Path secrets = Path.of("target/test-tool-secrets");
        Files.createDirectories(secrets);
        Files.writeString(secrets.resolve("TOOL_SECRET_ORDERS"), ORDERS_SECRET + "\n");
        Files.writeString(secrets.resolve("TOOL_SECRET_KB"), KB_SECRET);
        Logger.getLogger("").addHandler(CAPTURE);
    }

    @AfterAll
    static void stopServers() throws Exception {
        Logger.getLogger("").removeHandler(CAPTURE);
        endpoints.close();
        mcp.close();
    }

    // ---- the registry entries, created through the REST API -------------------------------------

    private static void tool(String json) {
        int status = given().contentType("application/json").body(json.replace('\'', '"')).post("/v1/tools")
                .then().extract().statusCode();
        assertThat(status).as(json).isIn(201, 409);
    }

    private static String http(String name, String function, String behavior, String path, String policy) {
        return "{'name':'" + name + "','http':{'function':{'name':'" + function + "','description':'test function',"
                + "'parameters':{'type':'OBJECT','properties':{'order_id':{'type':'STRING'}}},'behavior':'" + behavior
                + "'},'url':'" + endpoints.base() + path + "',"
                + "'headers':{'Authorization':'Bearer ${secret:TOOL_SECRET_ORDERS}'},'policy':" + policy + "}}";
    }

    private static void httpTools() {
        tool(http("orders-http", "lookup_order", "BLOCKING", "/orders/{order_id}", "{'timeout':'2s'}"));
        tool(http("weather-http", "check_weather", "NON_BLOCKING", "/flaky",
                "{'retries':2,'retryDelay':'200ms','scheduling':'WHEN_IDLE'}"));
        tool(http("slow-http", "slow_report", "BLOCKING", "/slow", "{'timeout':'500ms'}"));
        tool(http("down-http", "broken_service", "BLOCKING", "/down", "{'retries':1,'retryDelay':'10ms',"
                + "'circuitBreaker':{'requestVolume':2,'failureRatio':1.0,'delay':'30s','successThreshold':1}}"));
        tool(http("big-http", "fetch_catalog", "BLOCKING", "/big", "{'maxResponseBytes':1024}"));
        tool(http("hang-http", "long_search", "BLOCKING", "/slow", "{'timeout':'2800ms'}"));
        tool(http("invoice-http", "prepare_invoice", "NON_BLOCKING", "/slow", "{'timeout':'2800ms'}"));
    }

    private static SessionConfig withTools(String... names) {
        SessionConfig.Builder config = textConfig().toBuilder();
        for (String name : names) {
            config.addTools(ToolReference.newBuilder().setName(name));
        }
        return config.build();
    }

    private static GatewayToolFinished finished(GatewayStream stream) {
        return stream.await(EventCase.GATEWAY_TOOL_FINISHED).getGatewayToolFinished();
    }

    private List<JsonNode> toolResponses(String liveSession, String id) {
        RecordedSession session = emulator.recorder().session(liveSession).orElseThrow();
        return session.consumedJson().stream().filter(j -> j.has("toolResponse"))
                .filter(j -> j.at("/toolResponse/functionResponses/0/id").asText().equals(id)).toList();
    }

    // ---- the cases ------------------------------------------------------------------------------

    @Test
    @Order(1)
    void aGatewayRunCallRoundTripsWithTheCallerSeeingTheInformationalEvents() {
        httpTools();
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            stream.config(withTools("orders-http"));
            var started = stream.await(EventCase.SESSION_STARTED).getSessionStarted();
            assertThat(started.getToolsList()).extracting(ResolvedTool::getRunner).containsExactly(ToolRunner.TOOL_RUNNER_GATEWAY);
            stream.send(userText("Please lookup the order"));

            GatewayToolStarted call = stream.await(EventCase.GATEWAY_TOOL_STARTED).getGatewayToolStarted();
            assertThat(call.getName()).isEqualTo("lookup_order");
            assertThat(call.getTool()).isEqualTo("orders-http");
            assertThat(call.getArgs().getFieldsMap().get("order_id").getStringValue()).isEqualTo("sample order_id");
            GatewayToolFinished done = finished(stream);
            assertThat(done.getId()).isEqualTo(call.getId());
            assertThat(done.getOutcome()).isEqualTo(GatewayToolOutcome.GATEWAY_TOOL_OUTCOME_OK);
            assertThat(done.getResponse().getFieldsMap().get("result").getStructValue().getFieldsMap().get("status")
                    .getStringValue()).isEqualTo("shipped");
            assertThat(done.getAttempts()).isEqualTo(1);
            stream.await(EventCase.TURN_COMPLETE);

            assertThat(stream.kinds()).as("the caller is never asked to run it").doesNotContain(EventCase.TOOL_CALL)
                    .containsSubsequence(EventCase.GATEWAY_TOOL_STARTED, EventCase.GATEWAY_TOOL_FINISHED, EventCase.TURN_COMPLETE);
            assertThat(stream.text()).contains("lookup_order returned", "shipped");
            List<JsonNode> answered = toolResponses(started.getUpstreamSessionId(), call.getId());
            assertThat(answered).as("the model got the response once").hasSize(1);
            assertThat(answered.get(0).at("/toolResponse/functionResponses/0/response/result/order").asText())
                    .isEqualTo("sample order_id");
            ToolEndpointServer.Seen seen = endpoints.seen().stream().filter(s -> s.path().startsWith("/orders/"))
                    .findFirst().orElseThrow();
            assertThat(seen.path()).isEqualTo("/orders/sample order_id");
            assertThat(seen.authorization()).as("the secret reached the endpoint only").isEqualTo("Bearer " + ORDERS_SECRET);
            RecordedSession session = emulator.recorder().session(started.getUpstreamSessionId()).orElseThrow();
            assertThat(session.firstConnection().setupJson().toString()).doesNotContain(ORDERS_SECRET, "TOOL_SECRET")
                    .contains("lookup_order");
        }
        assertThat(meters.find("live_gateway_tool_runs").tag("tool", "orders-http").tag("outcome", "ok").counter())
                .isNotNull().extracting(c -> c.count()).isEqualTo(1.0);
        assertThat(meters.find("live_gateway_tool_run_duration").tag("tool", "orders-http").timer().count()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            SpanData span = spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals("live-gateway.tool-call")
                    && "lookup_order".equals(s.getAttributes().asMap().entrySet().stream()
                            .filter(e -> e.getKey().getKey().equals("live_gateway.function")).map(e -> e.getValue())
                            .findFirst().orElse(null))).findFirst().orElseThrow(() -> new AssertionError(
                            "no tool-call span among " + spans.getFinishedSpanItems().stream().map(SpanData::getName).toList()));
            SpanData session = spans.getFinishedSpanItems().stream()
                    .filter(s -> s.getSpanId().equals(span.getParentSpanId())).findFirst()
                    // an AssertionError, so that Awaitility waits: the session's span ends after the stream did
                    .orElseThrow(() -> new AssertionError("the session's span has not ended yet"));
            assertThat(session.getName()).as("the call's span is in the session's trace").isEqualTo("live-gateway.session");
        });
    }

    @Test
    @Order(2)
    void callerRunAndGatewayRunCallsMixInOneTurn() {
        httpTools();
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            stream.config(withTools("orders-http", "light-switch"));
            String live = stream.await(EventCase.SESSION_STARTED).getSessionStarted().getUpstreamSessionId();
            stream.send(userText("Please lookup the order and turn on the lights"));

            FunctionCall callers = stream.await(EventCase.TOOL_CALL).getToolCall().getFunctionCalls(0);
            assertThat(stream.events().stream().filter(ServerEvent::hasToolCall).flatMap(e -> e.getToolCall()
                    .getFunctionCallsList().stream()).map(FunctionCall::getName)).as("the caller sees only its own call")
                    .containsExactly("turn_on_the_lights");
            GatewayToolFinished gateway = finished(stream);
            assertThat(gateway.getName()).isEqualTo("lookup_order");
            stream.send(ClientEvent.newBuilder().setToolResponse(ToolResponse.newBuilder().addFunctionResponses(
                    FunctionResponse.newBuilder().setId(callers.getId()).setName(callers.getName()).setResponse(Struct
                            .newBuilder().putFields("result", Value.newBuilder().setStringValue("lights on").build()))))
                    .build());
            stream.await(EventCase.TURN_COMPLETE);
            assertThat(toolResponses(live, callers.getId())).hasSize(1);
            assertThat(toolResponses(live, gateway.getId())).hasSize(1);
            assertThat(emulator.recorder().session(live).orElseThrow().issuedFunctionCalls())
                    .containsExactlyInAnyOrder(callers.getId(), gateway.getId());
            assertThat(stream.text()).contains("turn_on_the_lights returned");
        }
    }

    @Test
    @Order(3)
    void aNonBlockingCallRetriedAfter5xxIsAnsweredWhileAudioStreams() throws Exception {
        httpTools();
        endpoints.failFlaky(2);
        int before = endpoints.count("/flaky");
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            stream.config(withTools("weather-http"));
            String live = stream.await(EventCase.SESSION_STARTED).getSessionStarted().getUpstreamSessionId();
            stream.send(userText("Please check the weather"));
            GatewayToolStarted call = stream.await(EventCase.GATEWAY_TOOL_STARTED).getGatewayToolStarted();
            assertThat(call.getNonBlocking()).isTrue();
            byte[] quiet = TestAudio.silence(16000, 20);
            for (int i = 0; i < 60; i++) { // 1.2 s of audio while the call runs and retries (~0.6 s)
                stream.send(ClientEvent.newBuilder().setAudio(AudioChunk.newBuilder().setData(ByteString.copyFrom(quiet))
                        .setSampleRateHz(16000)).build());
                Thread.sleep(20);
            }
            GatewayToolFinished done = finished(stream);
            assertThat(done.getOutcome()).isEqualTo(GatewayToolOutcome.GATEWAY_TOOL_OUTCOME_OK);
            assertThat(done.getAttempts()).as("two 503s retried, then the answer").isEqualTo(3);
            assertThat(endpoints.count("/flaky") - before).isEqualTo(3);
            stream.await(e -> e.hasText() && e.getText().getText().contains("sunny"), "the model using the result",
                    Duration.ofSeconds(10));
            List<JsonNode> consumed = emulator.recorder().session(live).orElseThrow().consumedJson();
            int response = -1;
            int audioBefore = 0;
            int audioAfter = 0;
            for (int i = 0; i < consumed.size(); i++) {
                if (consumed.get(i).has("toolResponse")) {
                    response = i;
                } else if (consumed.get(i).has("realtimeInput")) {
                    if (response < 0) {
                        audioBefore++;
                    } else {
                        audioAfter++;
                    }
                }
            }
            assertThat(response).as("the response reached the model").isPositive();
            assertThat(audioBefore).as("audio flowed while the call ran").isGreaterThanOrEqualTo(3);
            assertThat(audioAfter).as("the response went in between the audio").isGreaterThanOrEqualTo(3);
            assertThat(consumed.get(response).at("/toolResponse/functionResponses/0/scheduling").asText())
                    .isEqualTo("WHEN_IDLE");
        }
    }

    @Test
    @Order(4)
    void aCallOverItsTimeoutGivesTheModelATimeoutError() {
        httpTools();
        endpoints.slowMillis(2_000);
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            stream.config(withTools("slow-http"));
            String live = stream.await(EventCase.SESSION_STARTED).getSessionStarted().getUpstreamSessionId();
            stream.send(userText("Give me the slow report"));
            GatewayToolFinished done = finished(stream);
            assertThat(done.getOutcome()).isEqualTo(GatewayToolOutcome.GATEWAY_TOOL_OUTCOME_TIMEOUT);
            assertThat(com.google.protobuf.util.Durations.toMillis(done.getDuration())).isBetween(400L, 1_500L);
            assertThat(done.getError()).contains("500 ms").doesNotContain("/slow");
            stream.await(EventCase.TURN_COMPLETE);
            JsonNode error = toolResponses(live, done.getId()).get(0).at("/toolResponse/functionResponses/0/response/error");
            assertThat(error.get("kind").asText()).isEqualTo("timeout");
            assertThat(stream.text()).contains("slow_report returned", "timeout");
        }
    }

    @Test
    @Order(5)
    void fiveHundredsAreRetriedThenTheBreakerOpensAndTheEndpointIsSpared() {
        httpTools();
        int before = endpoints.count("/down");
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            stream.config(withTools("down-http"));
            String live = stream.await(EventCase.SESSION_STARTED).getSessionStarted().getUpstreamSessionId();
            stream.send(userText("Call the broken service"));
            GatewayToolFinished first = finished(stream);
            assertThat(first.getOutcome()).isEqualTo(GatewayToolOutcome.GATEWAY_TOOL_OUTCOME_ERROR_RESPONSE);
            assertThat(first.getAttempts()).isEqualTo(2);
            assertThat(first.getError()).contains("HTTP 500");
            assertThat(first.getResponse().getFieldsMap().get("error").getStructValue().getFieldsMap().get("detail")
                    .getStructValue().getFieldsMap().get("error").getStringValue()).isEqualTo("broken");
            stream.await(EventCase.TURN_COMPLETE);

            stream.send(userText("Call the broken service again"));
            GatewayToolFinished second = stream.await(e -> e.hasGatewayToolFinished()
                    && !e.getGatewayToolFinished().getId().equals(first.getId()), "the second call", GatewayStream.WAIT)
                    .getGatewayToolFinished();
            assertThat(second.getOutcome()).isEqualTo(GatewayToolOutcome.GATEWAY_TOOL_OUTCOME_CIRCUIT_OPEN);
            assertThat(second.getAttempts()).isZero();
            assertThat(endpoints.count("/down") - before).as("two attempts, then the breaker spared it").isEqualTo(2);
            await().atMost(Duration.ofSeconds(15)).until(() -> toolResponses(live, second.getId()).size() == 1);
            assertThat(toolResponses(live, second.getId()).get(0)
                    .at("/toolResponse/functionResponses/0/response/error/kind").asText()).isEqualTo("circuit_open");
        }
    }

    @Test
    @Order(6)
    void anOversizeAnswerIsAnErrorForTheModel() {
        httpTools();
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            stream.config(withTools("big-http"));
            String live = stream.await(EventCase.SESSION_STARTED).getSessionStarted().getUpstreamSessionId();
            stream.send(userText("Please fetch the catalog"));
            GatewayToolFinished done = finished(stream);
            assertThat(done.getOutcome()).isEqualTo(GatewayToolOutcome.GATEWAY_TOOL_OUTCOME_RESPONSE_TOO_LARGE);
            assertThat(done.getError()).contains("1024 bytes");
            stream.await(EventCase.TURN_COMPLETE);
            assertThat(toolResponses(live, done.getId()).get(0)
                    .at("/toolResponse/functionResponses/0/response/error/kind").asText()).isEqualTo("response_too_large");
        }
    }

    @Test
    @Order(7)
    void aCancellationAbortsTheRequestAndTheModelGetsNothing() {
        httpTools();
        endpoints.slowMillis(2_000);
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            stream.config(withTools("hang-http"));
            String live = stream.await(EventCase.SESSION_STARTED).getSessionStarted().getUpstreamSessionId();
            stream.send(userText("Start the long search"));
            GatewayToolStarted call = stream.await(EventCase.GATEWAY_TOOL_STARTED).getGatewayToolStarted();
            stream.send(userText("Actually never mind"));
            GatewayToolFinished done = finished(stream);
            assertThat(done.getId()).isEqualTo(call.getId());
            assertThat(done.getOutcome()).isEqualTo(GatewayToolOutcome.GATEWAY_TOOL_OUTCOME_CANCELLED);
            assertThat(com.google.protobuf.util.Durations.toMillis(done.getDuration())).isLessThan(1_500L);
            assertThat(done.hasResponse()).isFalse();
            stream.await(EventCase.TURN_COMPLETE);
            assertThat(stream.kinds()).as("the cancellation of the gateway's call is the gateway's")
                    .doesNotContain(EventCase.TOOL_CALL_CANCELLATION, EventCase.TOOL_CALL);
            assertThat(toolResponses(live, call.getId())).as("nothing answered for a cancelled call").isEmpty();
        }
    }

    @Test
    @Order(8)
    void aCallInFlightDuringAGoAwayIsAnsweredOnceOnTheNewConnection() {
        httpTools();
        endpoints.slowMillis(1_500);
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            stream.config(withTools("invoice-http"));
            String live = stream.await(EventCase.SESSION_STARTED).getSessionStarted().getUpstreamSessionId();
            stream.send(userText("Please prepare the invoice"));
            GatewayToolStarted call = stream.await(EventCase.GATEWAY_TOOL_STARTED).getGatewayToolStarted();
            stream.await(EventCase.TURN_COMPLETE); // the NON_BLOCKING call runs on; the model has answered
            assertThat(emulator.emulator().injectNow(live, FaultRule.of(FaultRule.Action.GO_AWAY).goAwaySeconds(1).build()))
                    .isTrue();
            stream.await(EventCase.SESSION_RESUMED);
            GatewayToolFinished done = finished(stream);
            assertThat(done.getOutcome()).isEqualTo(GatewayToolOutcome.GATEWAY_TOOL_OUTCOME_OK);
            await().atMost(Duration.ofSeconds(15)).until(() -> toolResponses(live, call.getId()).size() == 1);
            RecordedSession session = emulator.recorder().session(live).orElseThrow();
            assertThat(session.connections()).hasSizeGreaterThanOrEqualTo(2);
            assertThat(session.firstConnection().clientMessages()).noneMatch(j -> j.has("toolResponse"));
            assertThat(session.latestConnection().clientMessages().stream().filter(j -> j.has("toolResponse")))
                    .as("delivered on the new connection, once").hasSize(1);
            assertThat(toolResponses(live, call.getId())).as("the model took it exactly once").hasSize(1);
        }
    }

    @Test
    @Order(9)
    void mcpServerToolsBecomeFunctionsTheGatewayCalls() {
        tool("{'name':'kb-mcp','mcp':{'url':'" + mcp.url() + "','tools':['search_articles','fail_always'],"
                + "'headers':{'Authorization':'Bearer ${secret:TOOL_SECRET_KB}'},'policy':{'timeout':'2s'}}}");
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            stream.config(withTools("kb-mcp"));
            String live = stream.await(EventCase.SESSION_STARTED).getSessionStarted().getUpstreamSessionId();
            JsonNode declarations = emulator.recorder().session(live).orElseThrow().firstConnection().setupJson()
                    .at("/tools/0/functionDeclarations");
            assertThat(declarations.findValuesAsText("name")).containsExactlyInAnyOrder("search_articles", "fail_always");
            assertThat(declarations.get(0).at("/parametersJsonSchema/properties/query/type").asText()).isEqualTo("string");

            stream.send(userText("Search the articles please"));
            GatewayToolFinished ok = finished(stream);
            assertThat(ok.getOutcome()).isEqualTo(GatewayToolOutcome.GATEWAY_TOOL_OUTCOME_OK);
            assertThat(ok.getResponse().toString()).contains("How to reset sample query");
            stream.await(EventCase.TURN_COMPLETE);
            assertThat(toolResponses(live, ok.getId())).hasSize(1);

            stream.send(userText("Now fail always"));
            GatewayToolFinished failed = stream.await(e -> e.hasGatewayToolFinished()
                    && !e.getGatewayToolFinished().getId().equals(ok.getId()), "the failing call", GatewayStream.WAIT)
                    .getGatewayToolFinished();
            assertThat(failed.getOutcome()).isEqualTo(GatewayToolOutcome.GATEWAY_TOOL_OUTCOME_ERROR_RESPONSE);
            assertThat(failed.getResponse().toString()).contains("the index is offline");
        }
        assertThat(mcp.calls()).contains("search_articles", "fail_always");
        assertThat(mcp.authorizations()).contains("Bearer " + KB_SECRET);
    }

    @Test
    @Order(10)
    void anMcpServerThatChangesItsToolsIsFollowed() {
        tool("{'name':'kb-all','mcp':{'url':'" + mcp.url() + "','headers':{'Authorization':'Bearer ${secret:TOOL_SECRET_KB}'}}}");
        given().contentType("application/json").body("{\"function\":\"search_articles\",\"args\":{\"query\":\"vpn\"}}")
                .post("/v1/tools/kb-all/invoke").then().statusCode(200); // the client is connected
        mcp.addTool("open_ticket", "Open a support ticket.");
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            try (GatewayStream stream = GatewayStream.open(base.getPort())) {
                stream.config(withTools("kb-all"));
                String live = stream.await(EventCase.SESSION_STARTED).getSessionStarted().getUpstreamSessionId();
                assertThat(emulator.recorder().session(live).orElseThrow().firstConnection().setupJson()
                        .at("/tools/0/functionDeclarations").findValuesAsText("name")).contains("open_ticket");
            }
        });
    }

    @Test
    @Order(11)
    void theDryRunInvokesAToolWithGivenArguments() {
        httpTools();
        given().contentType("application/json").body("{\"args\":{\"order_id\":\"77\"}}")
                .post("/v1/tools/orders-http/invoke").then().statusCode(200)
                .body("outcome", equalTo("ok")).body("function", equalTo("lookup_order"))
                .body("response.result.order", equalTo("77")).body("attempts", equalTo(1));
        given().contentType("application/json").body("{}").post("/v1/tools/light-switch/invoke").then()
                .statusCode(409).body("type", equalTo("urn:live-gateway:problem:tool-not-gateway-run"));
        given().contentType("application/json").body("{}").post("/v1/tools/no-such-tool/invoke").then().statusCode(404);
        given().contentType("application/json").body("{\"function\":\"nope\"}").post("/v1/tools/kb-mcp/invoke").then()
                .statusCode(400).body("detail", containsString("search_articles"));
    }

    @Test
    @Order(12)
    void invalidGatewayRunEntriesAreRefusedNamingTheField() {
        given().contentType("application/json").body(("{'name':'bad-http','http':{'function':{'name':'f'},"
                + "'url':'ftp://x/{a b}','method':'TRACE','headers':{'Authorization':'Bearer literal-token',"
                + "'X-Key':'${secret:HOME}'},'errorStatuses':['6xx'],'policy':{'timeout':'forever','retries':9}}}")
                .replace('\'', '"')).post("/v1/tools").then().statusCode(400)
                .body("errors.field", org.hamcrest.Matchers.hasItems("http.url", "http.method",
                        "http.headers.Authorization", "http.headers.X-Key", "http.errorStatuses[0]", "http.policy.timeout",
                        "http.policy.retries"));
        given().contentType("application/json").body(("{'name':'bad-mcp','mcp':{'url':'http://x/{y}','tools':['a','a']}}")
                .replace('\'', '"')).post("/v1/tools").then().statusCode(400)
                .body("errors.field", org.hamcrest.Matchers.hasItems("mcp.url", "mcp.tools[1]"));
    }

    @Test
    @Order(100)
    void secretsAndArgumentValuesAreNeverLogged() {
        assertThat(LOG_LINES).as("the capture works").anyMatch(line -> line.contains("gateway tool call"));
        assertThat(LOG_LINES).noneMatch(line -> line.contains(ORDERS_SECRET));
        assertThat(LOG_LINES).noneMatch(line -> line.contains(KB_SECRET));
        assertThat(LOG_LINES).as("argument values stay out of the logs by default")
                .noneMatch(line -> line.contains("sample order_id"));
        assertThat(LOG_LINES).anyMatch(line -> line.contains("argNames=[order_id]"));
    }
}
