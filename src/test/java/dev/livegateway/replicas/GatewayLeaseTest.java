package dev.livegateway.replicas;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.RetryInfo;
import dev.livegateway.GatewayStream;
import dev.livegateway.api.v1.ClientEvent;
import dev.livegateway.api.v1.ClientTurn;
import dev.livegateway.api.v1.Modality;
import dev.livegateway.api.v1.Part;
import dev.livegateway.api.v1.ServerEvent.EventCase;
import dev.livegateway.api.v1.SessionConfig;
import dev.livegateway.api.v1.Turn;
import dev.livegateway.emulator.EmbeddedEmulator;
import dev.livegateway.emulator.FaultRule;
import dev.livegateway.grpc.AdmissionLimitsProfile;
import dev.livegateway.quota.QuotaService;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The quota lease of a Converse stream, through the real gRPC port: taken when the session starts,
 * released however the stream ends; refusals carry the limit and a retry delay; and no lease leaks
 * from many rapid streams. The gateway's shutdown drain is tested with the drain itself.
 */
@QuarkusTest
@TestProfile(AdmissionLimitsProfile.class)
class GatewayLeaseTest {

    private static final String TENANT = "default";
    private static final Duration RELEASED_WITHIN = Duration.ofSeconds(5);

    @TestHTTPResource("/")
    URL base;

    @Inject
    QuotaService quota;

    @Inject
    EmbeddedEmulator emulator;

    @AfterEach
    void noLeaseLeft() {
        emulator.faults().clear();
        awaitActive(TENANT, 0);
    }

    static SessionConfig textConfig() {
        return SessionConfig.newBuilder().setResponseModality(Modality.MODALITY_TEXT).build();
    }

    static ClientEvent userText(String text) {
        return ClientEvent.newBuilder().setTurn(ClientTurn.newBuilder().setTurnComplete(true)
                .addTurns(Turn.newBuilder().addParts(Part.newBuilder().setText(text)))).build();
    }

    private int active(String tenant) {
        return quota.tenantUsage(tenant).await().atMost(Duration.ofSeconds(15)).activeSessions();
    }

    private void awaitActive(String tenant, int count) {
        Awaitility.await().pollInterval(Duration.ofMillis(20)).atMost(RELEASED_WITHIN)
                .untilAsserted(() -> assertThat(active(tenant)).as("active sessions of %s", tenant).isEqualTo(count));
    }

    /** Opens a session, checks that it holds a lease, ends it with {@code end}; returns the status. */
    private Status sessionEndedBy(SessionConfig config, Consumer<GatewayStream> end) {
        GatewayStream stream = GatewayStream.open(base.getPort());
        try {
            stream.config(config);
            stream.await(EventCase.SESSION_STARTED);
            assertThat(active(TENANT)).isEqualTo(1);
            end.accept(stream);
            awaitActive(TENANT, 0);
            return stream.awaitEnd();
        } finally {
            stream.close();
        }
    }

    @Test
    void releasedOnNormalCompletion() {
        Status status = sessionEndedBy(textConfig(), stream -> {
            stream.send(userText("hello"));
            stream.await(EventCase.TURN_COMPLETE);
            stream.halfClose();
            assertThat(stream.awaitEnd().getCode()).isEqualTo(Status.Code.OK);
        });
        assertThat(status.getCode()).isEqualTo(Status.Code.OK);
    }

    @Test
    void releasedWhenTheCallerCancels() {
        Status status = sessionEndedBy(textConfig(), GatewayStream::cancel);
        assertThat(status.getCode()).isEqualTo(Status.Code.CANCELLED);
    }

    @Test
    void releasedWhenTheCallersConnectionDrops() {
        sessionEndedBy(textConfig(), GatewayStream::dropConnection);
    }

    @Test
    void releasedOnInvalidInput() {
        Status status = sessionEndedBy(textConfig(), stream -> stream.send(ClientEvent.getDefaultInstance()));
        assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    }

    @Test
    void releasedOnUpstreamFailure() {
        String marker = UUID.randomUUID().toString();
        emulator.faults().add(FaultRule.close(FaultRule.LiveError.INVALID_ARGUMENT).forSetupContaining(marker)
                .afterMessages(1).build());
        Status status = sessionEndedBy(textConfig().toBuilder().setSystemInstruction("marker " + marker).build(),
                stream -> stream.send(userText("hello")));
        assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(status.getDescription()).contains("1007");
    }

    @Test
    void releasedWhenAnOperatorEndsTheSession() {
        Status status = sessionEndedBy(textConfig(), stream -> {
            String id = stream.events().stream().filter(e -> e.getEventCase() == EventCase.SESSION_STARTED)
                    .findFirst().orElseThrow().getSessionStarted().getGatewaySessionId();
            given().when().delete(base + "v1/sessions/" + id).then().statusCode(202);
        });
        assertThat(status.getCode()).isEqualTo(Status.Code.CANCELLED);
    }

    @Test
    void aFullTenantIsRefusedWithTheLimitAndARetryDelay() throws Exception {
        List<GatewayStream> held = new ArrayList<>();
        try {
            for (int i = 0; i < AdmissionLimitsProfile.DEFAULT_LIMIT; i++) {
                GatewayStream stream = GatewayStream.open(base.getPort());
                held.add(stream);
                stream.config(textConfig());
                stream.await(EventCase.SESSION_STARTED);
            }
            try (GatewayStream refused = GatewayStream.open(base.getPort())) {
                refused.config(textConfig());
                Status status = refused.assertEndsWith(Status.Code.RESOURCE_EXHAUSTED,
                        "tenant default: " + AdmissionLimitsProfile.DEFAULT_LIMIT + " concurrent sessions");
                com.google.rpc.Status rich = StatusProto.fromStatusAndTrailers(status, refused.trailers());
                assertThat(rich).as("rich status in the trailers").isNotNull();
                assertThat(rich.getDetailsList()).anySatisfy(any -> {
                    assertThat(any.is(RetryInfo.class)).isTrue();
                    assertThat(any.unpack(RetryInfo.class).getRetryDelay().getSeconds()).isEqualTo(3);
                });
                assertThat(refused.kinds()).doesNotContain(EventCase.SESSION_STARTED);
            }
            assertThat(active(TENANT)).isEqualTo(AdmissionLimitsProfile.DEFAULT_LIMIT);
        } finally {
            held.forEach(GatewayStream::close);
        }
        awaitActive(TENANT, 0);
        // Room again: a new session is admitted.
        sessionEndedBy(textConfig(), GatewayStream::cancel);
    }

    @Test
    void noLeaseLeaksAfterAThousandRapidStreams() throws Exception {
        int cycles = 1000;
        int callers = 4;
        AtomicInteger next = new AtomicInteger();
        AtomicInteger halfClosed = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < callers; w++) {
                workers.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < cycles; i = next.getAndIncrement()) {
                        try (GatewayStream stream = GatewayStream.open(base.getPort(), AdmissionLimitsProfile.CHURN_KEY)) {
                            stream.config(textConfig());
                            stream.await(EventCase.SESSION_STARTED);
                            if (i % 2 == 0) {
                                stream.cancel();
                            } else {
                                stream.halfClose();
                                assertThat(stream.awaitEnd().getCode()).isEqualTo(Status.Code.OK);
                                halfClosed.incrementAndGet();
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(halfClosed.get()).isEqualTo(cycles / 2);
        awaitActive("churn", 0);
        assertThat(quota.localLeaseCount()).isZero();
        given().when().get(base + "v1/quotas/tenants/churn").then().statusCode(200)
                .body("activeSessions", org.hamcrest.Matchers.equalTo(0));
    }
}
