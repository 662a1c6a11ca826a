package dev.livegateway.metrics;

import static dev.livegateway.metrics.Conversations.textConfig;
import static dev.livegateway.metrics.Conversations.userText;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.livegateway.GatewayStream;
import dev.livegateway.TestAudio;
import dev.livegateway.api.v1.AudioChunk;
import dev.livegateway.api.v1.ClientEvent;
import dev.livegateway.api.v1.ServerEvent.EventCase;
import io.grpc.Status;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * {@code live_gateway_relay_seconds{direction}}: a conversation through the real gRPC port and
 * the embedded emulator moves both directions' histograms, seen through the real /q/metrics.
 */
@QuarkusTest
class RelayTimesTest {

    private static final String RELAY = "live_gateway_relay_seconds";
    private static final Map<String, String> TO_MODEL = Map.of("direction", "to_model");
    private static final Map<String, String> TO_CALLER = Map.of("direction", "to_caller");
    private static final Map<String, String> TENANT = Map.of("tenant", "default");

    @TestHTTPResource("/")
    URL base;

    @Test
    void bothDirectionsAreTimed() {
        PrometheusScrape before = PrometheusScrape.now();
        assertThat(before.has(RELAY + "_bucket")).as("both histograms exist from the first scrape").isTrue();
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            stream.config(textConfig());
            stream.await(EventCase.SESSION_STARTED);
            byte[] tone = TestAudio.tone(16000, 20, 440);
            for (int i = 0; i < 5; i++) {
                stream.send(ClientEvent.newBuilder().setAudio(AudioChunk.newBuilder()
                        .setData(ByteString.copyFrom(tone)).setSampleRateHz(16000)).build());
            }
            stream.send(userText("How long does a message stay in the gateway?"));
            stream.await(EventCase.TURN_COMPLETE);
            stream.halfClose();
            assertThat(stream.awaitEnd().getCode()).isEqualTo(Status.Code.OK);
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() ->
                PrometheusScrape.now().sum("live_gateway_streams_ended_total", Map.of("tenant", "default", "status", "OK"))
                        > before.sum("live_gateway_streams_ended_total", Map.of("tenant", "default", "status", "OK")));
        PrometheusScrape after = PrometheusScrape.now();

        double toModel = delta(before, after, RELAY + "_count", TO_MODEL);
        double toCaller = delta(before, after, RELAY + "_count", TO_CALLER);
        // Every caller event sent on the open connection is timed: the five chunks and the turn.
        assertThat(toModel).isEqualTo(delta(before, after, "live_gateway_messages_to_upstream_total", TENANT))
                .isGreaterThanOrEqualTo(6);
        // Every Live API message after setupComplete is timed: the model's answer, turnComplete, usage...
        assertThat(toCaller).isEqualTo(delta(before, after, "live_gateway_messages_from_upstream_total", TENANT))
                .isGreaterThanOrEqualTo(3);
        assertThat(delta(before, after, RELAY + "_sum", TO_MODEL)).isPositive();
        assertThat(delta(before, after, RELAY + "_sum", TO_CALLER)).isPositive();
        // A histogram, not a summary: its largest bucket counts every observation.
        assertThat(delta(before, after, RELAY + "_bucket", Map.of("direction", "to_model", "le", "+Inf")))
                .isEqualTo(toModel);
    }

    private static double delta(PrometheusScrape before, PrometheusScrape after, String name, Map<String, String> labels) {
        return after.sum(name, labels) - before.sum(name, labels);
    }
}
