package dev.livegateway.grpc;

import dev.livegateway.admission.StatusMapper;
import static dev.livegateway.grpc.ConverseTest.textConfig;
import static dev.livegateway.grpc.ConverseTest.userText;
import static org.assertj.core.api.Assertions.assertThat;

import dev.livegateway.GatewayStream;
import dev.livegateway.api.v1.GoingAway;
import dev.livegateway.api.v1.GoingAwayReason;
import dev.livegateway.api.v1.ServerEvent.EventCase;
import dev.livegateway.emulator.EmbeddedEmulator;
import dev.livegateway.emulator.FaultRule;
import dev.livegateway.session.GatewayDrain;
import dev.livegateway.session.SessionRegistry;
import dev.livegateway.testing.OneWayProfile;
import io.grpc.Status;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Graceful drain: callers are told, cooperative ones leave cleanly, the rest end with a resume token.
 * Draining is one-way: the application is shared only with another test that ends it for good
 * ({@link OneWayProfile}).
 */
@QuarkusTest
@TestProfile(OneWayProfile.class)
class DrainTest {

    @TestHTTPResource("/")
    URL base;

    @Inject
    GatewayDrain drain;

    @Inject
    SessionRegistry registry;

    @Inject
    EmbeddedEmulator emulator;

    @Inject
    io.vertx.core.Vertx vertx;

    private static final String LIVE_API_PATH = "/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent";

    /** A Live API WebSocket client of the gateway's WebSocket front: what it received, how it closed. */
    private record LiveApiClient(io.vertx.core.http.WebSocket ws, java.util.List<com.fasterxml.jackson.databind.JsonNode> received,
            CompletableFuture<String> closed) {

        static LiveApiClient open(io.vertx.core.Vertx vertx, int port, String setup) throws Exception {
            java.util.List<com.fasterxml.jackson.databind.JsonNode> received = new java.util.concurrent.CopyOnWriteArrayList<>();
            CompletableFuture<String> closed = new CompletableFuture<>();
            // Handlers set on the event loop as the connection opens: a draining gateway closes at once.
            io.vertx.core.http.WebSocket ws = vertx.createWebSocketClient().connect(port, "localhost", LIVE_API_PATH)
                    .onSuccess(socket -> {
                        socket.handler(b -> {
                            try {
                                received.add(dev.livegateway.wire.Wire.mapper().readTree(b.getBytes()));
                            } catch (java.io.IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        });
                        socket.closeHandler(v -> closed.complete(socket.closeStatusCode() + " " + socket.closeReason()));
                    })
                    .toCompletionStage().toCompletableFuture().get(5, java.util.concurrent.TimeUnit.SECONDS);
            if (!ws.isClosed()) {
                ws.writeTextMessage(setup);
            }
            return new LiveApiClient(ws, received, closed);
        }

        com.fasterxml.jackson.databind.JsonNode await(String field) {
            return Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> received.stream().filter(j -> j.has(field)).findFirst().orElse(null), j -> j != null);
        }
    }

    private GatewayStream conversing() {
        GatewayStream stream = GatewayStream.open(base.getPort());
        stream.config(textConfig());
        stream.await(EventCase.SESSION_STARTED);
        stream.send(userText("hello before the drain"));
        stream.await(EventCase.TURN_COMPLETE);
        stream.await(EventCase.RESUME_TOKEN_UPDATE);
        return stream;
    }

    @Test
    void drainTellsCallersAndEndsTheRestWithAResumeToken() throws Exception {
        try (GatewayStream cooperative = conversing(); GatewayStream stubborn = conversing();
                GatewayStream connecting = GatewayStream.open(base.getPort())) {
            // A Live API WebSocket client (the front of Google's SDKs) that asked for resumption.
            LiveApiClient sdk = LiveApiClient.open(vertx, base.getPort(), "{\"setup\":{\"model\":\"models/"
                    + "gemini-live-2.5-flash\",\"generationConfig\":{\"responseModalities\":[\"TEXT\"]},"
                    + "\"sessionResumption\":{}}}");
            sdk.await("setupComplete");
            sdk.ws().writeTextMessage("{\"clientContent\":{\"turns\":[{\"role\":\"user\",\"parts\":[{\"text\":"
                    + "\"hello before the drain\"}]}],\"turnComplete\":true}}");
            sdk.await("sessionResumptionUpdate");
            // A third conversation is still connecting to the Live API when the drain begins.
            String marker = "drain-connecting-marker";
            emulator.faults().add(FaultRule.of(FaultRule.Action.DELAY_SETUP).delayMs(1000)
                    .forSetupContaining(marker).forNextConnections(1).build());
            connecting.config(textConfig().toBuilder().setSystemInstruction(marker).build());
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> registry.size() == 4);
            CompletableFuture<Void> draining = CompletableFuture.runAsync(() -> drain.drain(Duration.ofSeconds(2)));

            GoingAway told = cooperative.await(EventCase.GOING_AWAY).getGoingAway();
            assertThat(told.getReason()).isEqualTo(GoingAwayReason.GOING_AWAY_REASON_GATEWAY_SHUTDOWN);
            assertThat(told.getResumeToken()).startsWith("lgrt_");
            assertThat(told.getTimeLeft().getSeconds()).isEqualTo(2);
            cooperative.halfClose();
            assertThat(cooperative.awaitEnd().getCode()).isEqualTo(Status.Code.OK);

            try (GatewayStream late = GatewayStream.open(base.getPort())) {
                late.config(textConfig());
                Status refused = late.awaitEnd();
                assertThat(refused.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                assertThat(refused.getDescription()).contains("shutting down");
            }

            // The WebSocket client is told the Live API's way: its handle (the gateway's resume token),
            // then goAway; a new one is refused with a close it can act on.
            assertThat(sdk.await("goAway").at("/goAway/timeLeft").asText()).isEqualTo("2s");
            int goAway = sdk.received().indexOf(sdk.await("goAway"));
            assertThat(sdk.received().get(goAway - 1).at("/sessionResumptionUpdate/newHandle").asText())
                    .as("received %s", sdk.received()).startsWith("lgrt_");
            LiveApiClient lateSdk = LiveApiClient.open(vertx, base.getPort(), "{\"setup\":{\"model\":\"models/"
                    + "gemini-live-2.5-flash\"}}");
            assertThat(lateSdk.closed().get(5, java.util.concurrent.TimeUnit.SECONDS))
                    .startsWith("1013 UNAVAILABLE (retry in 1s): this gateway replica is draining");

            String token = stubborn.await(EventCase.GOING_AWAY).getGoingAway().getResumeToken();
            Status status = stubborn.awaitEnd();
            assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(status.getDescription()).contains("resume token");
            assertThat(stubborn.trailers().get(StatusMapper.RESUME_TOKEN_TRAILER)).isEqualTo(token);

            // Told too, right after its SessionStarted, with the time that was left then.
            connecting.await(EventCase.SESSION_STARTED);
            GoingAway late = connecting.await(EventCase.GOING_AWAY).getGoingAway();
            assertThat(late.getReason()).isEqualTo(GoingAwayReason.GOING_AWAY_REASON_GATEWAY_SHUTDOWN);
            assertThat(Duration.ofSeconds(late.getTimeLeft().getSeconds(), late.getTimeLeft().getNanos()))
                    .isPositive().isLessThan(Duration.ofSeconds(2));
            assertThat(connecting.awaitEnd().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(sdk.closed().get(10, java.util.concurrent.TimeUnit.SECONDS)).startsWith("1013 UNAVAILABLE");
            draining.join();
            assertThat(registry.size()).as("ended sessions leave the registry").isZero();
        }
    }
}
