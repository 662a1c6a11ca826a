package dev.livegateway.auth;

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
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import dev.livegateway.metrics.PrometheusScrape;
import org.junit.jupiter.api.Test;

/** Converse as in production: tenant keys, resume tokens bound to their tenant, tenant quotas. */
@QuarkusTest
@TestProfile(AuthEnforcedProfile.class)
class ConverseAuthTest {

    @TestHTTPResource("/")
    URL base;

    private static final SessionConfig TEXT = SessionConfig.newBuilder().setResponseModality(Modality.MODALITY_TEXT).build();

    private static ClientEvent say(String text) {
        return ClientEvent.newBuilder().setTurn(ClientTurn.newBuilder().setTurnComplete(true)
                .addTurns(Turn.newBuilder().addParts(Part.newBuilder().setText(text)))).build();
    }

    @Test
    void converseNeedsATenantKey() {
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            stream.config(TEXT);
            Status status = stream.awaitEnd();
            assertThat(status.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(status.getDescription()).contains("authorization");
        }
        try (GatewayStream stream = GatewayStream.open(base.getPort(), "not-a-key")) {
            stream.config(TEXT);
            assertThat(stream.awaitEnd().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        }
        try (GatewayStream stream = GatewayStream.open(base.getPort(), AuthEnforcedProfile.TEAM_A_KEY)) {
            stream.config(TEXT);
            assertThat(stream.await(EventCase.SESSION_STARTED).getSessionStarted().getTenant()).isEqualTo("team-a");
        }
    }

    @Test
    void resumeTokenWorksOnlyForItsTenantAndIsNotBurntByOthers() {
        String token;
        String live;
        try (GatewayStream stream = GatewayStream.open(base.getPort(), AuthEnforcedProfile.TEAM_A_KEY)) {
            stream.config(TEXT);
            live = stream.await(EventCase.SESSION_STARTED).getSessionStarted().getUpstreamSessionId();
            stream.send(say("keep this"));
            stream.await(EventCase.TURN_COMPLETE);
            token = stream.await(EventCase.RESUME_TOKEN_UPDATE).getResumeTokenUpdate().getToken();
        }
        try (GatewayStream thief = GatewayStream.open(base.getPort(), AuthEnforcedProfile.TEAM_B_FIRST_KEY)) {
            thief.config(SessionConfig.newBuilder().setResumeToken(token).build());
            Status status = thief.awaitEnd();
            assertThat(status.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
            assertThat(status.getDescription()).contains("resume_token", "another tenant");
        }
        try (GatewayStream owner = GatewayStream.open(base.getPort(), AuthEnforcedProfile.TEAM_A_KEY)) {
            owner.config(SessionConfig.newBuilder().setResumeToken(token).build());
            var started = owner.await(EventCase.SESSION_STARTED).getSessionStarted();
            assertThat(started.getResumed()).isTrue();
            assertThat(started.getUpstreamSessionId()).isEqualTo(live);
        }
    }

    @Test
    void tenantQuotaRefusesTheFourthSession() throws Exception {
        List<GatewayStream> held = new ArrayList<>();
        Map<String, String> refusedLabels = Map.of("tenant", "team-a", "outcome", "quota_exceeded");
        double refusedBefore = PrometheusScrape.now().sum("live_gateway_admissions_total", refusedLabels);
        try {
            for (int i = 0; i < 3; i++) {
                GatewayStream stream = GatewayStream.open(base.getPort(), AuthEnforcedProfile.TEAM_A_KEY);
                held.add(stream);
                stream.config(TEXT);
                stream.await(EventCase.SESSION_STARTED);
            }
            try (GatewayStream fourth = GatewayStream.open(base.getPort(), AuthEnforcedProfile.TEAM_A_KEY)) {
                fourth.config(TEXT);
                Status status = fourth.awaitEnd();
                assertThat(status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                assertThat(status.getDescription()).contains("team-a", "3");
                var rich = StatusProto.fromStatusAndTrailers(status, fourth.trailers());
                assertThat(rich.getDetailsList()).anySatisfy(d -> assertThat(d.is(RetryInfo.class)).isTrue());
            }
            assertThat(PrometheusScrape.now().sum("live_gateway_admissions_total", refusedLabels))
                    .as("refusals are counted by reason").isEqualTo(refusedBefore + 1);
        } finally {
            held.forEach(GatewayStream::close);
        }
    }

    @Test
    void resumeTokenSurvivesARefusedAdmission() {
        String token;
        try (GatewayStream stream = GatewayStream.open(base.getPort(), AuthEnforcedProfile.TEAM_A_KEY)) {
            stream.config(TEXT);
            stream.await(EventCase.SESSION_STARTED);
            stream.send(say("remember me"));
            stream.await(EventCase.TURN_COMPLETE);
            token = stream.await(EventCase.RESUME_TOKEN_UPDATE).getResumeTokenUpdate().getToken();
        }
        List<GatewayStream> held = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                GatewayStream stream = GatewayStream.open(base.getPort(), AuthEnforcedProfile.TEAM_A_KEY);
                held.add(stream);
                stream.config(TEXT);
                stream.await(EventCase.SESSION_STARTED);
            }
            try (GatewayStream refused = GatewayStream.open(base.getPort(), AuthEnforcedProfile.TEAM_A_KEY)) {
                refused.config(SessionConfig.newBuilder().setResumeToken(token).build());
                assertThat(refused.awaitEnd().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            }
        } finally {
            held.forEach(GatewayStream::close);
        }
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() -> {
            try (GatewayStream retry = GatewayStream.open(base.getPort(), AuthEnforcedProfile.TEAM_A_KEY)) {
                retry.config(SessionConfig.newBuilder().setResumeToken(token).build());
                assertThat(retry.await(EventCase.SESSION_STARTED).getSessionStarted().getResumed())
                        .as("the token still works once there is room").isTrue();
            }
        });
    }
}
