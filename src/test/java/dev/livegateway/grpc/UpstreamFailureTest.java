package dev.livegateway.grpc;

import static dev.livegateway.grpc.ConverseTest.textConfig;
import static dev.livegateway.grpc.ConverseTest.userText;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.RetryInfo;
import dev.livegateway.GatewayStream;
import dev.livegateway.api.v1.ServerEvent.EventCase;
import dev.livegateway.api.v1.SessionConfig;
import dev.livegateway.emulator.EmbeddedEmulator;
import dev.livegateway.emulator.FaultRule;
import dev.livegateway.emulator.RecordedConnection;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Upstream closes that resumption cannot cure end the stream with the status of the README's table. */
@QuarkusTest
class UpstreamFailureTest {

    @TestHTTPResource("/")
    URL base;

    @Inject
    EmbeddedEmulator emulator;

    @AfterEach
    void clearFaults() {
        emulator.faults().clear();
    }

    /** A config whose setup carries a unique marker, so a fault rule hits only this test's session. */
    private static SessionConfig marked(String marker) {
        return textConfig().toBuilder().setSystemInstruction("test marker " + marker).build();
    }

    private Status sessionWithFault(FaultRule.LiveError error) {
        String marker = UUID.randomUUID().toString();
        emulator.faults().add(FaultRule.close(error).forSetupContaining(marker).afterMessages(1).build());
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            stream.config(marked(marker));
            stream.await(EventCase.SESSION_STARTED);
            stream.send(userText("hello"));
            return stream.awaitEnd();
        }
    }

    @Test
    void invalidArgumentCloseBecomesInvalidArgument() {
        Status status = sessionWithFault(FaultRule.LiveError.INVALID_ARGUMENT);
        assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(status.getDescription()).contains("1007", "Request contains an invalid argument.");
    }

    @Test
    void notFoundCloseBecomesNotFound() {
        Status status = sessionWithFault(FaultRule.LiveError.NOT_FOUND);
        assertThat(status.getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(status.getDescription()).contains("Requested entity was not found.");
    }

    @Test
    void quotaCloseBecomesResourceExhaustedWithRetryDelay() throws Exception {
        String marker = UUID.randomUUID().toString();
        emulator.faults().add(FaultRule.close(FaultRule.LiveError.RESOURCE_EXHAUSTED).forSetupContaining(marker)
                .afterMessages(1).build());
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            stream.config(marked(marker));
            stream.await(EventCase.SESSION_STARTED);
            stream.send(userText("hello"));
            Status status = stream.awaitEnd();
            assertThat(status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(status.getDescription()).contains("RESOURCE_EXHAUSTED");
            com.google.rpc.Status rich = StatusProto.fromStatusAndTrailers(status, stream.trailers());
            assertThat(rich.getDetailsList()).anySatisfy(any -> {
                assertThat(any.is(RetryInfo.class)).isTrue();
                assertThat(any.unpack(RetryInfo.class).getRetryDelay().getSeconds()).isPositive();
            });
        }
    }

    @Test
    void callerCancellationClosesTheUpstreamAtOnce() {
        String id;
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            stream.config(textConfig());
            id = stream.await(EventCase.SESSION_STARTED).getSessionStarted().getUpstreamSessionId();
            stream.cancel();
        }
        RecordedConnection connection = emulator.recorder().session(id).orElseThrow().latestConnection();
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(connection::closed);
    }

    @Test
    void callerThatVanishesWithoutCancellingEndsTheSession() {
        String id;
        GatewayStream stream = GatewayStream.open(base.getPort());
        stream.config(textConfig());
        id = stream.await(EventCase.SESSION_STARTED).getSessionStarted().getUpstreamSessionId();
        stream.dropConnection();
        RecordedConnection connection = emulator.recorder().session(id).orElseThrow().latestConnection();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(connection::closed);
    }

    @Test
    void halfCloseWaitsForThePendingAnswer() {
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            stream.config(textConfig());
            stream.await(EventCase.SESSION_STARTED);
            stream.send(userText("are you still there"));
            stream.halfClose();
            assertThat(stream.awaitEnd().getCode()).isEqualTo(Status.Code.OK);
            assertThat(stream.text()).contains("are you still there");
            assertThat(stream.kinds()).contains(EventCase.TURN_COMPLETE);
        }
    }

}
