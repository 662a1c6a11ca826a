package dev.livegateway.grpc;

import static dev.livegateway.grpc.ConverseTest.textConfig;
import static dev.livegateway.grpc.ConverseTest.userText;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.livegateway.GatewayStream;
import dev.livegateway.api.v1.ClientEvent;
import dev.livegateway.api.v1.FunctionCall;
import dev.livegateway.api.v1.FunctionResponse;
import dev.livegateway.api.v1.GroundingMetadata;
import dev.livegateway.api.v1.ServerEvent.EventCase;
import dev.livegateway.api.v1.SessionStarted;
import dev.livegateway.api.v1.ToolReference;
import dev.livegateway.api.v1.ToolResponse;
import dev.livegateway.emulator.EmbeddedEmulator;
import io.grpc.Status;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import org.junit.jupiter.api.Test;

/**
 * The tool examples of the Live API tools guide through the real gRPC port, with tool
 * configurations from the registry (deploy/tools, loaded by the test profile).
 */
@QuarkusTest
class ToolRoundTripTest {

    @TestHTTPResource("/")
    URL base;

    @Inject
    EmbeddedEmulator emulator;

    private static dev.livegateway.api.v1.SessionConfig withTools(String... names) {
        var config = textConfig().toBuilder();
        for (String name : names) {
            config.addTools(ToolReference.newBuilder().setName(name));
        }
        return config.build();
    }

    @Test
    void lightSwitchCallResponseAndTheModelContinues() {
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            stream.config(withTools("light-switch"));
            SessionStarted started = stream.await(EventCase.SESSION_STARTED).getSessionStarted();
            assertThat(started.getToolsList()).singleElement().satisfies(t -> {
                assertThat(t.getName()).isEqualTo("light-switch");
                assertThat(t.getVersion()).isPositive();
            });
            var setup = emulator.recorder().session(started.getUpstreamSessionId()).orElseThrow().firstConnection().setupJson();
            assertThat(setup.at("/tools/0/functionDeclarations/0/name").asText()).isEqualTo("turn_on_the_lights");
            assertThat(setup.at("/tools/0/functionDeclarations/1/name").asText()).isEqualTo("turn_off_the_lights");

            stream.send(userText("Turn on the lights please"));
            FunctionCall call = stream.await(EventCase.TOOL_CALL).getToolCall().getFunctionCalls(0);
            assertThat(call.getName()).isEqualTo("turn_on_the_lights");
            assertThat(call.getId()).isNotEmpty();
            assertThat(call.getArgs().getFieldsMap()).containsKey("brightness");

            stream.send(ClientEvent.newBuilder().setToolResponse(ToolResponse.newBuilder().addFunctionResponses(
                    FunctionResponse.newBuilder().setId(call.getId()).setName(call.getName())
                            .setResponse(Struct.newBuilder().putFields("result", Value.newBuilder().setStringValue("ok").build())))).build());
            stream.await(EventCase.TURN_COMPLETE);
            assertThat(stream.text()).contains("turn_on_the_lights", "ok");
            var response = emulator.recorder().session(started.getUpstreamSessionId()).orElseThrow().consumedJson().stream()
                    .filter(j -> j.has("toolResponse")).findFirst().orElseThrow();
            assertThat(response.at("/toolResponse/functionResponses/0/id").asText()).isEqualTo(call.getId());
            assertThat(response.at("/toolResponse/functionResponses/0/response/result").asText()).isEqualTo("ok");
        }
    }

    @Test
    void bargeInCancelsThePendingCall() {
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            stream.config(withTools("light-switch"));
            stream.await(EventCase.SESSION_STARTED);
            stream.send(userText("Turn off the lights"));
            String id = stream.await(EventCase.TOOL_CALL).getToolCall().getFunctionCalls(0).getId();
            stream.send(userText("Actually never mind"));
            assertThat(stream.await(EventCase.TOOL_CALL_CANCELLATION).getToolCallCancellation().getIdsList()).containsExactly(id);
            stream.await(EventCase.TURN_COMPLETE);
        }
    }

    @Test
    void codeExecutionComputesThePrimePalindrome() {
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            stream.config(withTools("code-execution"));
            stream.await(EventCase.SESSION_STARTED);
            stream.send(userText("Compute the largest prime palindrome under 100000."));
            var code = stream.await(EventCase.EXECUTABLE_CODE).getExecutableCode();
            assertThat(code.getLanguage()).isEqualTo("PYTHON");
            assertThat(code.getCode()).isNotBlank();
            var result = stream.await(EventCase.CODE_EXECUTION_RESULT).getCodeExecutionResult();
            assertThat(result.getOutcome()).isEqualTo("OUTCOME_OK");
            assertThat(result.getOutput()).contains("98689");
            stream.await(EventCase.TURN_COMPLETE);
        }
    }

    @Test
    void googleSearchGrounding() {
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            stream.config(withTools("google-search"));
            stream.await(EventCase.SESSION_STARTED);
            stream.send(userText("When did the last Brazil vs. Argentina soccer match happen?"));
            GroundingMetadata grounding = stream.await(EventCase.GROUNDING).getGrounding();
            assertThat(grounding.getWebSearchQueriesList()).isNotEmpty();
            assertThat(grounding.getChunksList()).isNotEmpty().allSatisfy(c -> {
                assertThat(c.hasWeb()).isTrue();
                assertThat(c.getWeb().getUri()).startsWith("http");
            });
            assertThat(grounding.getRaw().getFieldsMap()).containsKey("webSearchQueries");
            stream.await(EventCase.TURN_COMPLETE);
        }
    }

    @Test
    void ragRetrievalNamesTheCorpus() {
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            stream.config(withTools("product-docs-rag"));
            String id = stream.await(EventCase.SESSION_STARTED).getSessionStarted().getUpstreamSessionId();
            var setup = emulator.recorder().session(id).orElseThrow().firstConnection().setupJson();
            assertThat(setup.at("/tools/0/retrieval/vertexRagStore/ragResources/0/ragCorpus").asText())
                    .isEqualTo("projects/my-project/locations/us-central1/ragCorpora/4611686018427387904");
            stream.send(userText("How do I reset the device?"));
            GroundingMetadata grounding = stream.await(EventCase.GROUNDING).getGrounding();
            assertThat(grounding.getChunksList()).isNotEmpty().allSatisfy(c ->
                    assertThat(c.getRetrievedContext().getRagCorpus())
                            .isEqualTo("projects/my-project/locations/us-central1/ragCorpora/4611686018427387904"));
            stream.await(EventCase.TURN_COMPLETE);
        }
    }

    @Test
    void severalEntriesCombine() {
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            stream.config(withTools("light-switch", "code-execution", "google-search"));
            String id = stream.await(EventCase.SESSION_STARTED).getSessionStarted().getUpstreamSessionId();
            var tools = emulator.recorder().session(id).orElseThrow().firstConnection().setupJson().get("tools");
            assertThat(tools).hasSize(3);
            assertThat(tools.get(0).has("functionDeclarations")).isTrue();
            assertThat(tools.get(1).has("codeExecution")).isTrue();
            assertThat(tools.get(2).has("googleSearch")).isTrue();
        }
    }

    @Test
    void unknownToolIsRefusedByName() {
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            stream.config(withTools("no-such-tool"));
            Status status = stream.awaitEnd();
            assertThat(status.getCode()).isEqualTo(Status.Code.NOT_FOUND);
            assertThat(status.getDescription()).contains("no-such-tool");
        }
    }

    @Test
    void unknownPinnedVersionIsRefused() {
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            stream.config(textConfig().toBuilder().addTools(ToolReference.newBuilder().setName("light-switch").setVersion(999)).build());
            Status status = stream.awaitEnd();
            assertThat(status.getCode()).isEqualTo(Status.Code.NOT_FOUND);
            assertThat(status.getDescription()).contains("light-switch", "999");
        }
    }
}
