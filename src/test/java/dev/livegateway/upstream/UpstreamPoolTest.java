package dev.livegateway.upstream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.livegateway.GatewayStream;
import dev.livegateway.api.v1.ClientEvent;
import dev.livegateway.api.v1.ClientTurn;
import dev.livegateway.api.v1.Modality;
import dev.livegateway.api.v1.Part;
import dev.livegateway.api.v1.ServerEvent;
import dev.livegateway.api.v1.ServerEvent.EventCase;
import dev.livegateway.api.v1.SessionConfig;
import dev.livegateway.api.v1.SessionStarted;
import dev.livegateway.api.v1.Turn;
import dev.livegateway.emulator.FaultRule;
import dev.livegateway.emulator.LiveApiEmulator;
import dev.livegateway.emulator.RecordedConnection;
import dev.livegateway.emulator.RecordedSession;
import dev.livegateway.metrics.PrometheusScrape;
import dev.livegateway.quota.Lease;
import dev.livegateway.quota.QuotaService;
import dev.livegateway.quota.RedisLeaseStore;
import dev.livegateway.redis.RedisConnections;
import dev.livegateway.wire.Flavour;
import io.grpc.Status;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * One pool of three emulators as targets (Vertex AI, Developer API, a plain endpoint;
 * {@link PoolEmulatorsResource}), through the real gRPC port and admin API: sessions spread by
 * weight, refusals (429, RESOURCE_EXHAUSTED) fail over without the caller noticing, a target
 * killed mid-test takes its conversation with it (UNAVAILABLE naming it) while new sessions go
 * elsewhere, resumption stays on the target, a drained target takes no new sessions, targets
 * come and go at run time, and a target's limit holds exactly across two replicas on one Redis.
 */
@QuarkusTest
@QuarkusTestResource(value = PoolEmulatorsResource.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UpstreamPoolTest {

    private static final String MODEL = "gemini-live-2.5-flash";

    @TestHTTPResource("/")
    URL base;

    @PoolEmulatorsResource.InjectPool
    PoolEmulatorsResource.Pool pool;

    @Inject
    QuotaService quota;

    @Inject
    CircuitBreakerMaintenance breakers;

    @AfterEach
    void everyTargetBack() {
        for (String target : List.of("a", "b", "c")) {
            pool.emulator(target).faults().clear();
            given().post("/v1/upstreams/" + target + ":undrain").then().statusCode(200);
            breakers.reset("live-api/" + target);
        }
        // Every session of the test has ended and given its capacity back.
        Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                given().get("/v1/upstreams/a").then().body("sessionsAllReplicas", equalTo(0)).body("sessions", equalTo(0)));
    }

    static SessionConfig textConfig() {
        return SessionConfig.newBuilder().setResponseModality(Modality.MODALITY_TEXT)
                .setSystemInstruction("pool test " + UUID.randomUUID()).build();
    }

    static ClientEvent userText(String text) {
        return ClientEvent.newBuilder().setTurn(ClientTurn.newBuilder().setTurnComplete(true)
                .addTurns(Turn.newBuilder().addParts(Part.newBuilder().setText(text)))).build();
    }

    private SessionStarted start(GatewayStream stream, SessionConfig config) {
        stream.config(config);
        return stream.await(EventCase.SESSION_STARTED).getSessionStarted();
    }

    /** Opens a session, returns the target it was placed on, ends it. */
    private String placedOn() {
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            return start(stream, textConfig()).getUpstreamTarget();
        }
    }

    private static void drain(String... targets) {
        for (String target : targets) {
            given().post("/v1/upstreams/" + target + ":drain").then().statusCode(200).body("draining", equalTo(true));
        }
    }

    /** The newest resume token the stream was given, or null. */
    private static String latestToken(GatewayStream stream) {
        String token = null;
        for (ServerEvent e : stream.events()) {
            if (e.hasSessionStarted() && !e.getSessionStarted().getResumeToken().isEmpty()) {
                token = e.getSessionStarted().getResumeToken();
            } else if (e.hasResumeTokenUpdate()) {
                token = e.getResumeTokenUpdate().getToken();
            }
        }
        return token;
    }

    private static void answers(GatewayStream stream) {
        stream.send(userText("hello"));
        stream.await(EventCase.TURN_COMPLETE);
    }

    @Test
    @Order(1)
    void sessionsSpreadByWeightOverBothFlavours() {
        Map<String, Integer> placed = new TreeMap<>();
        for (int i = 0; i < 10; i++) {
            placed.merge(placedOn(), 1, Integer::sum);
        }
        // Weights 3 : 1 : 1, smooth weighted round-robin: exactly 6, 2 and 2.
        assertThat(placed).isEqualTo(Map.of("a", 6, "b", 2, "c", 2));

        // a is Vertex AI: its project and location in the model, an OAuth bearer from the credentials.
        RecordedConnection vertex = pool.emulator("a").recorder().latestConnection().orElseThrow();
        assertThat(vertex.flavour()).isEqualTo(Flavour.VERTEX);
        assertThat(vertex.setup().model()).isEqualTo("projects/proj-a/locations/europe-west4/publishers/google/models/" + MODEL);
        assertThat(vertex.header("authorization")).startsWith("Bearer pool-token-");
        // b is the Developer API (the emulator checks its key exactly): models/{id}, x-goog-api-key.
        RecordedConnection developer = pool.emulator("b").recorder().latestConnection().orElseThrow();
        assertThat(developer.flavour()).isEqualTo(Flavour.GEMINI);
        assertThat(developer.setup().model()).isEqualTo("models/" + MODEL);
        assertThat(developer.header("x-goog-api-key")).isEqualTo(PoolEmulatorsResource.DEVELOPER_KEY);
        assertThat(developer.setup().sessionResumption().transparent()).isNull();
        // c is a plain endpoint, no credentials.
        assertThat(pool.emulator("c").recorder().latestConnection().orElseThrow().header("authorization")).isNull();

        given().get("/v1/upstreams").then().statusCode(200)
                .body("pooled", equalTo(true))
                .body("targets.name", org.hamcrest.Matchers.contains("a", "b", "c"))
                .body("targets[0].flavour", equalTo("vertex"))
                .body("targets[0].maxSessions", equalTo(3))
                .body("targets[0].placements", equalTo(6))
                .body("targets[0].breaker", equalTo("CLOSED"))
                .body("targets[0].health.healthy", equalTo(true))
                .body("targets[1].flavour", equalTo("developer"))
                .body("toString()", org.hamcrest.Matchers.not(containsString(PoolEmulatorsResource.DEVELOPER_KEY)));
        PrometheusScrape metrics = PrometheusScrape.now();
        assertThat(metrics.sum("live_gateway_upstream_target_placements_total", Map.of("target", "a"))).isEqualTo(6);
        assertThat(metrics.sum("live_gateway_upstream_target_max_sessions", Map.of("target", "a"))).isEqualTo(3);
    }

    @Test
    @Order(2)
    void refusalsFailOverWithoutTheCallerNoticing() {
        LiveApiEmulator a = pool.emulator("a");
        LiveApiEmulator b = pool.emulator("b");
        a.faults().add(FaultRule.of(FaultRule.Action.REFUSE_UPGRADE).httpStatus(429).build());
        b.faults().add(FaultRule.close(FaultRule.LiveError.RESOURCE_EXHAUSTED).atSetup().build());
        long aRefusedBefore = a.upgradeRequests();
        int bSessionsBefore = b.recorder().sessions().size();
        for (int i = 0; i < 4; i++) {
            assertThat(placedOn()).isEqualTo("c");
        }
        assertThat(a.upgradeRequests()).isGreaterThan(aRefusedBefore);
        given().get("/v1/upstreams/a").then().body("refusals", org.hamcrest.Matchers.greaterThan(0))
                .body("failovers", org.hamcrest.Matchers.greaterThan(0)).body("health.healthy", equalTo(false))
                .body("health.lastError", containsString("429"));
        given().get("/v1/upstreams/b").then().body("refusals", org.hamcrest.Matchers.greaterThan(0))
                .body("health.lastError", containsString("RESOURCE_EXHAUSTED"));
        assertThat(b.recorder().sessions().size()).isGreaterThanOrEqualTo(bSessionsBefore);
        assertThat(PrometheusScrape.now().sum("live_gateway_upstream_target_failovers_total", Map.of("target", "a")))
                .isGreaterThan(0);

        // With every target refusing, the caller gets the refusal, not a silent wait.
        given().post("/v1/upstreams/c:drain").then().statusCode(200);
        b.faults().clear();
        drain("b");
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            stream.config(textConfig());
            // a's own refusal, after the reconnection policy's retries.
            Status status = stream.awaitEnd();
            assertThat(status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(status.getDescription()).contains("429");
        }
    }

    @Test
    @Order(3)
    void aTargetKilledMidConversationEndsItWithUnavailableAndNewSessionsGoElsewhere() throws Exception {
        drain("b", "c");
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            assertThat(start(stream, textConfig()).getUpstreamTarget()).isEqualTo("a");
            answers(stream);
            given().post("/v1/upstreams/c:undrain").then().statusCode(200);
            long cUpgradesBefore = pool.emulator("c").upgradeRequests();

            pool.stop("a");
            // A new session meanwhile lands on c at once, invisibly.
            assertThat(placedOn()).isEqualTo("c");
            // The conversation tries a only (its handle is valid there), for the 3 s resume deadline.
            Status status = stream.awaitEnd();
            assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(status.getDescription()).contains("upstream target 'a'", "cannot move to another target");
            assertThat(pool.emulator("c").upgradeRequests()).isEqualTo(cUpgradesBefore + 1);
        } finally {
            pool.start("a");
        }
    }

    @Test
    @Order(4)
    void resumptionStaysOnItsTargetAfterAGoAwayAndWithAResumeToken() {
        drain("a", "c");
        String token;
        long aBefore = pool.emulator("a").upgradeRequests();
        long cBefore = pool.emulator("c").upgradeRequests();
        LiveApiEmulator b = pool.emulator("b");
        try (GatewayStream stream = GatewayStream.open(base.getPort())) {
            assertThat(start(stream, textConfig()).getUpstreamTarget()).isEqualTo("b");
            given().post("/v1/upstreams/a:undrain").then().statusCode(200);
            given().post("/v1/upstreams/c:undrain").then().statusCode(200);
            answers(stream);
            RecordedSession live = b.recorder().latestSession().orElseThrow();
            b.injectNow(live.id(), FaultRule.of(FaultRule.Action.GO_AWAY).goAwaySeconds(1).build());
            stream.await(EventCase.SESSION_RESUMED);
            answers(stream);
            assertThat(live.connections()).hasSize(2);
            Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> latestToken(stream) != null);
            token = latestToken(stream);
        }
        try (GatewayStream resumed = GatewayStream.open(base.getPort())) {
            SessionStarted started = start(resumed, SessionConfig.newBuilder().setResponseModality(Modality.MODALITY_TEXT)
                    .setResumeToken(token).build());
            assertThat(started.getResumed()).isTrue();
            assertThat(started.getUpstreamTarget()).isEqualTo("b");
            answers(resumed);
        }
        // Neither the move nor the token went anywhere but b.
        assertThat(pool.emulator("a").upgradeRequests()).isEqualTo(aBefore);
        assertThat(pool.emulator("c").upgradeRequests()).isEqualTo(cBefore);
    }

    @Test
    @Order(5)
    void aDrainedTargetTakesNoNewSessionsAndItsSessionsFinish() {
        drain("a", "b");
        try (GatewayStream onC = GatewayStream.open(base.getPort())) {
            assertThat(start(onC, textConfig()).getUpstreamTarget()).isEqualTo("c");
            given().post("/v1/upstreams/a:undrain").then().statusCode(200);
            given().post("/v1/upstreams/b:undrain").then().statusCode(200);
            drain("c");
            given().get("/v1/upstreams/c").then().body("draining", equalTo(true)).body("sessions", equalTo(1));
            for (int i = 0; i < 6; i++) {
                assertThat(placedOn()).isIn("a", "b");
            }
            // The session already on c carries on.
            answers(onC);
            assertThat(PrometheusScrape.now().sum("live_gateway_upstream_target_draining", Map.of("target", "c")))
                    .isEqualTo(1);
        }
        given().post("/v1/upstreams/x:drain").then().statusCode(404)
                .contentType("application/problem+json").body("detail", containsString("'x'"));
    }

    @Test
    @Order(6)
    void aTargetsLimitHoldsExactlyAcrossTwoReplicasOnOneRedis() throws Exception {
        drain("b", "c");
        try (RedisConnections connections = new RedisConnections(pool.redis().uri(), Duration.ofSeconds(2), "live-gateway");
                QuotaService replica2 = new QuotaService(new RedisLeaseStore(connections), quota.policy(), "replica-2",
                        "Redis")) {
            // The other replica's pool holds two of a's three sessions.
            List<Lease> held = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                held.add(replica2.holdCapacity("r2-" + i + "@a", "upstream-target/a", 3, MODEL)
                        .await().atMost(Duration.ofSeconds(15)));
            }
            try (GatewayStream third = GatewayStream.open(base.getPort());
                    GatewayStream fourth = GatewayStream.open(base.getPort())) {
                assertThat(start(third, textConfig()).getUpstreamTarget()).isEqualTo("a");
                given().get("/v1/upstreams/a").then().body("sessionsAllReplicas", equalTo(3)).body("sessions", equalTo(1));
                fourth.config(textConfig());
                Status full = fourth.awaitEnd();
                assertThat(full.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                assertThat(full.getDescription()).contains("max-sessions");
            }
            held.forEach(Lease::release);
            Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                    given().get("/v1/upstreams/a").then().body("sessionsAllReplicas", equalTo(0)));

            // Both replicas race for a's three places: exactly three are granted.
            ExecutorService callers = Executors.newFixedThreadPool(12);
            try {
                List<Future<Lease>> other = new ArrayList<>();
                List<Future<GatewayStream>> ours = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    int n = i;
                    other.add(callers.submit(() -> {
                        try {
                            return replica2.holdCapacity("race-" + n + "@a", "upstream-target/a", 3, MODEL)
                                    .await().atMost(Duration.ofSeconds(15));
                        } catch (dev.livegateway.quota.QuotaExceededException refused) {
                            return null;
                        }
                    }));
                    ours.add(callers.submit(() -> {
                        GatewayStream stream = GatewayStream.open(base.getPort());
                        stream.config(textConfig());
                        try {
                            stream.await(ServerEvent::hasSessionStarted, "SessionStarted", GatewayStream.WAIT);
                        } catch (AssertionError refused) {
                            // refused: the stream ended without a session
                        }
                        return stream;
                    }));
                }
                int granted = 0;
                List<GatewayStream> streams = new ArrayList<>();
                for (Future<Lease> f : other) {
                    Lease lease = f.get(20, TimeUnit.SECONDS);
                    if (lease != null) {
                        granted++;
                        held.add(lease);
                    }
                }
                for (Future<GatewayStream> f : ours) {
                    GatewayStream stream = f.get(20, TimeUnit.SECONDS);
                    streams.add(stream);
                }
                for (GatewayStream stream : streams) {
                    boolean started = stream.events().stream().anyMatch(ServerEvent::hasSessionStarted);
                    if (started) {
                        granted++;
                    }
                }
                assertThat(granted).isEqualTo(3);
                assertThat(quota.poolUsage("upstream-target/a").await().atMost(Duration.ofSeconds(15))).isEqualTo(3);
                streams.forEach(GatewayStream::close);
                held.forEach(Lease::release);
            } finally {
                callers.shutdownNow();
            }
        }
    }

    @Test
    @Order(7)
    void targetsAreAddedAndRemovedWithoutARestart() {
        String endpoint = "ws://127.0.0.1:" + pool.ports().get("c")
                + "/ws/google.cloud.aiplatform.v1beta1.LlmBidiService/BidiGenerateContent";
        given().contentType("application/json").body(Map.of("flavour", "endpoint", "endpoint", endpoint, "weight", 2))
                .put("/v1/upstreams/d").then().statusCode(201).body("name", equalTo("d")).body("weight", equalTo(2));
        given().contentType("application/json").body(Map.of("flavour", "endpoint", "endpoint", endpoint))
                .put("/v1/upstreams/d").then().statusCode(409);
        given().contentType("application/json").body(Map.of("flavour", "vertex"))
                .put("/v1/upstreams/e").then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("live-gateway.upstream.targets.\"e\".project is required"));
        try {
            drain("a", "b", "c");
            assertThat(placedOn()).isEqualTo("d");
            given().delete("/v1/upstreams/d").then().statusCode(200);
            given().get("/v1/upstreams/d").then().statusCode(404);
            try (GatewayStream stream = GatewayStream.open(base.getPort())) {
                stream.config(textConfig());
                Status none = stream.awaitEnd();
                assertThat(none.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                assertThat(none.getDescription()).contains("no upstream target takes sessions of model " + MODEL);
            }
        } finally {
            given().delete("/v1/upstreams/d");
        }
    }

    @Test
    @Order(8)
    void aTargetWhoseCredentialsAreRefusedPassesItsSessionsOn() {
        // b's emulator wants its own key; this target sends another one (PATH's value) to it.
        String developer = "ws://127.0.0.1:" + pool.ports().get("b")
                + "/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent";
        given().contentType("application/json")
                .body(Map.of("flavour", "developer", "apiKeyEnv", "PATH", "endpoint", developer, "weight", 5))
                .put("/v1/upstreams/wrong-key").then().statusCode(201);
        try {
            drain("a", "b");
            for (int i = 0; i < 3; i++) {
                assertThat(placedOn()).isEqualTo("c");
            }
            given().get("/v1/upstreams/wrong-key").then().body("placements", equalTo(0))
                    .body("refusals", org.hamcrest.Matchers.greaterThan(0))
                    .body("health.lastError", containsString("401"))
                    .body("toString()", org.hamcrest.Matchers.not(containsString(System.getenv("PATH"))));
        } finally {
            given().delete("/v1/upstreams/wrong-key").then().statusCode(200);
        }
    }
}
