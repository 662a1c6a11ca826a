package dev.livegateway.grpc;

import static dev.livegateway.grpc.ConverseTest.textConfig;
import static dev.livegateway.grpc.ConverseTest.userText;
import static org.assertj.core.api.Assertions.assertThat;

import dev.livegateway.GatewayStream;
import dev.livegateway.api.v1.ServerEvent.EventCase;
import dev.livegateway.emulator.EmbeddedEmulator;
import dev.livegateway.emulator.RecordedConnection;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import org.junit.jupiter.api.Test;

/**
 * The Vertex code path without Google: TLS to the emulator, a bearer token obtained through
 * google-auth-library from a local token endpoint, the Vertex path and model name, token refresh.
 */
@QuarkusTest
@WithTestResource(VertexPathTestResource.class)
class VertexPathTest {

    @TestHTTPResource("/")
    URL base;

    @Inject
    EmbeddedEmulator emulator;

    private RecordedConnection converse() {
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            stream.config(textConfig());
            String id = stream.await(EventCase.SESSION_STARTED).getSessionStarted().getUpstreamSessionId();
            stream.send(userText("over TLS"));
            stream.await(EventCase.TURN_COMPLETE);
            assertThat(stream.text()).contains("over TLS");
            return emulator.recorder().session(id).orElseThrow().firstConnection();
        }
    }

    @Test
    void vertexRequestWithRefreshedBearerTokens() {
        assertThat(emulator.tls()).isTrue();
        int before = VertexPathTestResource.TOKENS_ISSUED.get();
        RecordedConnection first = converse();
        RecordedConnection second = converse();

        assertThat(first.path()).isEqualTo("/ws/google.cloud.aiplatform.v1beta1.LlmBidiService/BidiGenerateContent");
        assertThat(first.setup().model())
                .isEqualTo("projects/test-project/locations/us-central1/publishers/google/models/gemini-live-2.5-flash");
        assertThat(first.header("authorization")).isEqualTo("Bearer token-" + (before + 1));
        assertThat(second.header("authorization")).isEqualTo("Bearer token-" + (before + 2));
        assertThat(first.header("x-goog-api-key")).isNull();
        assertThat(VertexPathTestResource.TOKEN_REQUESTS).allSatisfy(body ->
                assertThat(body).contains("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer", "assertion="));
    }
}
