package dev.livegateway.grpc;

import static dev.livegateway.grpc.ConverseTest.userText;
import static org.assertj.core.api.Assertions.assertThat;

import dev.livegateway.GatewayStream;
import dev.livegateway.api.v1.Modality;
import dev.livegateway.api.v1.ServerEvent.EventCase;
import dev.livegateway.api.v1.SessionConfig;
import dev.livegateway.config.LimitsConfig;
import dev.livegateway.session.LiveSession;
import dev.livegateway.session.SessionRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** A caller that reads slower than the model speaks holds the Live API back instead of growing memory. */
@QuarkusTest
class BackpressureTest {

    @TestHTTPResource("/")
    URL base;

    @Inject
    SessionRegistry sessions;

    @Inject
    LimitsConfig limits;

    @Test
    void slowCallerPausesTheUpstreamAndGetsEverythingLater() {
        StringBuilder prompt = new StringBuilder();
        for (int i = 0; i < 350; i++) {
            prompt.append("word").append(i).append(' ');
        }
        prompt.append("finale");
        try (GatewayStream stream = GatewayStream.openSlowReader(base.getPort(), 1)) {
            stream.config(SessionConfig.newBuilder().setResponseModality(Modality.MODALITY_AUDIO)
                    .setOutputAudioTranscription(true).build());
            String id = stream.await(EventCase.SESSION_STARTED).getSessionStarted().getGatewaySessionId();
            LiveSession session = sessions.find(id).orElseThrow();
            stream.send(userText(prompt.toString()));

            Awaitility.await().atMost(Duration.ofSeconds(15)).until(session::upstreamPaused);
            for (int i = 0; i < 20; i++) {
                assertThat(session.queuedForCaller()).isLessThanOrEqualTo(limits.callerBufferEvents() + 16);
                sleep(50);
            }

            stream.request(100_000);
            stream.await(e -> e.getEventCase() == EventCase.TURN_COMPLETE, "the whole answer", Duration.ofSeconds(60));
            assertThat(stream.join(EventCase.OUTPUT_TRANSCRIPTION)).endsWith("finale\".");
            long audio = stream.events().stream().filter(e -> e.getEventCase() == EventCase.AUDIO).count();
            assertThat(audio).isGreaterThan(limits.callerBufferEvents());
            assertThat(session.upstreamPaused()).isFalse();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
