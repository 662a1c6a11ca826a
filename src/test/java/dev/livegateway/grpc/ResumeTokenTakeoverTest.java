package dev.livegateway.grpc;

import dev.livegateway.admission.StatusMapper;
import static dev.livegateway.grpc.ConverseTest.textConfig;
import static dev.livegateway.grpc.ConverseTest.userText;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.ErrorInfo;
import dev.livegateway.GatewayStream;
import dev.livegateway.api.v1.ServerEvent.EventCase;
import dev.livegateway.api.v1.SessionConfig;
import dev.livegateway.api.v1.SessionStarted;
import dev.livegateway.session.ResumeTokenStore;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A resume token continues one stream only, also while the stream it came from is still alive:
 * taking it ends the original stream with ABORTED, the new stream gets a token of its own, and
 * the old token is spent for good (the original's later saves do not bring it back).
 */
@QuarkusTest
class ResumeTokenTakeoverTest {

    @TestHTTPResource("/")
    URL base;

    @Inject
    ResumeTokenStore tokens;

    private static SessionConfig resuming(String token) {
        return SessionConfig.newBuilder().setResumeToken(token).build();
    }

    /** Opens a conversation and returns its first resume token. */
    private static String talkUntilTokened(GatewayStream stream, String text) {
        stream.config(textConfig());
        stream.await(EventCase.SESSION_STARTED);
        stream.send(userText(text));
        stream.await(EventCase.TURN_COMPLETE);
        return stream.await(EventCase.RESUME_TOKEN_UPDATE).getResumeTokenUpdate().getToken();
    }

    private static void assertEndedBecauseResumedElsewhere(GatewayStream stream) throws Exception {
        Status status = stream.awaitEnd();
        assertThat(status.getCode()).as(status.toString()).isEqualTo(Status.Code.ABORTED);
        assertThat(status.getDescription()).contains("resumed by another stream with its resume token");
        assertThat(stream.trailers().get(StatusMapper.RESUME_TOKEN_TRAILER)).as("no token for an ended original").isNull();
        var rich = StatusProto.fromStatusAndTrailers(status, stream.trailers());
        ErrorInfo info = rich.getDetailsList().stream().filter(d -> d.is(ErrorInfo.class)).findFirst().orElseThrow()
                .unpack(ErrorInfo.class);
        assertThat(info.getReason()).isEqualTo("RESUMED_ELSEWHERE");
        assertThat(info.getMetadataMap()).doesNotContainKey("resume_token");
    }

    @Test
    void takingTheTokenOfALiveStreamEndsItAndTheTokenIsSpentForGood() throws Exception {
        try (GatewayStream original = GatewayStream.open(base.getPort())) {
            String token = talkUntilTokened(original, "remember the colour teal");
            String upstream = original.events().get(0).getSessionStarted().getUpstreamSessionId();

            try (GatewayStream taker = GatewayStream.open(base.getPort())) {
                taker.config(resuming(token));
                SessionStarted started = taker.await(EventCase.SESSION_STARTED).getSessionStarted();
                assertThat(started.getResumed()).isTrue();
                assertThat(started.getUpstreamSessionId()).isEqualTo(upstream);
                assertThat(started.getResumeToken()).as("the taker's own token").isNotEmpty().isNotEqualTo(token);

                assertEndedBecauseResumedElsewhere(original);

                try (GatewayStream second = GatewayStream.open(base.getPort())) {
                    second.config(resuming(token));
                    Status status = second.awaitEnd();
                    assertThat(status.getCode()).isEqualTo(Status.Code.NOT_FOUND);
                    assertThat(status.getDescription()).contains("config.resume_token", "already used");
                }

                taker.send(userText("which colour?"));
                taker.await(EventCase.TURN_COMPLETE);
                assertThat(taker.text()).contains("which colour?");
                assertThat(taker.kinds()).doesNotContain(EventCase.SESSION_RESUMED);
            }
        }
    }

    @Test
    void anOriginalOnWhichNobodyCalledLearnsAtItsNextSaveAndEnds() throws Exception {
        try (GatewayStream original = GatewayStream.open(base.getPort())) {
            String token = talkUntilTokened(original, "remember the number 7");
            // Another replica takes the token through the shared store: nobody tells this replica.
            var take = tokens.take(token, "default", "lg-on-another-replica").await().atMost(Duration.ofSeconds(15));
            assertThat(take.outcome()).isEqualTo(ResumeTokenStore.TakeOutcome.TAKEN);

            Thread.sleep(5_200); // the session saves its token at most every 5 s
            original.send(userText("are you still mine?"));
            assertEndedBecauseResumedElsewhere(original);

            var again = tokens.take(token, "default", "lg-third").await().atMost(Duration.ofSeconds(15));
            assertThat(again.outcome()).as("the original's save did not revive the token")
                    .isEqualTo(ResumeTokenStore.TakeOutcome.ALREADY_TAKEN);
            assertThat(again.takenBy()).isEqualTo("lg-on-another-replica");
        }
    }
}
