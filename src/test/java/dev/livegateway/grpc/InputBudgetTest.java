package dev.livegateway.grpc;

import static dev.livegateway.grpc.ConverseTest.textConfig;
import static dev.livegateway.grpc.ConverseTest.userText;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.rpc.RetryInfo;
import dev.livegateway.GatewayStream;
import dev.livegateway.api.v1.ClientEvent;
import dev.livegateway.api.v1.FunctionCall;
import dev.livegateway.api.v1.FunctionResponse;
import dev.livegateway.api.v1.ServerEvent.EventCase;
import dev.livegateway.api.v1.ToolReference;
import dev.livegateway.api.v1.ToolResponse;
import dev.livegateway.api.v1.VideoFrame;
import dev.livegateway.auth.KeyHashes;
import dev.livegateway.emulator.EmbeddedEmulator;
import dev.livegateway.metrics.PrometheusScrape;
import dev.livegateway.session.InputBudget;
import dev.livegateway.session.SessionRegistry;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One tenant cannot take a replica's memory from the others (issue 13, defect 2): its sessions
 * stream video frames the Live API does not confirm (a pending blocking tool call, or a long answer
 * in progress), while another tenant converses. The replica-wide budget for buffered input is
 * small here (1 MiB, 384 KiB per session) so that the attack reaches it with a few sessions.
 */
@QuarkusTest
@TestProfile(InputBudgetTest.Profile.class)
class InputBudgetTest {

    static final String ATTACKER_KEY = "attacker-tenant-test-key";
    static final String VICTIM_KEY = "victim-tenant-test-key";
    static final long BUDGET = 1024 * 1024;
    static final long PER_SESSION = 384 * 1024;
    static final int MAX_SESSIONS = 8;
    /** Below the emulator recording's payload summary size (64 Ki characters of base64), so frames can be read back. */
    static final int FRAME_BYTES = 40 * 1024;
    /** One frame as Live API JSON: base64 plus the envelope. */
    static final long FRAME_JSON = FRAME_BYTES * 4L / 3 + 256;

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "live-gateway.limits.buffered-input-bytes", Long.toString(BUDGET),
                    "live-gateway.session.replay-buffer-bytes", Long.toString(PER_SESSION),
                    "live-gateway.limits.max-sessions", Integer.toString(MAX_SESSIONS),
                    "live-gateway.auth.tenants.attacker.key-hashes", KeyHashes.format(ATTACKER_KEY),
                    "live-gateway.auth.tenants.victim.key-hashes", KeyHashes.format(VICTIM_KEY));
        }
    }

    @TestHTTPResource("/")
    URL base;

    @Inject
    EmbeddedEmulator emulator;

    @Inject
    InputBudget budget;

    @Inject
    SessionRegistry registry;

    private final AtomicLong maxBuffered = new AtomicLong();
    private final AtomicBoolean sampling = new AtomicBoolean();
    private Thread sampler;

    @BeforeEach
    void startSampling() {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> registry.size() == 0);
        maxBuffered.set(0);
        sampling.set(true);
        sampler = new Thread(() -> {
            while (sampling.get()) {
                maxBuffered.accumulateAndGet(budget.buffered(), Math::max);
                java.util.concurrent.locks.LockSupport.parkNanos(200_000);
            }
        }, "buffered-input-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    @AfterEach
    void stopSampling() throws InterruptedException {
        sampling.set(false);
        sampler.join();
    }

    @Test
    void pendingToolCallsAndUnconfirmedVideoStayWithinTheBudgetAndOthersAreServed() {
        int sessions = 5;
        int frames = 30;
        double overflowsBefore = PrometheusScrape.now().sum("live_gateway_replay_overflow_total");
        List<GatewayStream> attackers = new ArrayList<>();
        List<String> upstreamIds = new ArrayList<>();
        List<FunctionCall> calls = new ArrayList<>();
        try {
            for (int s = 0; s < sessions; s++) {
                GatewayStream stream = GatewayStream.open(base.getPort(), ATTACKER_KEY);
                attackers.add(stream);
                stream.config(textConfig().toBuilder().addTools(ToolReference.newBuilder().setName("light-switch")).build());
                upstreamIds.add(stream.await(EventCase.SESSION_STARTED).getSessionStarted().getUpstreamSessionId());
                stream.send(userText("Turn on the lights please"));
                calls.add(stream.await(EventCase.TOOL_CALL).getToolCall().getFunctionCalls(0));
            }
            // The attack: every session holds its blocking call unanswered and streams video as fast
            // as gRPC takes it; the Live API confirms nothing while a blocking call is pending.
            for (int i = 0; i < frames; i++) {
                for (GatewayStream stream : attackers) {
                    stream.send(frame(i));
                }
            }
            try (GatewayStream victim = GatewayStream.open(base.getPort(), VICTIM_KEY)) {
                victim.config(textConfig());
                victim.await(EventCase.SESSION_STARTED);
                for (int turn = 0; turn < 3; turn++) {
                    victim.send(userText("Hello there, turn " + turn));
                    victim.await(e -> e.getEventCase() == EventCase.TURN_COMPLETE, "the victim's answer",
                            Duration.ofSeconds(10));
                }
                assertThat(victim.text()).contains("turn 0", "turn 1", "turn 2");
            }
            // Nothing was refused or lost on the way to the Live API: every frame arrived, in order.
            for (String id : upstreamIds) {
                var consumed = emulator.recorder().session(id).orElseThrow().awaitConsumed(1 + frames, Duration.ofSeconds(30));
                assertThat(frameIndices(consumed)).containsExactlyElementsOf(IntStream.range(0, frames).boxed().toList());
            }
            // The replay buffers kept the newest input only (the Live API had not confirmed the rest).
            assertThat(PrometheusScrape.now().sum("live_gateway_replay_overflow_total") - overflowsBefore).isPositive();
            assertThat(maxBuffered.get()).as("buffered input never above the budget plus one frame a session"
                    + " (and one more for the first frame, requested when the largest event so far was the text)")
                    .isLessThanOrEqualTo(BUDGET + 2 * sessions * FRAME_JSON);

            // The calls are answered: the conversations carry on and the budget is given back.
            for (int s = 0; s < sessions; s++) {
                FunctionCall call = calls.get(s);
                attackers.get(s).send(ClientEvent.newBuilder().setToolResponse(ToolResponse.newBuilder()
                        .addFunctionResponses(FunctionResponse.newBuilder().setId(call.getId()).setName(call.getName())
                                .setResponse(Struct.newBuilder().putFields("result", Value.newBuilder().setStringValue("ok").build()))))
                        .build());
                attackers.get(s).await(EventCase.TURN_COMPLETE);
            }
        } finally {
            attackers.forEach(GatewayStream::close);
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> budget.buffered() == 0);
    }

    @Test
    void unconfirmedInputHoldsTheCallerBackUntilTheLiveApiConfirmsItThenEverythingIsDelivered() throws Exception {
        int sessions = 4;
        int frames = 40;
        double overflowsBefore = PrometheusScrape.now().sum("live_gateway_replay_overflow_total");
        StringBuilder longPrompt = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            longPrompt.append("word").append(i).append(' ');
        }
        List<GatewayStream> attackers = new ArrayList<>();
        List<String> upstreamIds = new ArrayList<>();
        try {
            for (int s = 0; s < sessions; s++) {
                GatewayStream stream = GatewayStream.open(base.getPort(), ATTACKER_KEY);
                attackers.add(stream);
                stream.config(textConfig());
                upstreamIds.add(stream.await(EventCase.SESSION_STARTED).getSessionStarted().getUpstreamSessionId());
                // A long answer: the Live API confirms no input until it is done (a few seconds).
                stream.send(userText(longPrompt.toString()));
            }
            int[] sent = new int[sessions];
            long[] notReadySince = new long[sessions];
            long longestWait = 0;
            boolean heldBackSeen = false;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            GatewayStream victim = null;
            try {
                while (IntStream.of(sent).anyMatch(n -> n < frames) && System.nanoTime() < deadline) {
                    for (int s = 0; s < sessions; s++) {
                        if (sent[s] >= frames) {
                            continue;
                        }
                        GatewayStream stream = attackers.get(s);
                        if (stream.ready()) {
                            if (notReadySince[s] > 0) {
                                longestWait = Math.max(longestWait, System.nanoTime() - notReadySince[s]);
                                notReadySince[s] = 0;
                            }
                            stream.send(frame(sent[s]++));
                        } else if (notReadySince[s] == 0) {
                            notReadySince[s] = System.nanoTime();
                        }
                    }
                    if (budget.heldBack() > 0 && !heldBackSeen) {
                        heldBackSeen = true;
                        // While the attacker is held back, another tenant converses as usual.
                        victim = GatewayStream.open(base.getPort(), VICTIM_KEY);
                        victim.config(textConfig());
                        victim.await(EventCase.SESSION_STARTED);
                        long asked = System.nanoTime();
                        victim.send(userText("Are you still there?"));
                        victim.await(e -> e.getEventCase() == EventCase.TURN_COMPLETE, "the victim's answer",
                                Duration.ofSeconds(10));
                        assertThat(Duration.ofNanos(System.nanoTime() - asked)).isLessThan(Duration.ofSeconds(10));
                        assertThat(budget.heldBack()).as("the attacker is still held back").isPositive();
                    }
                    Thread.sleep(2);
                }
            } finally {
                if (victim != null) {
                    victim.close();
                }
            }
            assertThat(sent).as("every frame was sent once the Live API confirmed").containsOnly(frames);
            assertThat(heldBackSeen).as("the gateway stopped reading the attacker's input").isTrue();
            assertThat(Duration.ofNanos(longestWait)).as("the attacker's sends were flow-controlled")
                    .isGreaterThan(Duration.ofMillis(500));
            for (String id : upstreamIds) {
                var consumed = emulator.recorder().session(id).orElseThrow().awaitConsumed(1 + frames, Duration.ofSeconds(30));
                assertThat(frameIndices(consumed)).containsExactlyElementsOf(IntStream.range(0, frames).boxed().toList());
            }
            for (GatewayStream stream : attackers) {
                // The long answers were delivered too, and no stream ended.
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> stream.kinds().contains(EventCase.TURN_COMPLETE));
                assertThat(stream.text()).contains("word1999");
            }
            assertThat(PrometheusScrape.now().sum("live_gateway_replay_overflow_total") - overflowsBefore)
                    .as("held back, not dropped").isZero();
            assertThat(maxBuffered.get()).as("buffered input never above the budget plus one frame a session"
                    + " (and one more for the first frame, requested when the largest event so far was the text)")
                    .isLessThanOrEqualTo(BUDGET + 2 * sessions * FRAME_JSON);
            PrometheusScrape scrape = PrometheusScrape.now();
            assertThat(scrape.sum("live_gateway_buffered_input_limit_bytes")).isEqualTo((double) BUDGET);
            assertThat(scrape.has("live_gateway_buffered_input_bytes")).isTrue();
        } finally {
            attackers.forEach(GatewayStream::close);
        }
    }

    @Test
    void aReplicaAtItsSessionCapRefusesWithResourceExhaustedAndARetryDelay() {
        List<GatewayStream> open = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_SESSIONS; i++) {
                GatewayStream stream = GatewayStream.open(base.getPort(), i % 2 == 0 ? ATTACKER_KEY : VICTIM_KEY);
                open.add(stream);
                stream.config(textConfig());
                stream.await(EventCase.SESSION_STARTED);
            }
            double refusedBefore = PrometheusScrape.now().sum("live_gateway_admissions_total", Map.of("outcome", "replica_full"));
            try (GatewayStream extra = GatewayStream.open(base.getPort(), VICTIM_KEY)) {
                extra.config(textConfig());
                Status status = extra.assertEndsWith(Status.Code.RESOURCE_EXHAUSTED, "live-gateway.limits.max-sessions");
                assertThat(status.getDescription()).contains(Integer.toString(MAX_SESSIONS));
                var rich = StatusProto.fromStatusAndTrailers(status, extra.trailers());
                assertThat(rich.getDetailsList()).anySatisfy(d -> assertThat(d.is(RetryInfo.class)).isTrue());
            }
            assertThat(PrometheusScrape.now().sum("live_gateway_admissions_total", Map.of("outcome", "replica_full"))
                    - refusedBefore).isEqualTo(1);

            open.remove(0).close();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> registry.size() == MAX_SESSIONS - 1);
            GatewayStream again = GatewayStream.open(base.getPort(), VICTIM_KEY);
            open.add(again);
            again.config(textConfig());
            again.await(EventCase.SESSION_STARTED);
        } finally {
            open.forEach(GatewayStream::close);
        }
    }

    /** A JPEG-signed frame carrying its index, padded to {@link #FRAME_BYTES}. */
    static ClientEvent frame(int index) {
        ByteBuffer data = ByteBuffer.allocate(FRAME_BYTES);
        data.put(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0}).putInt(index);
        return ClientEvent.newBuilder().setVideo(VideoFrame.newBuilder().setData(ByteString.copyFrom(data.array()))
                .setMimeType("image/jpeg")).build();
    }

    /** The indices of the video frames among consumed Live API messages, in order. */
    static List<Integer> frameIndices(List<JsonNode> consumed) {
        List<Integer> out = new ArrayList<>();
        for (JsonNode message : consumed) {
            JsonNode video = message.at("/realtimeInput/video/data");
            if (!video.isMissingNode()) {
                out.add(ByteBuffer.wrap(Base64.getDecoder().decode(video.asText())).getInt(4));
            }
        }
        return out;
    }
}
