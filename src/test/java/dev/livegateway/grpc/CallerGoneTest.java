package dev.livegateway.grpc;

import static dev.livegateway.grpc.ConverseTest.textConfig;
import static dev.livegateway.grpc.ConverseTest.userText;
import static org.assertj.core.api.Assertions.assertThat;

import dev.livegateway.GatewayStream;
import dev.livegateway.api.v1.ServerEvent.EventCase;
import dev.livegateway.session.SessionRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Callers that cancel and close their channel at once sometimes reach the gateway only as a closed
 * connection, with no cancellation on the call; the session must end anyway.
 */
@QuarkusTest
class CallerGoneTest {

    @TestHTTPResource("/")
    URL base;

    @Inject
    SessionRegistry sessions;

    @Test
    void everySessionOfAVanishedCallerEnds() {
        for (int i = 0; i < 8; i++) {
            String id;
            try (GatewayStream stream = GatewayStream.open(base.getPort())) {
                stream.config(textConfig());
                id = stream.await(EventCase.SESSION_STARTED).getSessionStarted().getGatewaySessionId();
                if (i % 2 == 0) {
                    stream.send(userText("hi"));
                    stream.await(EventCase.TURN_COMPLETE);
                }
            } // cancel, then close the channel straight away
            String session = id;
            Awaitility.await("session " + i + " ends").atMost(Duration.ofSeconds(6))
                    .until(() -> sessions.find(session).isEmpty());
        }
        assertThat(sessions.size()).isZero();
    }
}
