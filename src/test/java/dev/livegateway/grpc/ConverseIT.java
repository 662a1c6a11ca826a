package dev.livegateway.grpc;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * {@link ConverseTest}'s conversations against the packaged application ({@code quarkus-run.jar},
 * started by failsafe in the {@code emulator} profile: {@code quarkus.test.integration-test-profile}),
 * so the artifact that ships is what answers. The stream reaches the jar's gRPC port through
 * {@code @TestHTTPResource}, as in the {@code @QuarkusTest}.
 */
@QuarkusIntegrationTest
class ConverseIT extends ConverseTest {

    /** Reads the embedded emulator's recording through a CDI bean, which a packaged application does not expose. */
    @Test
    @Disabled("asserts on the emulator's recorded setup through the EmbeddedEmulator bean; covered by ConverseTest")
    @Override
    void textInAudioOutWithVoiceAndOutputTranscription() {
    }

    /** Reads the embedded emulator's recording through a CDI bean, which a packaged application does not expose. */
    @Test
    @Disabled("asserts on the emulator's recorded setup through the EmbeddedEmulator bean; covered by ConverseTest")
    @Override
    void settingsReachTheUpstreamSetupExactly() {
    }
}
