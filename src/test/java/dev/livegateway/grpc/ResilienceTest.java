package dev.livegateway.grpc;

import dev.livegateway.admission.StatusMapper;
import static dev.livegateway.grpc.ConverseTest.textConfig;
import static dev.livegateway.grpc.ConverseTest.userText;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import dev.livegateway.GatewayStream;
import dev.livegateway.api.v1.ResumeReason;
import dev.livegateway.api.v1.ServerEvent;
import dev.livegateway.api.v1.ServerEvent.EventCase;
import dev.livegateway.api.v1.SessionConfig;
import dev.livegateway.api.v1.SessionStarted;
import dev.livegateway.emulator.EmbeddedEmulator;
import dev.livegateway.emulator.FaultRule;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Connect retries, the circuit breaker, the stall watchdog and the resume token after an
 * unrecoverable loss, with attempts counted at the emulator.
 */
@QuarkusTest
@TestProfile(ResilienceProfile.class)
class ResilienceTest {

    @TestHTTPResource("/")
    URL base;

    @Inject
    EmbeddedEmulator emulator;

    @Inject
    CircuitBreakerMaintenance breakers;

    private String marker;

    @BeforeEach
    void reset() {
        breakers.resetAll();
        emulator.faults().clear();
        marker = UUID.randomUUID().toString();
    }

    @AfterEach
    void clear() {
        emulator.faults().clear();
    }

    private SessionConfig marked() {
        return textConfig().toBuilder().setSystemInstruction("marker " + marker).build();
    }

    private long attempts() {
        return emulator.emulator().upgradeRequests();
    }

    /** Opens a session and returns how many upgrade requests it took, asserting the status it ends with. */
    private long openExpecting(Status.Code expected) {
        long before = attempts();
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            stream.config(marked());
            if (expected == Status.Code.OK) {
                stream.await(EventCase.SESSION_STARTED);
                stream.send(userText("still there?"));
                stream.await(EventCase.TURN_COMPLETE);
                stream.halfClose();
            }
            Status status = stream.awaitEnd();
            assertThat(status.getCode()).as(status.toString()).isEqualTo(expected);
        }
        return attempts() - before;
    }

    @Test
    void upgradeRefusedWith503IsRetried() {
        emulator.faults().add(FaultRule.of(FaultRule.Action.REFUSE_UPGRADE).httpStatus(503).forNextConnections(2).build());
        assertThat(openExpecting(Status.Code.OK)).isEqualTo(3);
    }

    @Test
    void upgradeRefusedWith429IsRetried() {
        emulator.faults().add(FaultRule.of(FaultRule.Action.REFUSE_UPGRADE).httpStatus(429).forNextConnections(1).build());
        assertThat(openExpecting(Status.Code.OK)).isEqualTo(2);
    }

    @Test
    void missingSetupCompleteIsRetried() {
        emulator.faults().add(FaultRule.of(FaultRule.Action.DELAY_SETUP).delayMs(3000).forSetupContaining(marker)
                .forNextConnections(1).build());
        assertThat(openExpecting(Status.Code.OK)).isEqualTo(2);
    }

    @Test
    void internalErrorAtSetupIsRetried() {
        emulator.faults().add(FaultRule.close(FaultRule.LiveError.INTERNAL).forSetupContaining(marker).forNextConnections(1).build());
        assertThat(openExpecting(Status.Code.OK)).isEqualTo(2);
    }

    @Test
    void retriesExhaustedGiveUnavailableWithARetryDelay() throws Exception {
        emulator.faults().add(FaultRule.of(FaultRule.Action.REFUSE_UPGRADE).httpStatus(503).forNextConnections(3).build());
        long before = attempts();
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            stream.config(marked());
            Status status = stream.awaitEnd();
            assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(status.getDescription()).contains("503");
            var rich = StatusProto.fromStatusAndTrailers(status, stream.trailers());
            assertThat(rich.getDetailsList()).anySatisfy(d -> assertThat(d.is(RetryInfo.class)).isTrue());
        }
        assertThat(attempts() - before).as("one attempt and two retries").isEqualTo(3);
    }

    @Test
    void invalidArgumentAtSetupIsNotRetried() {
        emulator.faults().add(FaultRule.close(FaultRule.LiveError.INVALID_ARGUMENT).forSetupContaining(marker).build());
        assertThat(openExpecting(Status.Code.INVALID_ARGUMENT)).isEqualTo(1);
    }

    @Test
    void notFoundAtSetupIsNotRetried() {
        emulator.faults().add(FaultRule.close(FaultRule.LiveError.NOT_FOUND).forSetupContaining(marker).build());
        assertThat(openExpecting(Status.Code.NOT_FOUND)).isEqualTo(1);
    }

    @Test
    void quotaCloseAtSetupIsNotRetried() {
        emulator.faults().add(FaultRule.close(FaultRule.LiveError.RESOURCE_EXHAUSTED).forSetupContaining(marker).build());
        assertThat(openExpecting(Status.Code.RESOURCE_EXHAUSTED)).isEqualTo(1);
    }

    @Test
    void circuitBreakerOpensFailsFastAndCloses() {
        emulator.faults().add(FaultRule.of(FaultRule.Action.REFUSE_UPGRADE).httpStatus(503).forNextConnections(100).build());
        assertThat(openExpecting(Status.Code.UNAVAILABLE)).isEqualTo(3);
        // the fourth failure opens the breaker: this session makes one attempt, then fails fast
        assertThat(openExpecting(Status.Code.UNAVAILABLE)).isEqualTo(1);
        assertThat(breakers.currentState(dev.livegateway.upstream.LiveConnector.BREAKER)).isEqualTo(CircuitBreakerState.OPEN);
        long before = attempts();
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            stream.config(marked());
            Status status = stream.awaitEnd();
            assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(status.getDescription()).contains("circuit breaker is open");
        }
        assertThat(attempts() - before).as("an open breaker does not touch the endpoint").isZero();

        emulator.faults().clear();
        Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(openExpecting(Status.Code.OK)).isEqualTo(1));
        assertThat(breakers.currentState(dev.livegateway.upstream.LiveConnector.BREAKER)).isEqualTo(CircuitBreakerState.CLOSED);
    }

    @Test
    void stalledSessionIsResumedByTheWatchdog() {
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            stream.config(marked());
            String live = stream.await(EventCase.SESSION_STARTED).getSessionStarted().getUpstreamSessionId();
            assertThat(emulator.emulator().injectNow(live, FaultRule.of(FaultRule.Action.STALL).build())).isTrue();
            stream.send(userText("are you stuck"));
            ServerEvent resumed = stream.await(e -> e.getEventCase() == EventCase.SESSION_RESUMED, "resumption",
                    Duration.ofSeconds(10));
            assertThat(resumed.getSessionResumed().getReason()).isEqualTo(ResumeReason.RESUME_REASON_STALLED);
            stream.await(EventCase.TURN_COMPLETE);
            assertThat(stream.text()).contains("are you stuck");
        }
    }

    @Test
    void unrecoverableLossEndsWithAResumeTokenThatContinuesTheSession() throws Exception {
        String token;
        String live;
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            stream.config(marked());
            live = stream.await(EventCase.SESSION_STARTED).getSessionStarted().getUpstreamSessionId();
            stream.send(userText("remember the number 42"));
            stream.await(EventCase.TURN_COMPLETE);
            stream.await(EventCase.RESUME_TOKEN_UPDATE);
            // the connection drops and the Live API refuses every reconnect for longer than the budget
            emulator.faults().add(FaultRule.of(FaultRule.Action.REFUSE_UPGRADE).httpStatus(503).forNextConnections(1000).build());
            assertThat(emulator.emulator().injectNow(live, FaultRule.of(FaultRule.Action.DROP).build())).isTrue();
            Status status = stream.awaitEnd();
            assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            var rich = StatusProto.fromStatusAndTrailers(status, stream.trailers());
            token = rich.getDetailsList().stream().filter(d -> d.is(ErrorInfo.class)).findFirst().orElseThrow()
                    .unpack(ErrorInfo.class).getMetadataOrThrow("resume_token");
            assertThat(stream.trailers().get(StatusMapper.RESUME_TOKEN_TRAILER)).isEqualTo(token);
        }
        emulator.faults().clear();
        breakers.resetAll();
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            stream.config(SessionConfig.newBuilder().setResumeToken(token).build());
            SessionStarted started = stream.await(EventCase.SESSION_STARTED).getSessionStarted();
            assertThat(started.getResumed()).isTrue();
            assertThat(started.getUpstreamSessionId()).as("the same Live session").isEqualTo(live);
            stream.send(userText("what number did I say"));
            stream.await(EventCase.TURN_COMPLETE);
            var history = emulator.recorder().session(live).orElseThrow().history();
            assertThat(history.toString()).contains("remember the number 42", "what number did I say");
        }
        try (GatewayStream reuse = GatewayStream.open(base.getPort())) {
            reuse.config(SessionConfig.newBuilder().setResumeToken(token).build());
            Status status = reuse.awaitEnd();
            assertThat(status.getCode()).as("a token continues one stream only").isEqualTo(Status.Code.NOT_FOUND);
            assertThat(status.getDescription()).contains("config.resume_token");
        }
    }
}
