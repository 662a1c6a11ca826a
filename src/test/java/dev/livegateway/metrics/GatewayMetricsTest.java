package dev.livegateway.metrics;

import static dev.livegateway.metrics.Conversations.textConfig;
import static dev.livegateway.metrics.Conversations.userText;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.livegateway.GatewayStream;
import dev.livegateway.TestAudio;
import dev.livegateway.api.v1.AudioChunk;
import dev.livegateway.api.v1.ClientEvent;
import dev.livegateway.api.v1.ServerEvent;
import dev.livegateway.api.v1.ServerEvent.EventCase;
import dev.livegateway.api.v1.SessionConfig;
import dev.livegateway.emulator.EmbeddedEmulator;
import dev.livegateway.emulator.FaultRule;
import io.grpc.Status;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.ToDoubleFunction;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each live_gateway_* meter moves when its event happens, seen through the real /q/metrics. */
@QuarkusTest
class GatewayMetricsTest {

    static final Map<String, String> TENANT = Map.of("tenant", "default");
    static final Map<String, String> TENANT_MODEL = Map.of("tenant", "default", "model", "gemini-live-2.5-flash");

    @TestHTTPResource("/")
    URL base;

    @Inject
    EmbeddedEmulator emulator;

    @Inject
    GatewayMetrics metrics;

    @AfterEach
    void clearFaults() {
        emulator.faults().clear();
    }

    private static SessionConfig marked(String marker) {
        return textConfig().toBuilder().setSystemInstruction("metrics marker " + marker).build();
    }

    /** Waits until {@code metric} of a fresh scrape is at least {@code expected}. */
    private static PrometheusScrape awaitAtLeast(ToDoubleFunction<PrometheusScrape> metric, double expected) {
        PrometheusScrape[] last = new PrometheusScrape[1];
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
            last[0] = PrometheusScrape.now();
            return metric.applyAsDouble(last[0]) >= expected;
        });
        return last[0];
    }

    @Test
    void aConversationIsCountedEachWay() {
        PrometheusScrape before = PrometheusScrape.now();
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            stream.config(textConfig());
            stream.await(EventCase.SESSION_STARTED);
            stream.send(userText("How many meters does a gateway need?"));
            stream.await(EventCase.TURN_COMPLETE);
            ServerEvent usage = stream.await(EventCase.USAGE);
            stream.halfClose();
            assertThat(stream.awaitEnd().getCode()).isEqualTo(Status.Code.OK);
            int events = stream.events().size();

            PrometheusScrape after = awaitAtLeast(s -> s.sum("live_gateway_streams_ended_total",
                    Map.of("tenant", "default", "status", "OK")),
                    before.sum("live_gateway_streams_ended_total", Map.of("tenant", "default", "status", "OK")) + 1);

            assertThat(delta(before, after, "live_gateway_sessions_started_total", TENANT_MODEL)).isEqualTo(1);
            assertThat(delta(before, after, "live_gateway_upstream_connect_seconds_count", Map.of())).isEqualTo(1);
            assertThat(delta(before, after, "live_gateway_messages_to_upstream_total",
                    Map.of("tenant", "default", "kind", "turn"))).isEqualTo(1);
            assertThat(delta(before, after, "live_gateway_bytes_to_upstream_total",
                    Map.of("tenant", "default", "kind", "turn"))).isGreaterThan(30);
            assertThat(delta(before, after, "live_gateway_messages_from_upstream_total", TENANT)).isGreaterThanOrEqualTo(3);
            assertThat(delta(before, after, "live_gateway_events_to_caller_total", TENANT)).isEqualTo(events);
            assertThat(delta(before, after, "live_gateway_bytes_to_caller_total", TENANT))
                    .isEqualTo(stream.events().stream().mapToInt(ServerEvent::getSerializedSize).sum());
            assertThat(delta(before, after, "live_gateway_time_to_first_output_seconds_count", TENANT_MODEL)).isEqualTo(1);
            assertThat(delta(before, after, "live_gateway_tokens_total", Map.of("tenant", "default", "type", "response")))
                    .isEqualTo(usage.getUsage().getResponseTokenCount());
            assertThat(delta(before, after, "live_gateway_tokens_total", Map.of("tenant", "default", "type", "prompt")))
                    .isEqualTo(usage.getUsage().getPromptTokenCount());
            assertThat(delta(before, after, "live_gateway_session_duration_seconds_count", TENANT)).isEqualTo(1);
            assertThat(after.text()).doesNotContain("lg-"); // no session id in any label
        }
    }

    @Test
    void activeSessionsFollowOpenStreams() {
        double idle = PrometheusScrape.now().sum("live_gateway_sessions_active", TENANT_MODEL);
        GatewayStream first = GatewayStream.open(base.getPort());
        GatewayStream second = GatewayStream.open(base.getPort());
        try {
            first.config(textConfig());
            second.config(textConfig());
            first.await(EventCase.SESSION_STARTED);
            second.await(EventCase.SESSION_STARTED);
            assertThat(PrometheusScrape.now().sum("live_gateway_sessions_active", TENANT_MODEL)).isEqualTo(idle + 2);
            first.cancel();
            awaitAtMost(s -> s.sum("live_gateway_sessions_active", TENANT_MODEL), idle + 1);
        } finally {
            first.close();
            second.close();
        }
        awaitAtMost(s -> s.sum("live_gateway_sessions_active", TENANT_MODEL), idle);
        assertThat(PrometheusScrape.now().sum("live_gateway_streams_ended_total",
                Map.of("tenant", "default", "status", "CANCELLED"))).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aGoAwayMovesTheSessionAndIsCounted() {
        String marker = UUID.randomUUID().toString();
        emulator.faults().add(FaultRule.of(FaultRule.Action.GO_AWAY).goAwaySeconds(1).forSetupContaining(marker)
                .afterMessages(2).forNextConnections(1).build());
        PrometheusScrape before = PrometheusScrape.now();
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            stream.config(marked(marker));
            stream.await(EventCase.SESSION_STARTED);
            stream.send(userText("first turn"));
            stream.await(EventCase.TURN_COMPLETE);
            stream.send(userText("second turn"));
            int replayed = stream.await(EventCase.SESSION_RESUMED).getSessionResumed().getReplayedMessages();
            PrometheusScrape after = PrometheusScrape.now();
            assertThat(delta(before, after, "live_gateway_upstream_go_aways_total", Map.of())).isEqualTo(1);
            assertThat(delta(before, after, "live_gateway_resume_attempts_total", Map.of("reason", "go_away"))).isEqualTo(1);
            assertThat(delta(before, after, "live_gateway_resumptions_total", Map.of("reason", "go_away"))).isEqualTo(1);
            assertThat(delta(before, after, "live_gateway_resume_duration_seconds_count", Map.of("reason", "go_away")))
                    .isEqualTo(1);
            assertThat(delta(before, after, "live_gateway_replayed_messages_total", Map.of())).isEqualTo(replayed);
        }
    }

    @Test
    void aDroppedConnectionIsResumedAndItsReplayCounted() {
        String marker = UUID.randomUUID().toString();
        emulator.faults().add(FaultRule.of(FaultRule.Action.DROP).forSetupContaining(marker).afterMessages(3)
                .forNextConnections(1).build());
        PrometheusScrape before = PrometheusScrape.now();
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            stream.config(marked(marker).toBuilder().setInputAudioTranscription(true).build());
            stream.await(EventCase.SESSION_STARTED);
            byte[] tone = TestAudio.tone(16000, 200, 440);
            for (int i = 0; i < 6; i++) {
                stream.send(ClientEvent.newBuilder().setAudio(AudioChunk.newBuilder()
                        .setData(ByteString.copyFrom(tone)).setSampleRateHz(16000)).build());
            }
            int replayed = stream.await(EventCase.SESSION_RESUMED).getSessionResumed().getReplayedMessages();
            PrometheusScrape after = PrometheusScrape.now();
            assertThat(delta(before, after, "live_gateway_resumptions_total", Map.of("reason", "connection_lost")))
                    .isEqualTo(1);
            assertThat(delta(before, after, "live_gateway_replayed_messages_total", Map.of())).isEqualTo(replayed);
            assertThat(delta(before, after, "live_gateway_messages_to_upstream_total",
                    Map.of("tenant", "default", "kind", "audio"))).isEqualTo(6);
        }
    }

    @Test
    void failedStreamsAreCountedByStatus() {
        String marker = UUID.randomUUID().toString();
        emulator.faults().add(FaultRule.close(FaultRule.LiveError.NOT_FOUND).forSetupContaining(marker).afterMessages(1).build());
        Map<String, String> notFound = Map.of("tenant", "default", "status", "NOT_FOUND");
        double before = PrometheusScrape.now().sum("live_gateway_streams_ended_total", notFound);
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            stream.config(marked(marker));
            stream.await(EventCase.SESSION_STARTED);
            stream.send(userText("hello"));
            assertThat(stream.awaitEnd().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        }
        awaitAtLeast(s -> s.sum("live_gateway_streams_ended_total", notFound), before + 1);
    }

    @Test
    void admissionsAreCountedByOutcome() {
        Map<String, String> admitted = Map.of("tenant", "acme", "outcome", "admitted", "front", "grpc");
        Map<String, String> refused = Map.of("tenant", "acme", "outcome", "tenant_quota", "front", "websocket");
        PrometheusScrape before = PrometheusScrape.now();
        metrics.admitted("acme", "grpc");
        metrics.admitted("acme", "grpc");
        metrics.refused("acme", "tenant_quota", "websocket");
        PrometheusScrape after = PrometheusScrape.now();
        assertThat(delta(before, after, "live_gateway_admissions_total", admitted)).isEqualTo(2);
        assertThat(delta(before, after, "live_gateway_admissions_total", refused)).isEqualTo(1);
    }

    private static void awaitAtMost(ToDoubleFunction<PrometheusScrape> metric, double expected) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> metric.applyAsDouble(PrometheusScrape.now()) <= expected);
    }

    static double delta(PrometheusScrape before, PrometheusScrape after, String name, Map<String, String> labels) {
        return after.sum(name, labels) - before.sum(name, labels);
    }
}
