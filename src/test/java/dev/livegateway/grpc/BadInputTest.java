package dev.livegateway.grpc;

import static dev.livegateway.grpc.ConverseTest.textConfig;
import static dev.livegateway.grpc.ConverseTest.userText;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.livegateway.GatewayStream;
import dev.livegateway.api.v1.ActivityStart;
import dev.livegateway.api.v1.AudioChunk;
import dev.livegateway.api.v1.ClientEvent;
import dev.livegateway.api.v1.GenerationConfig;
import dev.livegateway.api.v1.RealtimeText;
import dev.livegateway.api.v1.ServerEvent.EventCase;
import dev.livegateway.api.v1.SessionConfig;
import dev.livegateway.api.v1.SpeechConfig;
import dev.livegateway.api.v1.VideoFrame;
import io.grpc.Status;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Each kind of bad input gets its own clear status, naming the field. */
@QuarkusTest
class BadInputTest {

    @TestHTTPResource("/")
    URL base;

    private Status afterStart(Consumer<GatewayStream> misbehave) {
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            stream.config(textConfig());
            stream.await(EventCase.SESSION_STARTED);
            misbehave.accept(stream);
            return stream.awaitEnd();
        }
    }

    private static void assertInvalid(Status status, String... parts) {
        assertThat(status.getCode()).as(status.toString()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(status.getDescription()).contains(parts);
    }

    @Test
    void firstEventMustBeTheConfig() {
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            stream.send(ClientEvent.newBuilder().setText(RealtimeText.newBuilder().setText("hi")).build());
            assertInvalid(stream.awaitEnd(), "config", "first event must be config", "got text");
            assertThat(stream.kinds()).isEmpty();
        }
    }

    @Test
    void configSentTwice() {
        assertInvalid(afterStart(s -> s.config(textConfig())), "config", "only allowed in the first event");
    }

    @Test
    void unknownModality() {
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            stream.config(SessionConfig.newBuilder().setResponseModalityValue(7).build());
            assertInvalid(stream.awaitEnd(), "config.response_modality", "unknown value 7", "MODALITY_TEXT");
        }
    }

    @Test
    void outOfRangeGenerationParameter() {
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            stream.config(SessionConfig.newBuilder().setGeneration(GenerationConfig.newBuilder().setTemperature(3.5f)).build());
            assertInvalid(stream.awaitEnd(), "config.generation.temperature", "between 0.0 and 2.0");
        }
    }

    @Test
    void badLanguageCode() {
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            stream.config(SessionConfig.newBuilder().setSpeech(SpeechConfig.newBuilder().setLanguageCode("english please")).build());
            assertInvalid(stream.awaitEnd(), "config.speech.language_code", "BCP-47");
        }
    }

    @Test
    void audioWithAnUnsupportedRate() {
        assertInvalid(afterStart(s -> s.send(ClientEvent.newBuilder().setAudio(AudioChunk.newBuilder()
                .setData(ByteString.copyFrom(new byte[640])).setSampleRateHz(11025)).build())),
                "audio.sample_rate_hz", "11025", "16000");
    }

    @Test
    void oversizeAudioChunk() {
        assertInvalid(afterStart(s -> s.send(ClientEvent.newBuilder().setAudio(AudioChunk.newBuilder()
                .setData(ByteString.copyFrom(new byte[70_000])).setSampleRateHz(16000)).build())),
                "audio.data", "70000 bytes", "65536");
    }

    @Test
    void audioWithHalfASample() {
        assertInvalid(afterStart(s -> s.send(ClientEvent.newBuilder().setAudio(AudioChunk.newBuilder()
                .setData(ByteString.copyFrom(new byte[641]))).build())), "audio.data", "odd length");
    }

    @Test
    void videoFrameThatIsNotAnImage() {
        assertInvalid(afterStart(s -> s.send(ClientEvent.newBuilder().setVideo(VideoFrame.newBuilder()
                .setData(ByteString.copyFromUtf8("definitely not a jpeg")).setMimeType("image/jpeg")).build())),
                "video.data", "not a JPEG or PNG");
    }

    @Test
    void videoFrameWhoseTypeDoesNotMatch() {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0};
        assertInvalid(afterStart(s -> s.send(ClientEvent.newBuilder().setVideo(VideoFrame.newBuilder()
                .setData(ByteString.copyFrom(png)).setMimeType("image/jpeg")).build())), "video.mime_type", "image/png");
    }

    @Test
    void activityMarkersNeedManualActivityDetection() {
        assertInvalid(afterStart(s -> s.send(ClientEvent.newBuilder().setActivityStart(ActivityStart.getDefaultInstance())
                .build())), "activity_start", "automatic_activity_detection.disabled");
    }

    @Test
    void emptyEvent() {
        assertInvalid(afterStart(s -> s.send(ClientEvent.getDefaultInstance())), "event", "no event set");
    }

    @Test
    void halfCloseBeforeTheConfig() {
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            stream.halfClose();
            assertInvalid(stream.awaitEnd(), "config", "half-closed before its first event");
        }
    }

    @Test
    void modelTheUpstreamRefuses() {
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            stream.config(SessionConfig.newBuilder().setModel("gemini-1.0-pro").build());
            Status status = stream.awaitEnd();
            assertThat(status.getCode()).as(status.toString()).isEqualTo(Status.Code.NOT_FOUND);
            assertThat(status.getDescription()).contains("model", "Requested entity was not found.");
        }
    }

    @Test
    void malformedModelName() {
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            stream.config(SessionConfig.newBuilder().setModel("gemini live?").build());
            assertInvalid(stream.awaitEnd(), "config.model", "not a model name");
        }
    }

    @Test
    void whatWasAcceptedBeforeTheBadEventWasDelivered() {
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            stream.config(textConfig());
            stream.await(EventCase.SESSION_STARTED);
            stream.send(userText("first question"));
            stream.await(EventCase.TURN_COMPLETE);
            stream.send(ClientEvent.newBuilder().setAudio(AudioChunk.newBuilder()
                    .setData(ByteString.copyFrom(new byte[640])).setSampleRateHz(1)).build());
            assertInvalid(stream.awaitEnd(), "audio.sample_rate_hz");
            assertThat(stream.text()).contains("first question");
        }
    }
}
