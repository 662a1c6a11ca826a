package dev.livegateway.replicas;

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
import dev.livegateway.api.v1.GoingAway;
import dev.livegateway.api.v1.GoingAwayReason;
import dev.livegateway.api.v1.Modality;
import dev.livegateway.api.v1.RealtimeInputConfig;
import dev.livegateway.api.v1.ServerEvent.EventCase;
import dev.livegateway.api.v1.SessionConfig;
import dev.livegateway.api.v1.SessionStarted;
import dev.livegateway.auth.KeyHashes;
import dev.livegateway.emulator.ScriptedModel;
import dev.livegateway.admission.StatusMapper;
import dev.livegateway.testing.ChildProcesses;
import dev.livegateway.testing.GatewayProcesses.Gateway;
import dev.livegateway.testing.GatewayProcesses;
import dev.livegateway.testing.RedisTestServer;
import dev.livegateway.wire.Wire;
import io.grpc.Status;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A rolling deploy as Kubernetes does it: SIGTERM to a gateway process (the packaged jar,
 * production profile) while its callers stream audio in 20 ms chunks. Every caller gets the
 * documented drain whatever it was doing at the signal: a {@code GoingAway} with a resume token,
 * its audio still reaching the Live API during the drain, then {@code UNAVAILABLE} with the same
 * token at the drain timeout; a new stream meanwhile gets the gateway's own {@code UNAVAILABLE}
 * (the port is still open); the process exits after the drain; and each token continues the same
 * Live session on a second replica (shared Redis, one stand-alone emulator) with every chunk the
 * caller sent. Process logs: {@code target/rolling-deploy-it/}.
 */
class RollingDeployIT {

    private static final String TENANT = "rolling-it";
    private static final String TENANT_KEY = "rolling-it-tenant-key-0123456789";
    private static final String ADMIN_KEY = "rolling-it-admin-key-0123456789";
    private static final Duration DRAIN = Duration.ofSeconds(4);
    private static final int CALLERS = 3;

    private static RedisTestServer redis;
    private static GatewayProcesses processes;
    private static int emulatorPort;
    private static Gateway a;
    private static Gateway b;

    @BeforeAll
    static void start() throws Exception {
        processes = new GatewayProcesses(Path.of("target", "rolling-deploy-it"));
        redis = RedisTestServer.start();
        emulatorPort = ChildProcesses.freePort();
        processes.emulator("emulator", emulatorPort);
        a = gateway("gw-a");
        b = gateway("gw-b");
        GatewayProcesses.awaitReady(a);
        GatewayProcesses.awaitReady(b);
    }

    @AfterAll
    static void stop() {
        if (processes != null) {
            processes.close();
        }
        if (redis != null) {
            redis.stop();
        }
    }

    private static Gateway gateway(String name) {
        return processes.gateway(name, Map.ofEntries(
                Map.entry("live-gateway.replica-id", name),
                Map.entry("live-gateway.upstream.mode", "emulator"),
                Map.entry("live-gateway.upstream.endpoint", "ws://127.0.0.1:" + emulatorPort
                        + "/ws/google.cloud.aiplatform.v1beta1.LlmBidiService/BidiGenerateContent"),
                Map.entry("live-gateway.emulator.enabled", "false"),
                Map.entry("live-gateway.store", "redis"),
                Map.entry("live-gateway.redis.uri", redis.uri()),
                Map.entry("live-gateway.session.drain-timeout", DRAIN.toMillis() + "ms"),
                Map.entry("live-gateway.auth.tenants." + TENANT + ".key-hashes", KeyHashes.format(TENANT_KEY)),
                Map.entry("live-gateway.auth.admin-key-hashes", KeyHashes.format(ADMIN_KEY))));
    }

    /** Text answers, input transcription, turns marked by the caller: the user speaks until activityEnd. */
    private static SessionConfig audioConfig() {
        return SessionConfig.newBuilder().setResponseModality(Modality.MODALITY_TEXT).setInputAudioTranscription(true)
                .setRealtimeInput(RealtimeInputConfig.newBuilder().setAutomaticActivityDetection(
                        AutomaticActivityDetection.newBuilder().setDisabled(true)))
                .build();
    }

    /** A 20 ms chunk of tone whose first 8 samples carry its sequence number (one nibble each). */
    private static ClientEvent audio(int seq) {
        return ClientEvent.newBuilder().setAudio(AudioChunk.newBuilder()
                .setData(ByteString.copyFrom(NumberedChunks.chunk(seq))).setSampleRateHz(16000)).build();
    }

    /** A caller talking without pause: one chunk every 20 ms, as fast as the stream takes them. */
    private static final class Caller {
        final GatewayStream stream;
        final String upstreamSessionId;
        final AtomicInteger sent = new AtomicInteger();
        final AtomicBoolean talking = new AtomicBoolean(true);
        final Thread sender;
        volatile int sentBeforeSignal;

        Caller(int number) {
            stream = GatewayStream.open(a.port(), TENANT_KEY);
            stream.config(audioConfig());
            upstreamSessionId = stream.await(EventCase.SESSION_STARTED).getSessionStarted().getUpstreamSessionId();
            stream.send(ClientEvent.newBuilder().setActivityStart(ActivityStart.getDefaultInstance()).build());
            sender = new Thread(this::talk, "caller-" + number);
            sender.start();
        }

        private void talk() {
            long next = System.nanoTime();
            try {
                while (talking.get()) {
                    if (!stream.ready()) {
                        Thread.sleep(1);
                        continue;
                    }
                    stream.send(audio(sent.get()));
                    sent.incrementAndGet();
                    next += TimeUnit.MILLISECONDS.toNanos(20);
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void stopTalking() throws InterruptedException {
            talking.set(false);
            sender.join(5000);
        }
    }

    @Test
    void sigtermWhileCallersStreamAudioDrainsEveryConversation() throws Exception {
        List<Caller> callers = new ArrayList<>();
        for (int i = 0; i < CALLERS; i++) {
            callers.add(new Caller(i));
        }
        Thread.sleep(1000); // a second of speech each: resumption handles and tokens exist
        long signal = System.nanoTime();
        callers.forEach(c -> c.sentBeforeSignal = c.sent.get());
        a.process().destroy(); // SIGTERM, as the kubelet sends it

        // The replica drains with its port open: a new stream gets the gateway's own answer.
        Thread.sleep(300);
        assertThat(a.process().isAlive()).as("the gateway drains before it exits").isTrue();
        try (GatewayStream late = GatewayStream.open(a.port(), TENANT_KEY)) {
            late.config(audioConfig());
            Status refused = late.awaitEnd();
            assertThat(refused.getCode()).as("a new stream during the drain: %s", refused).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(refused.getDescription()).as("the gateway's own message, not a refused connection")
                    .contains("draining").contains("another replica");
        }
        HttpResponse<String> readiness = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + a.managementPort() + "/q/health/ready")).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(readiness.statusCode()).isEqualTo(503);
        assertThat(readiness.body()).contains("draining");

        // The callers keep talking through the first second of the drain, then stop.
        long talkUntil = signal + Duration.ofSeconds(1).toNanos();
        Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(talkUntil - System.nanoTime())));
        for (Caller caller : callers) {
            caller.stopTalking();
        }

        List<String> tokens = new ArrayList<>();
        for (Caller caller : callers) {
            assertThat(caller.sent.get()).as("audio sent after the signal").isGreaterThan(caller.sentBeforeSignal + 10);
            GoingAway told = caller.stream.await(EventCase.GOING_AWAY).getGoingAway();
            assertThat(told.getReason()).isEqualTo(GoingAwayReason.GOING_AWAY_REASON_GATEWAY_SHUTDOWN);
            assertThat(told.getResumeToken()).startsWith("lgrt_");
            assertThat(told.getTimeLeft().getSeconds()).isEqualTo(DRAIN.toSeconds());
            Status end = caller.stream.awaitEnd();
            assertThat(end.getCode()).as("end of a conversation at the drain timeout: %s", end)
                    .isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(end.getDescription()).contains("resume token");
            assertThat(caller.stream.trailers().get(StatusMapper.RESUME_TOKEN_TRAILER)).isEqualTo(told.getResumeToken());
            tokens.add(told.getResumeToken());
            caller.stream.close();
        }

        assertThat(a.process().waitFor(DRAIN.toSeconds() + 10, TimeUnit.SECONDS))
                .as("the gateway exits after the drain (log %s)", a.log()).isTrue();
        Duration exit = Duration.ofNanos(System.nanoTime() - signal);
        System.out.printf("SIGTERM to exit: %d ms (drain timeout %d ms)%n", exit.toMillis(), DRAIN.toMillis());
        assertThat(exit).isLessThan(DRAIN.plusSeconds(10));

        // Every chunk each caller sent, before and after the signal, reached the Live API, once, in order.
        JsonNode sessions = Wire.mapper().readTree(HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + emulatorPort + "/emulator/sessions")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        for (Caller caller : callers) {
            assertThat(consumedAudio(sessions, caller.upstreamSessionId))
                    .as("audio chunks of Live session %s consumed by the Live API", caller.upstreamSessionId)
                    .isEqualTo(IntStream.range(0, caller.sent.get()).boxed().toList());
        }

        // Each token continues the same Live session on the other replica, with all of the user's speech.
        for (int i = 0; i < CALLERS; i++) {
            Caller caller = callers.get(i);
            try (GatewayStream resumed = GatewayStream.open(b.port(), TENANT_KEY)) {
                resumed.config(audioConfig().toBuilder().setResumeToken(tokens.get(i)).build());
                SessionStarted started = resumed.await(EventCase.SESSION_STARTED).getSessionStarted();
                assertThat(started.getResumed()).isTrue();
                assertThat(started.getUpstreamSessionId()).isEqualTo(caller.upstreamSessionId);
                resumed.send(ClientEvent.newBuilder().setActivityEnd(ActivityEnd.getDefaultInstance()).build());
                String heard = resumed.await(EventCase.INPUT_TRANSCRIPTION).getInputTranscription().getText();
                assertThat(heard).as("what the model heard of the caller's turn")
                        .isEqualTo(ScriptedModel.heardText(caller.sent.get() * 0.02));
                resumed.await(EventCase.TURN_COMPLETE);
                resumed.halfClose();
                assertThat(resumed.awaitEnd().getCode()).isEqualTo(Status.Code.OK);
            }
        }
    }

    private static List<Integer> consumedAudio(JsonNode sessions, String liveSessionId) {
        for (JsonNode session : sessions) {
            if (session.path("id").asText().equals(liveSessionId)) {
                List<Integer> sequence = new ArrayList<>();
                for (JsonNode message : session.path("consumed")) {
                    JsonNode data = message.path("realtimeInput").path("audio").path("data");
                    if (data.isTextual()) {
                        sequence.add(NumberedChunks.sequenceOf(Base64.getDecoder().decode(data.asText())));
                    }
                }
                return sequence;
            }
        }
        throw new AssertionError("the emulator has no Live session " + liveSessionId);
    }
}
