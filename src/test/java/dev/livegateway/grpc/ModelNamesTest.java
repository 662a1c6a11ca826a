package dev.livegateway.grpc;

import static dev.livegateway.grpc.ConverseTest.textConfig;
import static org.assertj.core.api.Assertions.assertThat;

import dev.livegateway.GatewayStream;
import dev.livegateway.api.v1.ServerEvent.EventCase;
import dev.livegateway.emulator.EmbeddedEmulator;
import dev.livegateway.emulator.RecordedConnection;
import dev.livegateway.metrics.PrometheusScrape;
import io.grpc.Status;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Callers choose the model, not the metrics' label values nor the project the gateway's
 * credentials are used for: through the real gRPC port, the emulator and /q/metrics.
 */
@QuarkusTest
class ModelNamesTest {

    private static final Pattern MODEL_LABEL = Pattern.compile("model=\"([^\"]*)\"");

    @TestHTTPResource("/")
    URL base;

    @Inject
    EmbeddedEmulator emulator;

    @Test
    void foreignProjectsAndPublishersAreRefusedBeforeAnyUpstreamConnection() {
        int before = emulator.recorder().connections().size();
        for (String model : new String[] {
            "projects/victim-project/locations/us-central1/publishers/google/models/gemini-live-2.5-flash",
            "projects/emulator/locations/europe-west4/publishers/google/models/gemini-live-2.5-flash",
            "publishers/acme/models/gemini-live-2.5-flash",
            "acme/gemini-live-2.5-flash",
            "projects/emulator/locations/us-central1/endpoints/1234",
        }) {
            try (GatewayStream stream = GatewayStream.open(base.getPort())) {
                stream.config(textConfig().toBuilder().setModel(model).build());
                Status status = stream.awaitEnd();
                assertThat(status.getCode()).as("%s: %s", model, status).isEqualTo(Status.Code.INVALID_ARGUMENT);
                assertThat(status.getDescription()).as(model).contains("config.model", "not allowed",
                        "projects/emulator/locations/us-central1/publishers/google/models/{id}",
                        "publishers/google/models/{id}");
                assertThat(stream.kinds()).doesNotContain(EventCase.SESSION_STARTED);
            }
        }
        assertThat(emulator.recorder().connections().size()).as("Live API connections opened").isEqualTo(before);
        assertThat(emulator.recorder().connections()).map(RecordedConnection::setupJson).map(String::valueOf)
                .noneMatch(setup -> setup.contains("victim-project") || setup.contains("acme")
                        || setup.contains("europe-west4") || setup.contains("endpoints/"));
    }

    @Test
    void theGatewaysOwnProjectAndGooglesPublisherAreAllowed() {
        String qualified = "projects/emulator/locations/us-central1/publishers/google/models/gemini-live-2.5-flash";
        for (String model : new String[] {qualified, "publishers/google/models/gemini-live-2.5-flash",
            "models/gemini-live-2.5-flash", "google/gemini-live-2.5-flash", "gemini-live-2.5-flash"}) {
            try (GatewayStream stream = GatewayStream.open(base.getPort())) {
                stream.config(textConfig().toBuilder().setModel(model).build());
                assertThat(stream.await(EventCase.SESSION_STARTED).getSessionStarted().getModel()).as(model)
                        .isEqualTo(qualified);
                stream.halfClose();
                assertThat(stream.awaitEnd().getCode()).isEqualTo(Status.Code.OK);
            }
        }
    }

    @Test
    void modelNamesCallersMakeUpShareOneSeries() {
        double otherBefore = PrometheusScrape.now().sum("live_gateway_sessions_started_total",
                Map.of("tenant", "default", "model", "other"));
        String run = UUID.randomUUID().toString().substring(0, 8);
        int sessions = 12;
        for (int i = 0; i < sessions; i++) {
            // The emulator knows every model whose id contains "live": each of these sessions starts.
            try (GatewayStream stream = GatewayStream.open(base.getPort())) {
                stream.config(textConfig().toBuilder().setModel("made-up-live-" + run + "-" + i).build());
                stream.await(EventCase.SESSION_STARTED);
                stream.halfClose();
                assertThat(stream.awaitEnd().getCode()).isEqualTo(Status.Code.OK);
            }
        }
        for (String model : new String[] {"gemini-3.1-flash-live-preview", "gemini-3.8-live"}) {
            try (GatewayStream known = GatewayStream.open(base.getPort())) {
                known.config(textConfig().toBuilder().setModel(model).build());
                known.await(EventCase.SESSION_STARTED);
                known.halfClose();
                known.awaitEnd();
            }
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            PrometheusScrape after = PrometheusScrape.now();
            assertThat(after.sum("live_gateway_sessions_started_total", Map.of("tenant", "default", "model", "other")))
                    .isEqualTo(otherBefore + sessions);
            assertThat(modelLabels(after)).as("model label values").noneMatch(m -> m.contains(run))
                    .contains("other", "gemini-3.1-flash-live-preview", "gemini-3.8-live");
        });
    }

    private static Set<String> modelLabels(PrometheusScrape scrape) {
        Set<String> models = new TreeSet<>();
        Matcher m = MODEL_LABEL.matcher(scrape.text());
        while (m.find()) {
            models.add(m.group(1));
        }
        return models;
    }
}
