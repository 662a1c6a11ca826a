package dev.livegateway.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.livegateway.testing.EmbeddedRedis;
import dev.livegateway.testing.RedisTestServer;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two replicas, each with its own Vert.x, Redis connection and copy of the tool directory (as two
 * pods mounting the same ConfigMap), loading and watching the same files into one Redis: every
 * change becomes exactly one new version, whichever replica gets there first, and a restart
 * changes nothing.
 */
@ExtendWith(EmbeddedRedis.class)
class ToolFileReplicasTest {

    private static final Duration POLL = Duration.ofMillis(50);
    private static final String LIGHTS = """
            name: lights
            functions:
              - name: turn_on_the_lights
                parameters: {type: OBJECT, properties: {level: {type: NUMBER, minimum: 0.5}}}
            """;
    private static final String SEARCH = "name: search\ngoogleSearch: {}\n";
    private static final String CODE = "name: code\ncodeExecution: {}\n";

    @TempDir
    Path podA;
    @TempDir
    Path podB;

    private final String prefix = "lg-files-" + UUID.randomUUID();
    private final ToolDocuments documents = new ToolDocuments(new ToolValidator(ToolLimits.DEFAULTS));
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final List<ToolFileWatcher> watchers = new ArrayList<>();
    private final RedisTestServer redis;
    private final EmbeddedRedis.Clients clients;
    private ToolStore observer;

    ToolFileReplicasTest(RedisTestServer redis, EmbeddedRedis.Clients clients) {
        this.redis = redis;
        this.clients = clients;
    }

    @BeforeEach
    void observe() {
        observer = store();
        // Outside Quarkus, SmallRye context propagation initialises on first use and two threads
        // doing that at once fail ("ContextManagerProvider already set"): use it once here.
        observer.list().await().atMost(Duration.ofSeconds(15));
    }

    @AfterEach
    void stopReplicas() throws Exception {
        watchers.forEach(watcher -> watcher.onStop(null));
        for (AutoCloseable resource : resources) {
            resource.close();
        }
    }

    private ToolStore store() {
        return new RedisToolStore(clients.connect(Duration.ofSeconds(2), prefix), 10, Clock.systemUTC());
    }

    /** Starts a replica on {@code directory} the way the gateway does at start-up. */
    private ToolFileWatcher replica(Path directory) {
        return replica(directory, ToolsConfig.InvalidFilePolicy.FAIL);
    }

    private ToolFileWatcher replica(Path directory, ToolsConfig.InvalidFilePolicy policy) {
        Vertx vertx = Vertx.vertx();
        resources.add(() -> vertx.close().toCompletionStage().toCompletableFuture().join());
        ToolFileWatcher watcher = new ToolFileWatcher(Optional.of(directory), POLL, policy, Duration.ofSeconds(5),
                documents, store(), vertx);
        watchers.add(watcher);
        return watcher;
    }

    private void writeBoth(String file, String content) throws IOException {
        Files.writeString(podA.resolve(file), content);
        Files.writeString(podB.resolve(file), content);
    }

    private Map<String, Long> versions() {
        return observer.list().await().atMost(Duration.ofSeconds(15)).stream()
                .collect(Collectors.toMap(ToolEntry::name, ToolEntry::version));
    }

    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s: " + what);
            }
            Thread.sleep(20);
        }
    }

    /** Starts both replicas at the same moment, as a Deployment's pods do. */
    private void startBoth() {
        ToolFileWatcher a = replica(podA);
        ToolFileWatcher b = replica(podB);
        CompletableFuture.allOf(
                CompletableFuture.runAsync(() -> start(a)),
                CompletableFuture.runAsync(() -> start(b))).join();
    }

    private static void start(ToolFileWatcher watcher) {
        try {
            watcher.onStart(null);
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    @Test
    void replicasStartingTogetherCreateEachEntryOnce() throws Exception {
        writeBoth("lights.yaml", LIGHTS);
        writeBoth("search.yaml", SEARCH);
        startBoth();
        assertThat(versions()).isEqualTo(Map.of("lights", 1L, "search", 1L));

        // A restarted replica (same files) and a third one change nothing.
        start(replica(podA));
        start(replica(podB));
        assertThat(versions()).isEqualTo(Map.of("lights", 1L, "search", 1L));
        assertThat(observer.get("lights").await().indefinitely()).map(ToolEntry::origin).contains(ToolOrigin.file("lights.yaml"));
    }

    @Test
    void aChangeSeenByBothReplicasMakesOneVersion() throws Exception {
        writeBoth("lights.yaml", LIGHTS);
        writeBoth("search.yaml", SEARCH);
        startBoth();

        writeBoth("lights.yaml", LIGHTS.replace("0.5", "1.5"));
        writeBoth("code.yaml", CODE);
        Files.delete(podA.resolve("search.yaml"));
        Files.delete(podB.resolve("search.yaml"));
        awaitTrue("both replicas reloaded", () -> versions().equals(Map.of("lights", 2L, "code", 1L)));
        // Give both replicas several more polls: a replica that lost the race must not add a version.
        Thread.sleep(POLL.toMillis() * 10);
        assertThat(versions()).isEqualTo(Map.of("lights", 2L, "code", 1L));
        assertThat(observer.get("lights").await().indefinitely().orElseThrow().definition().functions().get(0)
                .parameters().at("/properties/level/minimum").asDouble()).isEqualTo(1.5);
        assertThat(observer.get("search", 1).await().indefinitely()).isEmpty();
    }

    @Test
    void aReplicaThatSeesTheChangeLaterAddsNoVersion() throws Exception {
        writeBoth("lights.yaml", LIGHTS);
        startBoth();

        // The ConfigMap update reaches pod A first (kubelet syncs pods independently).
        Files.writeString(podA.resolve("lights.yaml"), LIGHTS.replace("0.5", "2.5"));
        awaitTrue("pod A applied the change", () -> versions().equals(Map.of("lights", 2L)));
        Thread.sleep(POLL.toMillis() * 5);
        assertThat(versions()).as("pod B, still on the old files, does not revert").isEqualTo(Map.of("lights", 2L));

        Files.writeString(podB.resolve("lights.yaml"), LIGHTS.replace("0.5", "2.5"));
        Thread.sleep(POLL.toMillis() * 10);
        assertThat(versions()).isEqualTo(Map.of("lights", 2L));
    }

    @Test
    void anApiEntryIsLeftAloneByEveryReplica() throws Exception {
        ToolDefinition api = new ToolDefinition("search", "from the API", List.of(), null, null,
                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode(), null);
        observer.create(api, ToolOrigin.API).await().indefinitely();
        writeBoth("lights.yaml", LIGHTS);
        writeBoth("search.yaml", SEARCH);
        start(replica(podA, ToolsConfig.InvalidFilePolicy.WARN));
        ToolFileSource.Result again = new ToolFileSource(podB, documents, store(), Duration.ofSeconds(5)).reload();
        assertThat(again.problems()).singleElement().satisfies(p -> assertThat(p.toString()).contains("managed through the REST API"));
        ToolEntry search = observer.get("search").await().indefinitely().orElseThrow();
        assertThat(search.origin()).isEqualTo(ToolOrigin.API);
        assertThat(search.version()).isEqualTo(1);
        assertThat(versions()).isEqualTo(Map.of("lights", 1L, "search", 1L));
    }

    @Test
    void replicasRestoreTheFileEntriesWhenRedisLostItsData() throws Exception {
        writeBoth("lights.yaml", LIGHTS);
        writeBoth("search.yaml", SEARCH);
        startBoth();
        redis.stop();
        redis.startAgain(); // empty, as a Redis without persistence comes back
        awaitTrue("the replicas restored the entries", () -> {
            try {
                return versions().keySet().equals(java.util.Set.of("lights", "search"));
            } catch (RuntimeException reconnecting) {
                return false;
            }
        });
        Thread.sleep(POLL.toMillis() * 10);
        assertThat(versions()).isEqualTo(Map.of("lights", 1L, "search", 1L));
    }
}
