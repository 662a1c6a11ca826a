package dev.livegateway.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.livegateway.GatewayStream;
import dev.livegateway.api.v1.Modality;
import dev.livegateway.api.v1.ServerEvent.EventCase;
import dev.livegateway.api.v1.SessionConfig;
import dev.livegateway.api.v1.SessionStarted;
import dev.livegateway.api.v1.ToolReference;
import io.grpc.Status;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.net.URL;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Who may use a registry tool is decided by the entry's current version, also when a session
 * pins an older one: the tool is created through the admin REST API, narrowed, and then
 * referenced through the real gRPC port by two tenants.
 */
@QuarkusTest
@TestProfile(AuthEnforcedProfile.class)
class TenantToolAccessTest {

    private static final AtomicInteger NAMES = new AtomicInteger();

    @TestHTTPResource("/")
    URL base;

    private static String search(String name, String tenants) {
        return ("{'name':'" + name + "','tenants':[" + tenants + "],'googleSearch':{}}").replace('\'', '"');
    }

    private static String admin() {
        return "Bearer " + AuthEnforcedProfile.ADMIN_KEY;
    }

    /** Version 1 open to every tenant, version 2 narrowed to team-a; returns the name. */
    private static String createdThenNarrowed() {
        String name = "tenant-pin-" + NAMES.incrementAndGet();
        String v1 = given().header("Authorization", admin()).contentType(ContentType.JSON).body(search(name, ""))
                .post("/v1/tools").then().statusCode(201).extract().header("ETag");
        assertThat(v1).isEqualTo("\"" + name + ".1\"");
        given().header("Authorization", admin()).header("If-Match", v1).contentType(ContentType.JSON)
                .body(search(name, "'team-a'"))
                .put("/v1/tools/" + name).then().statusCode(200);
        return name;
    }

    private static SessionConfig pinned(String name, long version) {
        return SessionConfig.newBuilder().setResponseModality(Modality.MODALITY_TEXT)
                .addTools(ToolReference.newBuilder().setName(name).setVersion(version)).build();
    }

    @Test
    void pinningTheOpenOldVersionDoesNotBypassTheNarrowedCurrentOne() {
        String name = createdThenNarrowed();
        try (GatewayStream other = GatewayStream.open(base.getPort(), AuthEnforcedProfile.TEAM_B_FIRST_KEY)) {
            other.config(pinned(name, 1));
            Status status = other.awaitEnd();
            assertThat(status.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
            assertThat(status.getDescription()).contains("team-b", name);
        }
        try (GatewayStream other = GatewayStream.open(base.getPort(), AuthEnforcedProfile.TEAM_B_FIRST_KEY)) {
            other.config(pinned(name, 0));
            assertThat(other.awaitEnd().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        }
        try (GatewayStream allowed = GatewayStream.open(base.getPort(), AuthEnforcedProfile.TEAM_A_KEY)) {
            allowed.config(pinned(name, 1));
            SessionStarted started = allowed.await(EventCase.SESSION_STARTED).getSessionStarted();
            assertThat(started.getToolsList()).singleElement().satisfies(tool -> {
                assertThat(tool.getName()).isEqualTo(name);
                assertThat(tool.getVersion()).isEqualTo(1);
            });
        }
    }

    @Test
    void aDeletedToolIsNotReachableThroughAnOldVersion() {
        String name = createdThenNarrowed();
        given().header("Authorization", admin()).header("If-Match", "\"" + name + ".2\"")
                .delete("/v1/tools/" + name).then().statusCode(204);
        try (GatewayStream stream = GatewayStream.open(base.getPort(), AuthEnforcedProfile.TEAM_A_KEY)) {
            stream.config(pinned(name, 1));
            Status status = stream.awaitEnd();
            assertThat(status.getCode()).isEqualTo(Status.Code.NOT_FOUND);
            assertThat(status.getDescription()).contains(name);
        }
    }
}
