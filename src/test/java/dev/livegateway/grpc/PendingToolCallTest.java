package dev.livegateway.grpc;

import static dev.livegateway.grpc.ConverseTest.textConfig;
import static dev.livegateway.grpc.ConverseTest.userText;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.rpc.ErrorInfo;
import dev.livegateway.GatewayStream;
import dev.livegateway.api.v1.ClientEvent;
import dev.livegateway.api.v1.FunctionCall;
import dev.livegateway.api.v1.FunctionResponse;
import dev.livegateway.api.v1.ServerEvent.EventCase;
import dev.livegateway.api.v1.SessionConfig;
import dev.livegateway.api.v1.ToolReference;
import dev.livegateway.api.v1.ToolResponse;
import dev.livegateway.emulator.EmbeddedEmulator;
import dev.livegateway.emulator.RecordedSession;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A tool call the caller answers slowly is not a stall (stall timeout 1 s, tool-response timeout
 * 4 s; {@link ResilienceProfile}): the session is never moved while the model waits for the
 * caller, so the tool runs once and its answer reaches the model under the original id.
 */
@QuarkusTest
@TestProfile(ResilienceProfile.class)
class PendingToolCallTest {

    @TestHTTPResource("/")
    URL base;

    @Inject
    EmbeddedEmulator emulator;

    private static SessionConfig withLightSwitch() {
        return textConfig().toBuilder().addTools(ToolReference.newBuilder().setName("light-switch")).build();
    }

    private static ClientEvent answer(FunctionCall call) {
        return ClientEvent.newBuilder().setToolResponse(ToolResponse.newBuilder().addFunctionResponses(
                FunctionResponse.newBuilder().setId(call.getId()).setName(call.getName())
                        .setResponse(Struct.newBuilder().putFields("result", Value.newBuilder().setStringValue("ok").build()))))
                .build();
    }

    @Test
    void aToolAnsweredAfterTheStallTimeoutIsDeliveredOnceWithItsIdAndNothingResumes() throws Exception {
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            stream.config(withLightSwitch());
            String live = stream.await(EventCase.SESSION_STARTED).getSessionStarted().getUpstreamSessionId();
            stream.send(userText("Turn on the lights please"));
            FunctionCall call = stream.await(EventCase.TOOL_CALL).getToolCall().getFunctionCalls(0);

            Thread.sleep(2_500); // the caller's tool takes 2.5 stall timeouts
            stream.send(answer(call));
            stream.await(EventCase.TURN_COMPLETE);

            assertThat(stream.kinds()).as("no resumption while the call was pending")
                    .doesNotContain(EventCase.SESSION_RESUMED)
                    .containsOnlyOnce(EventCase.TOOL_CALL);
            assertThat(stream.text()).contains("turn_on_the_lights", "ok");
            RecordedSession session = emulator.recorder().session(live).orElseThrow();
            assertThat(session.connections()).as("the session never moved").hasSize(1);
            assertThat(session.issuedFunctionCalls()).as("the model issued the call once").containsExactly(call.getId());
            List<String> answeredIds = session.consumedJson().stream()
                    .filter(json -> json.has("toolResponse"))
                    .map(json -> json.at("/toolResponse/functionResponses/0/id").asText())
                    .toList();
            assertThat(answeredIds).as("the answer reached the model once, under the original id")
                    .containsExactly(call.getId());
        }
    }

    @Test
    void aToolCallNeverAnsweredEndsTheStreamWithDeadlineExceededNamingTheCall() throws Exception {
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            stream.config(withLightSwitch());
            String live = stream.await(EventCase.SESSION_STARTED).getSessionStarted().getUpstreamSessionId();
            stream.send(userText("Turn off the lights"));
            FunctionCall call = stream.await(EventCase.TOOL_CALL).getToolCall().getFunctionCalls(0);
            long sent = System.nanoTime();

            Status status = stream.awaitEnd();
            assertThat(status.getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
            assertThat(status.getDescription()).contains(call.getId(), "live-gateway.session.tool-response-timeout");
            assertThat(Duration.ofNanos(System.nanoTime() - sent)).isGreaterThanOrEqualTo(Duration.ofMillis(3_500));
            var rich = StatusProto.fromStatusAndTrailers(status, stream.trailers());
            ErrorInfo info = rich.getDetailsList().stream().filter(d -> d.is(ErrorInfo.class)).findFirst().orElseThrow()
                    .unpack(ErrorInfo.class);
            assertThat(info.getReason()).isEqualTo("TOOL_RESPONSE_TIMEOUT");
            assertThat(stream.kinds()).doesNotContain(EventCase.SESSION_RESUMED);
            RecordedSession session = emulator.recorder().session(live).orElseThrow();
            assertThat(session.connections()).hasSize(1);
            assertThat(session.issuedFunctionCalls()).containsExactly(call.getId());
        }
    }
}
