package dev.livegateway.health;

import static dev.livegateway.metrics.Conversations.textConfig;
import static dev.livegateway.metrics.Conversations.userText;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.google.protobuf.ByteString;
import dev.livegateway.GatewayStream;
import dev.livegateway.ManagementPort;
import dev.livegateway.TestAudio;
import dev.livegateway.api.v1.AudioChunk;
import dev.livegateway.api.v1.ClientEvent;
import dev.livegateway.api.v1.ServerEvent.EventCase;
import dev.livegateway.api.v1.ToolReference;
import dev.livegateway.emulator.EmbeddedEmulator;
import dev.livegateway.emulator.FaultRule;
import dev.livegateway.grpc.ResilienceProfile;
import dev.livegateway.metrics.PrometheusScrape;
import dev.livegateway.session.SessionRegistry;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus;
import io.grpc.Status;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * What needs short timeouts and tracing ({@link ResilienceProfile}: tracing on with the in-memory
 * exporter, a 1 s stall timeout, a tiny replay buffer), and finally draining, which cannot be
 * undone and therefore runs last, in this class and in the profile's application.
 */
@QuarkusTest
@TestProfile(ResilienceProfile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperationsUnderShortTimeoutsTest {

    @TestHTTPResource("/")
    URL base;

    @Inject
    EmbeddedEmulator emulator;

    @Inject
    SessionRegistry registry;

    @Inject
    InMemorySpanExporter spans;

    @AfterEach
    void clearFaults() {
        emulator.faults().clear();
    }

    @Test
    @Order(1)
    void aStalledTurnIsCountedResumedAndTraced() {
        String marker = UUID.randomUUID().toString();
        emulator.faults().add(FaultRule.of(FaultRule.Action.STALL).forSetupContaining(marker).afterMessages(1)
                .forNextConnections(1).build());
        PrometheusScrape before = PrometheusScrape.now();
        String sessionId;
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            stream.config(textConfig().toBuilder().setSystemInstruction("marker " + marker).build());
            sessionId = stream.await(EventCase.SESSION_STARTED).getSessionStarted().getGatewaySessionId();
            stream.send(userText("anyone there?"));
            stream.await(EventCase.SESSION_RESUMED);
            stream.await(EventCase.TURN_COMPLETE);
            stream.halfClose();
            assertThat(stream.awaitEnd().getCode()).isEqualTo(Status.Code.OK);
        }
        PrometheusScrape after = PrometheusScrape.now();
        assertThat(after.sum("live_gateway_stalls_total") - before.sum("live_gateway_stalls_total")).isEqualTo(1);
        assertThat(after.sum("live_gateway_resumptions_total", Map.of("reason", "stalled"))
                - before.sum("live_gateway_resumptions_total", Map.of("reason", "stalled"))).isEqualTo(1);

        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> spans.getFinishedSpanItems().stream()
                .anyMatch(s -> s.getName().equals("live-gateway.session")
                        && sessionId.equals(s.getAttributes().get(AttributeKey.stringKey("live_gateway.session_id")))));
        SpanData session = spans.getFinishedSpanItems().stream()
                .filter(s -> s.getName().equals("live-gateway.session")
                        && sessionId.equals(s.getAttributes().get(AttributeKey.stringKey("live_gateway.session_id"))))
                .findFirst().orElseThrow();
        assertThat(session.getAttributes().get(AttributeKey.stringKey("live_gateway.tenant"))).isEqualTo("default");
        assertThat(session.getAttributes().get(AttributeKey.stringKey("live_gateway.model"))).isEqualTo("gemini-live-2.5-flash");
        assertThat(session.getAttributes().get(AttributeKey.stringKey("live_gateway.outcome"))).isEqualTo("OK");
        List<SpanData> connections = spans.getFinishedSpanItems().stream()
                .filter(s -> s.getName().equals("live-gateway.upstream-connection")
                        && s.getParentSpanId().equals(session.getSpanId()))
                .toList();
        assertThat(connections).hasSize(2);
        assertThat(connections).anySatisfy(c -> {
            assertThat(c.getAttributes().get(AttributeKey.stringKey("live_gateway.connection.opened_for"))).isEqualTo("start");
            assertThat(c.getAttributes().get(AttributeKey.stringKey("live_gateway.connection.ended_by"))).isEqualTo("stalled");
            assertThat(c.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        });
        assertThat(connections).anySatisfy(c -> {
            assertThat(c.getAttributes().get(AttributeKey.stringKey("live_gateway.connection.opened_for"))).isEqualTo("stalled");
            assertThat(c.getAttributes().get(AttributeKey.stringKey("live_gateway.connection.ended_by"))).isEqualTo("session_end");
        });
    }

    @Test
    @Order(2)
    void replayBufferOverflowsAreCounted() {
        double before = PrometheusScrape.now().sum("live_gateway_replay_overflow_total");
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            stream.config(textConfig().toBuilder().addTools(ToolReference.newBuilder().setName("light-switch")).build());
            stream.await(EventCase.SESSION_STARTED);
            // A full replay buffer holds the caller back, except while a tool call is pending (the
            // Live API confirms nothing until the answer): then the oldest unconfirmed input is dropped.
            stream.send(userText("Turn on the lights please"));
            stream.await(EventCase.TOOL_CALL);
            byte[] tone = TestAudio.tone(16000, 40, 440);
            for (int i = 0; i < 8; i++) {
                stream.send(ClientEvent.newBuilder().setAudio(AudioChunk.newBuilder()
                        .setData(ByteString.copyFrom(tone)).setSampleRateHz(16000)).build());
            }
            Awaitility.await().atMost(Duration.ofSeconds(15))
                    .until(() -> PrometheusScrape.now().sum("live_gateway_replay_overflow_total") > before);
        }
    }

    @Test
    @Order(3)
    void drainingMakesTheReplicaNotReadyAndRefusesNewStreams() {
        ManagementPort.given().get("/q/health/ready").then().statusCode(200);
        registry.startDraining();
        ManagementPort.given().get("/q/health/ready").then().statusCode(503)
                .body("status", equalTo("DOWN"))
                .body("checks.find { it.name == 'live-gateway' }.data.draining", equalTo(true));
        ManagementPort.given().get("/q/health/live").then().statusCode(200);
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() ->
                GrpcHealthProbe.status(base.getPort(), "livegateway.v1.LiveGateway") == ServingStatus.NOT_SERVING);
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            stream.config(textConfig());
            assertThat(stream.awaitEnd().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        }
    }
}
