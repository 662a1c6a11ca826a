package dev.livegateway.grpc;

import dev.livegateway.testing.NumberedChunks;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import dev.livegateway.GatewayStream;
import dev.livegateway.api.v1.ActivityEnd;
import dev.livegateway.api.v1.ActivityStart;
import dev.livegateway.api.v1.AudioChunk;
import dev.livegateway.api.v1.AutomaticActivityDetection;
import dev.livegateway.api.v1.ClientEvent;
import dev.livegateway.api.v1.Modality;
import dev.livegateway.api.v1.RealtimeInputConfig;
import dev.livegateway.api.v1.ResumeReason;
import dev.livegateway.api.v1.ServerEvent;
import dev.livegateway.api.v1.ServerEvent.EventCase;
import dev.livegateway.api.v1.SessionConfig;
import dev.livegateway.emulator.EmbeddedEmulator;
import dev.livegateway.emulator.FaultRule;
import dev.livegateway.emulator.RecordedSession;
import io.grpc.Status;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A conversation survives goAway handovers and abrupt drops: every audio chunk the caller sent is
 * consumed by the Live API exactly once and in order, every answer reaches the caller exactly once,
 * and the caller sees no error.
 */
@QuarkusTest
class ResumptionTest {


    @TestHTTPResource("/")
    URL base;

    @Inject
    EmbeddedEmulator emulator;
    private static ClientEvent audio(int seq) {
        return ClientEvent.newBuilder().setAudio(AudioChunk.newBuilder()
                .setData(ByteString.copyFrom(NumberedChunks.chunk(seq))).setSampleRateHz(16000)).build();
    }

    @Test
    void audioAcrossThreeGoAwaysAndTwoDropsIsConsumedExactlyOnce() throws Exception {
        // Turns are marked by the caller (manual activity), so faults land while the user speaks.
        FaultRule goAway = FaultRule.of(FaultRule.Action.GO_AWAY).goAwaySeconds(2).build();
        FaultRule drop = FaultRule.of(FaultRule.Action.DROP).build();
        List<FaultRule> faults = List.of(goAway, drop, goAway, drop, goAway);
        int turns = faults.size() + 1;
        int sent = 0;
        List<String> expectedTranscripts = new ArrayList<>();
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            stream.config(SessionConfig.newBuilder().setResponseModality(Modality.MODALITY_TEXT)
                    .setInputAudioTranscription(true)
                    .setRealtimeInput(RealtimeInputConfig.newBuilder().setAutomaticActivityDetection(
                            AutomaticActivityDetection.newBuilder().setDisabled(true)))
                    .build());
            String liveSession = stream.await(EventCase.SESSION_STARTED).getSessionStarted().getUpstreamSessionId();
            for (int turn = 0; turn < turns; turn++) {
                int chunks = 30 + 5 * turn; // distinct lengths give distinct transcripts
                expectedTranscripts.add(String.format("heard %.2f seconds of audio", chunks * 0.02));
                stream.send(ClientEvent.newBuilder().setActivityStart(ActivityStart.getDefaultInstance()).build());
                for (int i = 0; i < chunks; i++) {
                    if (i == chunks / 2 && turn < faults.size()) {
                        assertThat(emulator.emulator().injectNow(liveSession, faults.get(turn))).isTrue();
                    }
                    while (!stream.ready()) {
                        Thread.sleep(1);
                    }
                    stream.send(audio(sent++));
                    Thread.sleep(2);
                }
                stream.send(ClientEvent.newBuilder().setActivityEnd(ActivityEnd.getDefaultInstance()).build());
                int turnNumber = turn;
                stream.await(e -> e.getEventCase() == EventCase.TURN_COMPLETE
                        && countOf(stream, EventCase.TURN_COMPLETE) == turnNumber + 1, "turn " + turn, Duration.ofSeconds(20));
            }
            stream.halfClose();
            assertThat(stream.awaitEnd().getCode()).as("the caller sees no error").isEqualTo(Status.Code.OK);

            List<ServerEvent> resumed = stream.events().stream()
                    .filter(e -> e.getEventCase() == EventCase.SESSION_RESUMED).toList();
            assertThat(resumed.stream().filter(e -> e.getSessionResumed().getReason() == ResumeReason.RESUME_REASON_GO_AWAY))
                    .hasSizeGreaterThanOrEqualTo(3);
            assertThat(resumed.stream().filter(e -> e.getSessionResumed().getReason() == ResumeReason.RESUME_REASON_CONNECTION_LOST))
                    .hasSizeGreaterThanOrEqualTo(2);

            // inputs: every chunk consumed exactly once, in order, across all connections
            RecordedSession session = emulator.recorder().session(liveSession).orElseThrow();
            assertThat(session.connections()).hasSizeGreaterThanOrEqualTo(6);
            List<Integer> consumed = new ArrayList<>();
            for (JsonNode message : session.consumedJson()) {
                JsonNode data = message.path("realtimeInput").path("audio").path("data");
                if (data.isTextual()) {
                    consumed.add(NumberedChunks.sequenceOf(Base64.getDecoder().decode(data.asText())));
                }
            }
            List<Integer> all = new ArrayList<>();
            for (int i = 0; i < sent; i++) {
                all.add(i);
            }
            assertThat(consumed).as("audio chunks consumed by the Live API").isEqualTo(all);

            // outputs: one transcript and one answer per turn, none twice
            List<String> transcripts = stream.events().stream().filter(e -> e.getEventCase() == EventCase.INPUT_TRANSCRIPTION)
                    .map(e -> e.getInputTranscription().getText()).toList();
            assertThat(transcripts).isEqualTo(expectedTranscripts);
            assertThat(countOf(stream, EventCase.TURN_COMPLETE)).isEqualTo(turns);
            assertThat(countOf(stream, EventCase.GENERATION_COMPLETE)).isEqualTo(turns);
        }
    }

    private static long countOf(GatewayStream stream, EventCase kind) {
        return stream.events().stream().filter(e -> e.getEventCase() == kind).count();
    }
}
