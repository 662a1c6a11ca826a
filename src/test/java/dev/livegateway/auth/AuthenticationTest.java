package dev.livegateway.auth;

import static dev.livegateway.auth.AuthEnforcedProfile.ADMIN_KEY;
import static dev.livegateway.auth.AuthEnforcedProfile.TEAM_A_KEY;
import static dev.livegateway.auth.AuthEnforcedProfile.TEAM_B_FIRST_KEY;
import static dev.livegateway.auth.AuthEnforcedProfile.TEAM_B_SECOND_KEY;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.livegateway.ManagementPort;
import dev.livegateway.quota.AdmissionRequest;
import dev.livegateway.quota.Lease;
import dev.livegateway.quota.LeaseTermination;
import dev.livegateway.quota.QuotaService;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Caller authentication on the real server: gRPC tenant keys, key rotation, and the admin REST API. */
@QuarkusTest
@TestProfile(AuthEnforcedProfile.class)
class AuthenticationTest {

    @TestHTTPResource("/")
    URL root;

    @Inject
    QuotaService quota;

    private ManagedChannel channel;

    @BeforeEach
    void connect() {
        channel = ManagedChannelBuilder.forAddress(root.getHost(), root.getPort()).usePlaintext().build();
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private String whoami(Metadata headers) {
        return ClientCalls.blockingUnaryCall(io.grpc.ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers)),
                WhoamiTestService.WHOAMI, CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), "");
    }

    private static Metadata bearer(String key) {
        Metadata headers = new Metadata();
        headers.put(GrpcAuthInterceptor.AUTHORIZATION, "Bearer " + key);
        return headers;
    }

    private static Metadata apiKey(String key) {
        Metadata headers = new Metadata();
        headers.put(GrpcAuthInterceptor.API_KEY, key);
        return headers;
    }

    private StatusRuntimeException refusal(Metadata headers) {
        try {
            whoami(headers);
        } catch (StatusRuntimeException e) {
            return e;
        }
        throw new AssertionError("the call was not refused");
    }

    @Test
    void grpcCallWithoutKeyIsUnauthenticatedAndSaysWhatToSend() {
        StatusRuntimeException refused = refusal(new Metadata());
        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(refused.getStatus().getDescription())
                .contains("authorization: Bearer <key>").contains("x-api-key: <key>");
    }

    @Test
    void grpcCallWithWrongKeyIsUnauthenticatedWithoutEchoingTheKey() {
        StatusRuntimeException refused = refusal(bearer("not-a-real-key-123"));
        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(refused.getStatus().getDescription()).contains("Unknown API key").doesNotContain("not-a-real-key-123");
        assertThat(refusal(apiKey("not-a-real-key-123")).getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        Metadata malformed = new Metadata();
        malformed.put(GrpcAuthInterceptor.AUTHORIZATION, "Basic " + TEAM_A_KEY);
        assertThat(refusal(malformed).getStatus().getDescription()).contains("Bearer <key>").doesNotContain(TEAM_A_KEY);
    }

    @Test
    void grpcCallWithTenantKeyRunsAsThatTenant() {
        assertThat(whoami(bearer(TEAM_A_KEY))).isEqualTo("team-a");
        assertThat(whoami(apiKey(TEAM_A_KEY))).isEqualTo("team-a");
    }

    @Test
    void adminKeyIsNotATenantKey() {
        StatusRuntimeException refused = refusal(bearer(ADMIN_KEY));
        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(refused.getStatus().getDescription()).contains("admin key is not a tenant key");
    }

    @Test
    void rotatedKeyInTheTenantsFileIsPickedUpWithoutRestart() throws Exception {
        try {
            assertThat(whoami(bearer(TEAM_B_FIRST_KEY))).isEqualTo("team-b");
            // Rotation step 1: both keys valid while callers move over.
            AuthEnforcedProfile.writeTeamBKeys(AuthEnforcedProfile.TENANTS_FILE, TEAM_B_FIRST_KEY, TEAM_B_SECOND_KEY);
            awaitTrue("the new key is accepted", () -> accepted(TEAM_B_SECOND_KEY));
            assertThat(whoami(bearer(TEAM_B_FIRST_KEY))).isEqualTo("team-b");
            // Step 2: the old key is withdrawn.
            AuthEnforcedProfile.writeTeamBKeys(AuthEnforcedProfile.TENANTS_FILE, TEAM_B_SECOND_KEY);
            awaitTrue("the old key is refused", () -> !accepted(TEAM_B_FIRST_KEY));
            assertThat(whoami(bearer(TEAM_B_SECOND_KEY))).isEqualTo("team-b");
            // A broken file does not lock anyone out: the last good keys stay.
            java.nio.file.Files.writeString(AuthEnforcedProfile.TENANTS_FILE, "tenants: [not, a, mapping");
            Thread.sleep(600);
            assertThat(whoami(bearer(TEAM_B_SECOND_KEY))).isEqualTo("team-b");
            assertThat(whoami(bearer(TEAM_A_KEY))).isEqualTo("team-a");
        } finally {
            AuthEnforcedProfile.writeTeamBKeys(AuthEnforcedProfile.TENANTS_FILE, TEAM_B_FIRST_KEY);
        }
    }

    private boolean accepted(String key) {
        try {
            return "team-b".equals(whoami(bearer(key)));
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.UNAUTHENTICATED) {
                throw e;
            }
            return false;
        }
    }

    private static void awaitTrue(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out waiting until " + what);
            }
            Thread.sleep(50);
        }
    }

    @Test
    void adminApiNeedsAnAdminKey() {
        given().when().get("/v1/sessions").then()
                .statusCode(401)
                .header("WWW-Authenticate", containsString("Bearer"))
                .contentType("application/problem+json")
                .body("status", equalTo(401))
                .body("detail", containsString("admin key"));
        given().header("Authorization", "Bearer wrong-key").when().get("/v1/quotas").then().statusCode(401);
        given().header("Authorization", "Bearer " + TEAM_A_KEY).when().get("/v1/quotas").then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("detail", containsString("tenant key"));
        given().header("X-API-Key", TEAM_A_KEY).when().get("/v1/sessions").then().statusCode(403);
        given().header("Authorization", "Bearer " + ADMIN_KEY).when().get("/v1/sessions").then().statusCode(200);
        given().header("X-API-Key", ADMIN_KEY).when().get("/v1/quotas").then().statusCode(200);
        // Unknown admin paths are still guarded: no probing without a key.
        given().when().get("/v1/no-such-thing").then().statusCode(401);
    }

    @Test
    void healthAndMetricsStayOpen() {
        ManagementPort.given().when().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void operatorsSeeQuotasAndEndSessions() throws Exception {
        String sessionId = "s-" + UUID.randomUUID();
        Lease lease = quota.admit(new AdmissionRequest(sessionId, "team-a", "proj/us-central1/gemini-live-2.5-flash",
                "gemini-live-2.5-flash")).await().atMost(Duration.ofSeconds(15));
        AtomicReference<LeaseTermination> ended = new AtomicReference<>();
        lease.onTerminated(ended::set);
        try {
            given().header("X-API-Key", ADMIN_KEY).when().get("/v1/quotas/tenants/team-a").then()
                    .statusCode(200)
                    .body("maxConcurrentSessions", equalTo(3))
                    .body("activeSessions", equalTo(1));
            given().header("X-API-Key", ADMIN_KEY).when().get("/v1/quotas").then()
                    .statusCode(200)
                    .body("tenants.tenant", hasItem("team-b"))
                    .body("pools.pool", hasItem("proj/us-central1/gemini-live-2.5-flash"));
            given().header("X-API-Key", ADMIN_KEY).when().get("/v1/sessions?tenant=team-a").then()
                    .statusCode(200)
                    .body("sessionId", hasItem(sessionId))
                    .body("find { it.sessionId == '" + sessionId + "' }.replica", equalTo(quota.replicaId()));

            given().header("X-API-Key", ADMIN_KEY).when().delete("/v1/sessions/" + sessionId).then().statusCode(202);
            awaitTrue("the session's owner is told", () -> ended.get() != null);
            assertThat(ended.get().reason()).isEqualTo(LeaseTermination.Reason.REVOKED);
            given().header("X-API-Key", ADMIN_KEY).when().get("/v1/sessions/" + sessionId).then()
                    .statusCode(200).body("revoked", equalTo(true));
        } finally {
            lease.release().await().atMost(Duration.ofSeconds(15));
        }
        given().header("X-API-Key", ADMIN_KEY).when().get("/v1/sessions/" + sessionId).then().statusCode(404);
        given().header("X-API-Key", ADMIN_KEY).when().delete("/v1/sessions/" + sessionId).then()
                .statusCode(404).contentType("application/problem+json");
        assertThatThrownBy(CallerContext::tenant).isInstanceOf(IllegalStateException.class);
    }
}
