package dev.livegateway.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.livegateway.RawHttp2Caller;
import dev.livegateway.TestAudio;
import dev.livegateway.api.v1.AudioChunk;
import dev.livegateway.api.v1.ClientEvent;
import dev.livegateway.api.v1.Modality;
import dev.livegateway.api.v1.ServerEvent;
import dev.livegateway.api.v1.ServerEvent.EventCase;
import dev.livegateway.api.v1.SessionConfig;
import dev.livegateway.quota.QuotaService;
import dev.livegateway.session.SessionRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.codec.http2.Http2Headers;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A grpc-js (Node) caller multiplexes its conversations on one HTTP/2 connection and cancels a call
 * with an empty DATA frame carrying END_STREAM immediately followed by RST_STREAM(CANCEL). Each
 * such cancel must end only its own conversation, as cancelled, and never the connection the
 * caller's other conversations run on.
 */
@QuarkusTest
class GrpcJsCancelTest {

    private static final int CANCELS = 60;
    private static final int MAX_CANCELS = 150;
    private static final long CANCEL_PACE_MILLIS = 60;
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final int RATE = 16000;
    private static final int CHUNK_MILLIS = 20;

    @TestHTTPResource("/")
    URL base;

    @Inject
    QuotaService quota;

    @Inject
    SessionRegistry sessions;

    @Inject
    MeterRegistry meters;

    @Test
    void grpcJsCancelsEndOnlyTheirOwnStreamWhileASiblingKeepsTalking() throws Exception {
        double cancelledBefore = streamsEnded("CANCELLED");
        double okBefore = streamsEnded("OK");
        List<RawHttp2Caller.Call> cancelled = new ArrayList<>();
        try (RawHttp2Caller caller = RawHttp2Caller.connect(base.getPort(), null)) {
            RawHttp2Caller.Call sibling = caller.open();
            sibling.send(ClientEvent.newBuilder().setConfig(SessionConfig.newBuilder()
                    .setResponseModality(Modality.MODALITY_TEXT).setInputAudioTranscription(true)).build());
            sibling.await(EventCase.SESSION_STARTED, WAIT);

            AtomicInteger answers = new AtomicInteger();
            AtomicBoolean talking = new AtomicBoolean(true);
            AtomicReference<Throwable> talkFailure = new AtomicReference<>();
            Thread talker = new Thread(() -> {
                try {
                    talk(sibling, talking, answers);
                } catch (Throwable t) {
                    talkFailure.set(t);
                }
            }, "sibling-audio");
            talker.start();

            try {
                // CANCELS cancels paced over about three of the sibling's 1.2 s turns, and on (at the
                // same pace) until it has been answered twice meanwhile; at most MAX_CANCELS, below
                // Netty's rapid-reset guard (200 RST_STREAM frames per 30 s closes the connection).
                for (int i = 0; i < CANCELS || (answers.get() < 2 && i < MAX_CANCELS); i++) {
                    Thread.sleep(CANCEL_PACE_MILLIS);
                    RawHttp2Caller.Call call = caller.open();
                    call.send(ClientEvent.newBuilder().setConfig(ConverseTest.textConfig()).build());
                    call.await(EventCase.SESSION_STARTED, WAIT);
                    call.cancelLikeGrpcJs();
                    cancelled.add(call);
                    assertThat(caller.connected()).as("connection open after cancel %d; gateway sent %s", i + 1,
                            caller.serverErrors()).isTrue();
                    assertThat(talkFailure.get()).as("sibling conversation after cancel %d", i + 1).isNull();
                }
                // The sibling goes on being answered after the last cancel.
                int answered = answers.get();
                Awaitility.await("an answer to the sibling's audio after the cancels").atMost(WAIT)
                        .until(() -> answers.get() > answered || talkFailure.get() != null);
            } finally {
                talking.set(false);
                talker.join(WAIT.toMillis());
            }
            assertThat(talkFailure.get()).as("sibling conversation").isNull();
            assertThat(answers.get()).as("answers to the sibling's audio during %d cancels", cancelled.size())
                    .isGreaterThanOrEqualTo(2);

            sibling.halfClose();
            Http2Headers trailers = sibling.awaitTrailers(WAIT);
            assertThat(String.valueOf(trailers.get("grpc-status"))).as("sibling status, trailers %s", trailers)
                    .isEqualTo("0");
            assertThat(caller.connected()).isTrue();
            assertThat(caller.goAway()).as("GOAWAY").isNull();
            assertThat(caller.serverErrors()).as("RST_STREAM/GOAWAY sent by the gateway").isEmpty();
            for (RawHttp2Caller.Call call : cancelled) {
                assertThat(call.framesAfterCancel()).as("frames on cancelled stream %d after its RST_STREAM",
                        call.id()).isEmpty();
            }
        }
        Awaitility.await("every session ended").atMost(WAIT).until(() -> sessions.size() == 0);
        Awaitility.await("no lease left").atMost(WAIT).untilAsserted(() -> assertThat(
                quota.tenantUsage("default").await().atMost(WAIT).activeSessions()).isZero());
        assertThat(cancelled).hasSizeGreaterThanOrEqualTo(CANCELS);
        assertThat(streamsEnded("CANCELLED") - cancelledBefore).as("streams ended as CANCELLED")
                .isEqualTo(cancelled.size());
        assertThat(streamsEnded("OK") - okBefore).as("streams ended OK (the sibling)").isEqualTo(1);
    }

    /**
     * A stuck caller's stream: its window is spent, so the gateway's last output and the trailers
     * that end the session wait in the HTTP/2 flow controller. The caller then cancels; the
     * trailers can never be written, and that must cost only this stream, not the connection.
     */
    @Test
    void cancellingAStreamWhoseTrailersAreHeldBackLeavesTheConnectionOpen() throws Exception {
        try (RawHttp2Caller caller = RawHttp2Caller.connect(base.getPort(), null, 1024)) {
            RawHttp2Caller.Call sibling = caller.open();
            sibling.send(ClientEvent.newBuilder().setConfig(ConverseTest.textConfig()).build());
            sibling.await(EventCase.SESSION_STARTED, WAIT);

            RawHttp2Caller.Call stuck = caller.open();
            stuck.send(ClientEvent.newBuilder().setConfig(SessionConfig.newBuilder()
                    .setResponseModality(Modality.MODALITY_AUDIO)).build());
            String id = stuck.await(EventCase.SESSION_STARTED, WAIT).getSessionStarted().getGatewaySessionId();
            stuck.stopReading();
            stuck.send(ConverseTest.userText("Tell me a long story about the sea and the ships that crossed it"));
            Awaitility.await("the stuck stream's window spent").atMost(WAIT).until(() -> stuck.bytesReceived() >= 1024);
            // An operator ends the session: its trailers queue behind the DATA the window holds back.
            io.restassured.RestAssured.given().when().delete(base + "v1/sessions/" + id).then().statusCode(202);
            Awaitility.await("the stuck session ended").atMost(WAIT).until(() -> sessions.find(id).isEmpty());

            stuck.cancelLikeGrpcJs();
            for (int turn = 0; turn < 3; turn++) {
                sibling.send(ConverseTest.userText("Are you still there?"));
                sibling.await(EventCase.TURN_COMPLETE, WAIT);
            }
            assertThat(caller.connected()).as("connection open; gateway sent %s", caller.serverErrors()).isTrue();
            assertThat(caller.goAway()).as("GOAWAY").isNull();
            sibling.halfClose();
            assertThat(String.valueOf(sibling.awaitTrailers(WAIT).get("grpc-status"))).isEqualTo("0");
        }
        Awaitility.await("every session ended").atMost(WAIT).until(() -> sessions.size() == 0);
    }

    /**
     * Streams audio in real time, 20 ms chunks: half a second of speech, then silence long enough
     * for the model's voice detection to end the turn; counts the model's answers.
     */
    private static void talk(RawHttp2Caller.Call sibling, AtomicBoolean talking, AtomicInteger answers)
            throws InterruptedException {
        byte[] turn = TestAudio.concat(TestAudio.tone(RATE, 500, 440), TestAudio.silence(RATE, 700));
        int chunk = RATE * CHUNK_MILLIS / 1000 * 2;
        long next = System.nanoTime();
        int offset = 0;
        int turns = 0;
        while (talking.get() || offset != 0) {
            sibling.send(ClientEvent.newBuilder().setAudio(AudioChunk.newBuilder()
                    .setData(ByteString.copyFrom(turn, offset, chunk)).setSampleRateHz(RATE)).build());
            offset = (offset + chunk) % turn.length;
            if (offset == 0) {
                turns++;
            }
            sibling.drain(event -> count(event, answers));
            next += CHUNK_MILLIS * 1_000_000L;
            long sleep = next - System.nanoTime();
            if (sleep > 0) {
                Thread.sleep(sleep / 1_000_000L, (int) (sleep % 1_000_000L));
            }
        }
        // Every turn gets its answer before the caller half-closes.
        while (answers.get() < turns) {
            sibling.await(EventCase.TURN_COMPLETE, WAIT);
            answers.incrementAndGet();
        }
    }

    private static void count(ServerEvent event, AtomicInteger answers) {
        if (event.getEventCase() == EventCase.TURN_COMPLETE) {
            answers.incrementAndGet();
        }
    }

    private double streamsEnded(String status) {
        Counter counter = meters.find("live_gateway_streams_ended").tag("tenant", "default").tag("status", status)
                .counter();
        return counter == null ? 0 : counter.count();
    }
}
