package dev.livegateway.grpc;

import static dev.livegateway.grpc.ConverseTest.textConfig;
import static dev.livegateway.grpc.ConverseTest.userText;
import static org.assertj.core.api.Assertions.assertThat;

import dev.livegateway.GatewayStream;
import dev.livegateway.api.v1.ServerEvent.EventCase;
import dev.livegateway.api.v1.SessionStarted;
import dev.livegateway.emulator.EmbeddedEmulator;
import dev.livegateway.emulator.RecordedConnection;
import dev.livegateway.testing.ChildProcesses;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Gemini Developer API code path: its path, the API key header, its model names, no transparent resumption. */
@QuarkusTest
@WithTestResource(GeminiPathTest.DeveloperApi.class)
class GeminiPathTest {

    /** Points the gateway in mode gemini at the emulator's Developer API path, which demands the key. */
    public static class DeveloperApi implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            int port = ChildProcesses.freePort();
            return Map.of(
                    "live-gateway.upstream.mode", "gemini",
                    "live-gateway.upstream.gemini.api-key", "developer-key-123",
                    "live-gateway.upstream.endpoint", "ws://127.0.0.1:" + port
                            + "/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent",
                    "live-gateway.emulator.port", String.valueOf(port),
                    "live-gateway.emulator.auth", "exact",
                    "live-gateway.emulator.expected-credential", "developer-key-123");
        }

        @Override
        public void stop() {
        }
    }

    @TestHTTPResource("/")
    URL base;

    @Inject
    EmbeddedEmulator emulator;

    @Test
    void developerApiRequestWithApiKey() {
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            stream.config(textConfig());
            SessionStarted started = stream.await(EventCase.SESSION_STARTED).getSessionStarted();
            assertThat(started.getModel()).isEqualTo("models/gemini-live-2.5-flash");
            assertThat(started.getUpstreamSessionId()).as("the Developer API sends no session id").isEmpty();
            stream.send(userText("hello developer api"));
            stream.await(EventCase.TURN_COMPLETE);
            assertThat(stream.text()).contains("hello developer api");
        }
        RecordedConnection connection = emulator.recorder().latestConnection().orElseThrow();
        assertThat(connection.path()).isEqualTo("/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent");
        assertThat(connection.header("x-goog-api-key")).isEqualTo("developer-key-123");
        assertThat(connection.header("authorization")).isNull();
        assertThat(connection.setup().model()).isEqualTo("models/gemini-live-2.5-flash");
        assertThat(connection.setupJson().has("sessionResumption")).isTrue();
        assertThat(connection.setupJson().path("sessionResumption").has("transparent"))
                .as("transparent resumption is Vertex-only").isFalse();
    }
}
