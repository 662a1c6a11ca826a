package dev.livegateway.health;

import static dev.livegateway.metrics.Conversations.textConfig;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.livegateway.GatewayStream;
import dev.livegateway.ManagementPort;
import dev.livegateway.emulator.EmbeddedEmulator;
import dev.livegateway.emulator.FaultRule;
import dev.livegateway.upstream.LiveConnector;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus;
import io.grpc.Status;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * /q/health/live, /q/health/ready (on the management port, not the caller port) and
 * grpc.health.v1.Health (on the caller port) on the real ports.
 */
@QuarkusTest
class ReadinessTest {

    @TestHTTPResource("/")
    URL base;

    @Inject
    EmbeddedEmulator emulator;

    @Inject
    CircuitBreakerMaintenance breakers;

    @AfterEach
    void restore() {
        emulator.faults().clear();
        breakers.reset(LiveConnector.BREAKER);
    }

    @Test
    void healthAndMetricsAreServedOnTheManagementPortOnly() {
        assertThat(ManagementPort.port()).isPositive().isNotEqualTo(base.getPort());
        for (String path : List.of("/q/metrics", "/q/health", "/q/health/ready", "/q/health/live", "/q/health/started")) {
            given().get(path).then().statusCode(404);
            ManagementPort.given().get(path).then().statusCode(200);
        }
        ManagementPort.given().accept("text/plain").get("/q/metrics").then()
                .body(containsString("# TYPE "));
    }

    @Test
    void readyAndLiveWhenTheUpstreamAnswers() {
        ManagementPort.given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("live-gateway"))
                .body("checks.find { it.name == 'live-gateway' }.data.upstream",
                        equalTo("tcp://127.0.0.1:" + emulator.port()))
                .body("checks.find { it.name == 'live-gateway' }.data.upstreamAnswered", equalTo(true))
                .body("checks.find { it.name == 'live-gateway' }.data.draining", equalTo(false));
        ManagementPort.given().get("/q/health/live").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("event-loops"));
        assertThat(GrpcHealthProbe.status(base.getPort(), "")).isEqualTo(ServingStatus.SERVING);
        assertThat(GrpcHealthProbe.status(base.getPort(), "livegateway.v1.LiveGateway")).isEqualTo(ServingStatus.SERVING);
    }

    @Test
    void notReadyWhileTheConnectCircuitBreakerIsOpen() {
        // every connect attempt is refused with 503 until the breaker (10 calls, 80 % failures) opens
        emulator.faults().add(FaultRule.of(FaultRule.Action.REFUSE_UPGRADE).httpStatus(503).forNextConnections(40).build());
        List<GatewayStream> streams = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                GatewayStream stream = GatewayStream.open(base.getPort());
                stream.config(textConfig());
                streams.add(stream);
            }
            for (GatewayStream stream : streams) {
                assertThat(stream.awaitEnd().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            }
        } finally {
            streams.forEach(GatewayStream::close);
        }
        assertThat(breakers.currentState(LiveConnector.BREAKER)).isEqualTo(CircuitBreakerState.OPEN);
        ManagementPort.given().get("/q/health/ready").then().statusCode(503)
                .body("status", equalTo("DOWN"))
                .body("checks.find { it.name == 'live-gateway' }.data.circuitBreaker", equalTo("OPEN"));
        Awaitility.await().atMost(Duration.ofSeconds(15))
                .until(() -> GrpcHealthProbe.status(base.getPort(), "") == ServingStatus.NOT_SERVING);
        // liveness is not affected: restarting the pod would not bring the Live API back
        ManagementPort.given().get("/q/health/live").then().statusCode(200);

        breakers.reset(LiveConnector.BREAKER);
        // the gRPC health status (also read by Quarkus' "gRPC Server" readiness check) follows within a second
        Awaitility.await().atMost(Duration.ofSeconds(15))
                .until(() -> ManagementPort.given().get("/q/health/ready").then().extract().statusCode() == 200);
        Awaitility.await().atMost(Duration.ofSeconds(15))
                .until(() -> GrpcHealthProbe.status(base.getPort(), "") == ServingStatus.SERVING);
    }
}
