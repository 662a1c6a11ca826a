package dev.livegateway.replicas;

import static dev.livegateway.replicas.GatewayLeaseTest.textConfig;
import static dev.livegateway.replicas.GatewayLeaseTest.userText;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.livegateway.GatewayStream;
import dev.livegateway.api.v1.ServerEvent.EventCase;
import dev.livegateway.api.v1.ToolReference;
import dev.livegateway.quota.QuotaService;
import dev.livegateway.testing.RedisTestServer;
import io.grpc.Status;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The gateway with every shared store in a real Redis that goes away: admissions are refused with
 * UNAVAILABLE saying the shared store is down (never its address), a running conversation carries on, and admissions resume by
 * themselves when Redis is back (here empty, as a Redis without persistence restarts).
 */
@QuarkusTest
@WithTestResource(SharedRedisResource.class)
class RedisOutageTest {

    @SharedRedisResource.InjectRedis
    RedisTestServer redis;

    @TestHTTPResource("/")
    URL base;

    @Inject
    QuotaService quota;

    private int active() {
        return quota.tenantUsage("default").await().atMost(Duration.ofSeconds(15)).activeSessions();
    }

    private static void talk(GatewayStream stream, String text) {
        int before = stream.text().length();
        stream.send(userText(text));
        stream.await(e -> e.getEventCase() == EventCase.TURN_COMPLETE, "answer to " + text, GatewayStream.WAIT);
        assertThat(stream.text().substring(before)).contains(text);
    }

    @Test
    void redisDownRefusesNewSessionsKeepsRunningOnesAndRecovers() throws Exception {
        try (GatewayStream running = GatewayStream.open(base.getPort())) {
            running.config(textConfig());
            running.await(EventCase.SESSION_STARTED);
            talk(running, "before the outage");
            assertThat(active()).isEqualTo(1);

            redis.stop();
            try {
                long start = System.nanoTime();
                try (GatewayStream refused = GatewayStream.open(base.getPort())) {
                    refused.config(textConfig());
                    Status status = refused.assertEndsWith(Status.Code.UNAVAILABLE, "shared store is unavailable");
                    assertThat(status.getDescription()).contains("No new sessions are admitted until it is back")
                            .doesNotContain("127.0.0.1", String.valueOf(redis.port()), "Redis at");
                    assertThat(refused.kinds()).doesNotContain(EventCase.SESSION_STARTED);
                }
                assertThat(Duration.ofNanos(System.nanoTime() - start)).as("refused promptly").isLessThan(Duration.ofSeconds(5));

                // Resume tokens and the tool registry are in Redis too: refused with UNAVAILABLE, not INTERNAL.
                try (GatewayStream resuming = GatewayStream.open(base.getPort())) {
                    resuming.config(textConfig().toBuilder().setResumeToken("lgrt_unknown").build());
                    assertThat(resuming.assertEndsWith(Status.Code.UNAVAILABLE, "shared store is unavailable")
                            .getDescription()).doesNotContain("127.0.0.1", String.valueOf(redis.port()));
                }
                try (GatewayStream withTools = GatewayStream.open(base.getPort())) {
                    withTools.config(textConfig().toBuilder().addTools(ToolReference.newBuilder().setName("light-switch")).build());
                    assertThat(withTools.assertEndsWith(Status.Code.UNAVAILABLE, "shared store is unavailable")
                            .getDescription()).doesNotContain("127.0.0.1", String.valueOf(redis.port()));
                }
                // The callers learn that the store is down, never where it is; the log keeps the address.
                given().when().get(base + "v1/tools").then().statusCode(503)
                        .body("detail", org.hamcrest.Matchers.containsString("shared store is unavailable"))
                        .body("detail", org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("127.0.0.1")))
                        .body("detail", org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString(
                                String.valueOf(redis.port()))));

                // Longer than the lease TTL: the running session is not ended and keeps talking.
                Thread.sleep(1500);
                talk(running, "during the outage");
            } finally {
                redis.startAgain();
            }

            // Back (empty): the running session's lease is re-created, new sessions are admitted.
            Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                    .untilAsserted(() -> assertThat(active()).isEqualTo(1));
            try (GatewayStream second = awaitAdmitted()) {
                talk(second, "after the outage");
                assertThat(active()).isEqualTo(2);
            }
            talk(running, "still there");
            running.halfClose();
            assertThat(running.awaitEnd().getCode()).isEqualTo(Status.Code.OK);
        }
        Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(active()).isZero());
    }

    /** Opens sessions until one is admitted: Lettuce reconnects with a backoff of up to 5 s. */
    private GatewayStream awaitAdmitted() {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (true) {
            GatewayStream stream = GatewayStream.open(base.getPort());
            stream.config(textConfig());
            try {
                stream.await(e -> e.getEventCase() == EventCase.SESSION_STARTED, "session started", Duration.ofSeconds(5));
                return stream;
            } catch (AssertionError refused) {
                stream.close();
                if (System.nanoTime() > deadline) {
                    throw refused;
                }
            }
        }
    }
}
