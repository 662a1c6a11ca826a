package dev.livegateway.health;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.livegateway.testing.OneWayProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * After an OutOfMemoryError the replica reports itself not live on the real HTTP port, so that the
 * kubelet restarts it (issue 13, defect 2); the container image also exits on the error
 * (-XX:+ExitOnOutOfMemoryError). The state cannot be undone: the application is shared only with
 * another test that ends it for good ({@link OneWayProfile}: the drain test, which runs first).
 */
@QuarkusTest
@TestProfile(OneWayProfile.class)
class OutOfMemoryLivenessTest {

    @Inject
    Vertx vertx;

    /** The port serving /q/health: the management interface when it is enabled, else the HTTP port. */
    private static RequestSpecification health() {
        var config = ConfigProvider.getConfig();
        return config.getOptionalValue("quarkus.management.enabled", Boolean.class).orElse(false)
                ? given().port(config.getValue("quarkus.management.test-port", Integer.class))
                : given();
    }

    @Test
    void anOutOfMemoryErrorInAnEventLoopHandlerTurnsLivenessDown() {
        health().get("/q/health/live").then().statusCode(200)
                .body("checks.find { it.name == 'heap' }.status", equalTo("UP"));

        // Thrown where the errors were thrown: in a handler on a Vert.x event loop.
        vertx.runOnContext(v -> {
            throw new OutOfMemoryError("Java heap space (simulated by OutOfMemoryLivenessTest)");
        });

        Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> health().get("/q/health/live").then()
                .statusCode(503)
                .body("checks.find { it.name == 'heap' }.status", equalTo("DOWN"))
                .body("checks.find { it.name == 'heap' }.data.outOfMemoryErrors", equalTo(1)));
        // Readiness is not what restarts a pod; liveness is. The other liveness checks stay UP.
        health().get("/q/health/live").then().body("checks.status", hasItem("UP"));
    }
}
