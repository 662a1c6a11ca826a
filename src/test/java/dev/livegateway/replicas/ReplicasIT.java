package dev.livegateway.replicas;

import static dev.livegateway.replicas.GatewayLeaseTest.textConfig;
import static dev.livegateway.replicas.GatewayLeaseTest.userText;
import static org.assertj.core.api.Assertions.assertThat;

import dev.livegateway.GatewayStream;
import dev.livegateway.api.v1.ServerEvent.EventCase;
import dev.livegateway.api.v1.SessionStarted;
import dev.livegateway.auth.KeyHashes;
import dev.livegateway.redis.RedisConnections;
import dev.livegateway.testing.ChildProcesses;
import dev.livegateway.testing.GatewayProcesses.Gateway;
import dev.livegateway.testing.GatewayProcesses;
import dev.livegateway.testing.RawLiveApiClient;
import dev.livegateway.testing.RedisTestServer;
import io.grpc.Status;
import io.lettuce.core.Range;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two gateway processes (the packaged {@code quarkus-run.jar}, production profile, real API keys)
 * sharing one real Redis and one stand-alone emulator process, as two replicas behind a load
 * balancer: one tenant's limit holds across both, a resume token taken on one replica continues the
 * Live session on the other, and a replica killed with SIGKILL gives its capacity back after the
 * lease TTL. Process logs: {@code target/replicas-it/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicasIT {

    private static final String TENANT = "replica-it";
    private static final String TENANT_KEY = "replica-it-tenant-key-0123456789";
    private static final String ADMIN_KEY = "replica-it-admin-key-0123456789";
    private static final int LIMIT = 10;
    private static final Duration LEASE_TTL = Duration.ofSeconds(3);
    private static final Duration HEARTBEAT = Duration.ofSeconds(1);
    private static final Path LOGS = Path.of("target", "replicas-it");

    private static RedisTestServer redis;
    private static RedisConnections observer;
    private static GatewayProcesses processes;
    private static Gateway a;
    private static Gateway b;

    @BeforeAll
    static void startReplicas() throws Exception {
        processes = new GatewayProcesses(LOGS);
        redis = RedisTestServer.start();
        observer = new RedisConnections(redis.uri(), Duration.ofSeconds(2), "live-gateway");

        int emulatorPort = ChildProcesses.freePort();
        processes.emulator("emulator", emulatorPort);
        String endpoint = "ws://127.0.0.1:" + emulatorPort
                + "/ws/google.cloud.aiplatform.v1beta1.LlmBidiService/BidiGenerateContent";

        a = startGateway("gw-a", endpoint);
        b = startGateway("gw-b", endpoint);
        GatewayProcesses.awaitReady(a);
        GatewayProcesses.awaitReady(b);
    }

    @AfterAll
    static void stopReplicas() {
        if (processes != null) {
            processes.close();
        }
        if (observer != null) {
            observer.close();
        }
        if (redis != null) {
            redis.stop();
        }
    }

    private static Gateway startGateway(String name, String upstreamEndpoint) {
        return processes.gateway(name, Map.ofEntries(
                Map.entry("live-gateway.replica-id", name),
                Map.entry("live-gateway.upstream.mode", "emulator"),
                Map.entry("live-gateway.upstream.endpoint", upstreamEndpoint),
                Map.entry("live-gateway.emulator.enabled", "false"),
                Map.entry("live-gateway.store", "redis"),
                Map.entry("live-gateway.redis.uri", redis.uri()),
                Map.entry("live-gateway.quota.tenants." + TENANT + ".max-concurrent-sessions", Integer.toString(LIMIT)),
                Map.entry("live-gateway.quota.heartbeat-interval", HEARTBEAT.toMillis() + "ms"),
                Map.entry("live-gateway.quota.lease-ttl", LEASE_TTL.toMillis() + "ms"),
                Map.entry("live-gateway.quota.retry-after", "1s"),
                Map.entry("live-gateway.auth.tenants." + TENANT + ".key-hashes", KeyHashes.format(TENANT_KEY)),
                Map.entry("live-gateway.auth.admin-key-hashes", KeyHashes.format(ADMIN_KEY))));
    }

    /** The tenant's leases in Redis that have not expired: what both replicas count against the limit. */
    private static long leasesInRedis() {
        String key = observer.key("quota", "tenant", TENANT, "leases");
        Range<Long> live = Range.from(Range.Boundary.excluding(System.currentTimeMillis()), Range.Boundary.unbounded());
        return observer.call(redis -> redis.zcount(key, live)).await().atMost(Duration.ofSeconds(15));
    }

    private static GatewayStream open(Gateway gateway) {
        return GatewayStream.open(gateway.port(), TENANT_KEY);
    }

    /**
     * Opens a session on {@code gateway}: the stream once SessionStarted arrived, or null when it
     * was refused for the tenant's concurrency limit. Any other outcome fails the test.
     */
    private static GatewayStream trySession(Gateway gateway) {
        GatewayStream stream = open(gateway);
        stream.config(textConfig());
        try {
            stream.await(EventCase.SESSION_STARTED);
            return stream;
        } catch (AssertionError endedFirst) {
            Status status = stream.awaitEnd();
            stream.close();
            if (status.getCode() == Status.Code.RESOURCE_EXHAUSTED
                    && status.getDescription().contains("tenant " + TENANT + ": " + LIMIT + " concurrent sessions")) {
                return null;
            }
            throw new AssertionError("session on " + gateway.name() + " ended with " + status + " before it started",
                    endedFirst);
        }
    }

    /** The production profile (these replicas run it) serves no playground: it is on in dev, test and emulator only. */
    @Test
    @Order(0)
    void theProductionProfileServesNoPlayground() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        for (String path : List.of("/playground", "/playground/app.js")) {
            java.net.http.HttpResponse<String> response = http.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + a.port() + path)).timeout(Duration.ofSeconds(5)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("GET %s on a prod replica", path).isEqualTo(404);
        }
    }

    @Test
    @Order(1)
    void aResumeTokenFromOneReplicaContinuesTheSessionOnTheOther() {
        String token;
        SessionStarted onA;
        try (GatewayStream first = open(a)) {
            first.config(textConfig());
            onA = first.await(EventCase.SESSION_STARTED).getSessionStarted();
            first.send(userText("remember the word replica"));
            first.await(EventCase.TURN_COMPLETE);
            token = first.await(EventCase.RESUME_TOKEN_UPDATE).getResumeTokenUpdate().getToken();
            assertThat(token).isNotEmpty();
            first.dropConnection(); // the caller loses replica A
        }

        try (GatewayStream second = open(b)) {
            second.config(textConfig().toBuilder().setResumeToken(token).build());
            SessionStarted onB = second.await(EventCase.SESSION_STARTED).getSessionStarted();
            assertThat(onB.getResumed()).isTrue();
            assertThat(onB.getUpstreamSessionId()).as("the same Live session").isEqualTo(onA.getUpstreamSessionId());
            assertThat(onB.getTenant()).isEqualTo(TENANT);
            second.send(userText("still there on B"));
            second.await(EventCase.TURN_COMPLETE);
            assertThat(second.text()).contains("still there on B");
            second.halfClose();
            assertThat(second.awaitEnd().getCode()).isEqualTo(Status.Code.OK);
        }

        // A token continues one stream only, whichever replica is asked.
        try (GatewayStream again = open(a)) {
            again.config(textConfig().toBuilder().setResumeToken(token).build());
            again.assertEndsWith(Status.Code.NOT_FOUND, "resume_token");
        }
    }

    /**
     * The Live-API-compatible front across replicas: a client's {@code sessionResumptionUpdate}
     * handle from replica A continues the conversation on replica B (the same Redis token store as
     * the gRPC front), once only.
     */
    @Test
    @Order(1)
    void aLiveApiClientsHandleFromOneReplicaResumesOnTheOtherOnce() throws Exception {
        String path = "/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent?key=" + TENANT_KEY;
        String setup = "{\"setup\":{\"model\":\"models/gemini-live-2.5-flash\","
                + "\"generationConfig\":{\"responseModalities\":[\"TEXT\"]},\"sessionResumption\":{%s}}}";
        Duration within = Duration.ofSeconds(20);
        String handle;
        try (RawLiveApiClient first = RawLiveApiClient.connect(a.port(), path)) {
            first.send(setup.formatted(""));
            first.await(m -> m.has("setupComplete"), within);
            first.send(clientText("remember the word replica"));
            first.await(m -> m.at("/serverContent/turnComplete").asBoolean(), within);
            first.await(m -> !m.at("/sessionResumptionUpdate/newHandle").asText("").isEmpty(), within);
            handle = first.received().stream().map(m -> m.at("/sessionResumptionUpdate/newHandle").asText(""))
                    .filter(h -> !h.isEmpty()).reduce((older, newer) -> newer).orElseThrow();
        } // the client goes away from replica A

        try (RawLiveApiClient second = RawLiveApiClient.connect(b.port(), path)) {
            second.send(setup.formatted("\"handle\":\"" + handle + "\""));
            second.await(m -> m.has("setupComplete"), within);
            second.send(clientText("still there on B"));
            second.await(m -> m.at("/serverContent/turnComplete").asBoolean(), within);
            String text = second.received().stream().map(m -> m.at("/serverContent/modelTurn/parts/0/text").asText(""))
                    .reduce("", String::concat);
            assertThat(text).contains("still there on B");

            // the handle continued one conversation: a second use, on either replica, is refused
            try (RawLiveApiClient again = RawLiveApiClient.connect(a.port(), path)) {
                again.send(setup.formatted("\"handle\":\"" + handle + "\""));
                assertThat(again.awaitClose(within)).isEqualTo(1007);
                assertThat(again.closeReason()).contains("already used");
            }
        }
        awaitLeasesInRedis(0, Duration.ofSeconds(10));
    }

    private static String clientText(String text) {
        return "{\"clientContent\":{\"turns\":[{\"role\":\"user\",\"parts\":[{\"text\":\"" + text
                + "\"}]}],\"turnComplete\":true}}";
    }

    @Test
    @Order(2)
    void fiftyCallersOfOneTenantNeverHoldMoreThanTheLimitAcrossBothReplicas() throws Exception {
        int callers = 50;
        AtomicBoolean sampling = new AtomicBoolean(true);
        AtomicInteger maxInRedis = new AtomicInteger();
        AtomicInteger samples = new AtomicInteger();
        AtomicInteger holding = new AtomicInteger();
        AtomicInteger maxHolding = new AtomicInteger();
        AtomicInteger refusals = new AtomicInteger();
        Map<String, AtomicInteger> servedBy = new ConcurrentHashMap<>();
        List<String> unexpected = new CopyOnWriteArrayList<>();

        ExecutorService pool = Executors.newFixedThreadPool(callers + 1);
        try {
            Future<?> sampler = pool.submit(() -> {
                while (sampling.get()) {
                    maxInRedis.accumulateAndGet((int) leasesInRedis(), Math::max);
                    samples.incrementAndGet();
                    Thread.sleep(5);
                }
                return null;
            });
            List<Future<?>> work = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                Gateway gateway = i % 2 == 0 ? a : b;
                work.add(pool.submit(() -> {
                    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                    while (System.nanoTime() < deadline) {
                        try (GatewayStream stream = trySession(gateway)) {
                            if (stream != null) {
                                maxHolding.accumulateAndGet(holding.incrementAndGet(), Math::max);
                                stream.send(userText("hello from a caller"));
                                stream.await(EventCase.TURN_COMPLETE);
                                Thread.sleep(ThreadLocalRandom.current().nextInt(100, 300));
                                holding.decrementAndGet();
                                stream.halfClose();
                                Status end = stream.awaitEnd();
                                if (!end.isOk()) {
                                    unexpected.add("session ended with " + end);
                                }
                                servedBy.computeIfAbsent(gateway.name(), n -> new AtomicInteger()).incrementAndGet();
                                return null;
                            }
                        } catch (AssertionError failed) {
                            unexpected.add(failed.getMessage());
                            return null;
                        }
                        refusals.incrementAndGet();
                        Thread.sleep(ThreadLocalRandom.current().nextInt(50, 200));
                    }
                    unexpected.add("a caller got no session within 90 s");
                    return null;
                }));
            }
            for (Future<?> caller : work) {
                caller.get();
            }
            sampling.set(false);
            sampler.get();
        } finally {
            pool.shutdownNow();
        }

        System.out.printf("%d callers: %s sessions per replica, %d refusals; at most %d leases in Redis (%d samples),"
                + " %d sessions held by the callers%n", callers, servedBy, refusals.get(), maxInRedis.get(), samples.get(),
                maxHolding.get());
        assertThat(unexpected).isEmpty();
        assertThat(servedBy.get("gw-a").get() + servedBy.get("gw-b").get()).isEqualTo(callers);
        assertThat(maxHolding.get()).as("sessions held at once by the callers").isLessThanOrEqualTo(LIMIT);
        assertThat(maxInRedis.get()).as("leases in Redis at once, %d samples", samples.get()).isLessThanOrEqualTo(LIMIT);
        assertThat(maxInRedis.get()).as("the limit was reached").isEqualTo(LIMIT);
        assertThat(refusals.get()).as("callers refused while the limit was full").isPositive();
        awaitLeasesInRedis(0, Duration.ofSeconds(5));
    }

    @Test
    @Order(3)
    void refusalsNameTheLimitOnEitherReplica() throws Exception {
        List<GatewayStream> held = new ArrayList<>();
        try {
            for (int i = 0; i < LIMIT; i++) {
                held.add(java.util.Objects.requireNonNull(trySession(i % 2 == 0 ? a : b), "admitted"));
            }
            for (Gateway gateway : List.of(a, b)) {
                try (GatewayStream refused = open(gateway)) {
                    refused.config(textConfig());
                    refused.assertEndsWith(Status.Code.RESOURCE_EXHAUSTED, "tenant " + TENANT + ": " + LIMIT + " concurrent sessions");
                }
            }
        } finally {
            held.forEach(GatewayStream::close);
        }
        awaitLeasesInRedis(0, Duration.ofSeconds(5));
    }

    @Test
    @Order(4)
    void aKilledReplicasLeasesExpireAndTheCapacityReturns() throws Exception {
        List<GatewayStream> onA = new ArrayList<>();
        for (int i = 0; i < LIMIT; i++) {
            onA.add(java.util.Objects.requireNonNull(trySession(a), "admitted"));
        }
        assertThat(leasesInRedis()).isEqualTo(LIMIT);

        a.process().destroyForcibly(); // SIGKILL: no release, no drain
        long killed = System.nanoTime();
        assertThat(a.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
        onA.forEach(stream -> assertThat(stream.awaitEnd().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
        onA.forEach(GatewayStream::close);

        // The dead replica's leases still count until they expire...
        try (GatewayStream refused = open(b)) {
            refused.config(textConfig());
            refused.assertEndsWith(Status.Code.RESOURCE_EXHAUSTED, "concurrent sessions");
        }
        // ...and then the capacity comes back without anyone cleaning up.
        GatewayStream first = null;
        while (first == null) {
            assertThat(Duration.ofNanos(System.nanoTime() - killed)).as("capacity back within the lease TTL and a margin")
                    .isLessThan(LEASE_TTL.plus(HEARTBEAT).plusSeconds(5));
            first = trySession(b);
            if (first == null) {
                Thread.sleep(100);
            }
        }
        Duration healed = Duration.ofNanos(System.nanoTime() - killed);
        System.out.printf("capacity of the killed replica back after %d ms (lease TTL %d ms)%n", healed.toMillis(),
                LEASE_TTL.toMillis());
        assertThat(healed).as("the leases outlived the kill").isGreaterThan(LEASE_TTL.minus(HEARTBEAT).minusMillis(500));

        List<GatewayStream> onB = new ArrayList<>(List.of(first));
        try {
            for (int i = 1; i < LIMIT; i++) {
                // The killed replica's leases were renewed one by one, so they expire milliseconds apart.
                GatewayStream next = null;
                long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
                while (next == null && System.nanoTime() < deadline) {
                    next = trySession(b);
                    if (next == null) {
                        Thread.sleep(50);
                    }
                }
                onB.add(java.util.Objects.requireNonNull(next, "admitted"));
            }
            assertThat(leasesInRedis()).isEqualTo(LIMIT);
            try (GatewayStream refused = open(b)) {
                refused.config(textConfig());
                refused.assertEndsWith(Status.Code.RESOURCE_EXHAUSTED, "concurrent sessions");
            }
        } finally {
            onB.forEach(GatewayStream::close);
        }
        awaitLeasesInRedis(0, Duration.ofSeconds(5));
    }

    private static void awaitLeasesInRedis(long count, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (leasesInRedis() != count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("leases in Redis: " + leasesInRedis() + ", expected " + count);
            }
            Thread.sleep(50);
        }
    }
}
