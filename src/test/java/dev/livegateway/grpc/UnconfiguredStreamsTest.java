package dev.livegateway.grpc;

import static dev.livegateway.grpc.ConverseTest.textConfig;
import static org.assertj.core.api.Assertions.assertThat;

import dev.livegateway.GatewayStream;
import dev.livegateway.api.v1.ClientEvent;
import dev.livegateway.api.v1.LiveGatewayGrpc;
import dev.livegateway.api.v1.ServerEvent;
import dev.livegateway.api.v1.ServerEvent.EventCase;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Streams that never send their SessionConfig: ended after the first-event timeout, and at most
 * {@link AdmissionLimitsProfile#CAP} of them per tenant at a time, through the real gRPC port.
 */
@QuarkusTest
@TestProfile(AdmissionLimitsProfile.class)
class UnconfiguredStreamsTest {

    @TestHTTPResource("/")
    URL base;

    @Test
    void aStreamWithoutConfigEndsAfterTheFirstEventTimeout() {
        long start = System.nanoTime();
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            Status status = stream.awaitEnd();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(status.getCode()).as(status.toString()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
            assertThat(status.getDescription()).contains("config", "within " + AdmissionLimitsProfile.TIMEOUT_SECONDS
                    + " s", "live-gateway.limits.first-event-timeout");
            assertThat(took).isGreaterThanOrEqualTo(Duration.ofSeconds(AdmissionLimitsProfile.TIMEOUT_SECONDS - 1));
        }
    }

    @Test
    void eachTenantHasItsOwnCapOnStreamsWithoutConfig() throws Exception {
        // One connection: the streams reach the gateway in the order they are opened.
        ManagedChannel channel = ManagedChannelBuilder.forAddress("localhost", base.getPort()).usePlaintext().build();
        try {
            // Connected first: streams started while the channel still connects are replayed onto the
            // new transport in no guaranteed order, and the refused one must be the last.
            Awaitility.await("channel ready").atMost(GatewayStream.WAIT)
                    .until(() -> channel.getState(true) == ConnectivityState.READY);
            List<CompletableFuture<Status>> idle = new ArrayList<>();
            for (int i = 0; i < AdmissionLimitsProfile.CAP; i++) {
                idle.add(openIdle(channel));
            }
            CompletableFuture<Status> oneTooMany = openIdle(channel);
            Status refused = oneTooMany.get(GatewayStream.WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(refused.getCode()).as(refused.toString()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(refused.getDescription()).contains("tenant default", AdmissionLimitsProfile.CAP + " streams",
                    "live-gateway.limits.unconfigured-streams-per-tenant");
            assertThat(idle).noneMatch(CompletableFuture::isDone);

            // Another tenant is not affected.
            try (GatewayStream other = GatewayStream.open(base.getPort(), AdmissionLimitsProfile.OTHER_TEAM_KEY)) {
                other.config(textConfig());
                assertThat(other.await(EventCase.SESSION_STARTED).getSessionStarted().getTenant()).isEqualTo("other-team");
                other.halfClose();
                assertThat(other.awaitEnd().getCode()).isEqualTo(Status.Code.OK);
            }

            // The idle streams time out and free their places.
            for (CompletableFuture<Status> stream : idle) {
                assertThat(stream.get(GatewayStream.WAIT.toMillis(), TimeUnit.MILLISECONDS).getCode())
                        .isEqualTo(Status.Code.DEADLINE_EXCEEDED);
            }
            try (GatewayStream again = GatewayStream.open(base.getPort())) {
                again.config(textConfig());
                again.await(EventCase.SESSION_STARTED);
                again.halfClose();
                assertThat(again.awaitEnd().getCode()).isEqualTo(Status.Code.OK);
            }
        } finally {
            channel.shutdownNow();
        }
    }

    /** Opens a Converse stream that sends nothing; the future completes with its status. */
    private static CompletableFuture<Status> openIdle(ManagedChannel channel) {
        CompletableFuture<Status> end = new CompletableFuture<>();
        LiveGatewayGrpc.newStub(channel).converse(new StreamObserver<>() {
            @Override
            public void onNext(ServerEvent value) {}

            @Override
            public void onError(Throwable t) {
                end.complete(Status.fromThrowable(t));
            }

            @Override
            public void onCompleted() {
                end.complete(Status.OK);
            }
        });
        return end;
    }
}
