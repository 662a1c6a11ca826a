package dev.livegateway.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up loading and polling, on a real Vert.x timer and worker pool. */
class ToolFileWatcherTest {

    @TempDir
    Path directory;

    private final Vertx vertx = Vertx.vertx();
    private final ToolDocuments documents = new ToolDocuments(new ToolValidator(ToolLimits.DEFAULTS));
    private final InMemoryToolStore store = new InMemoryToolStore(10, Clock.systemUTC());

    @AfterEach
    void closeVertx() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    private ToolFileWatcher watcher(Path dir, ToolsConfig.InvalidFilePolicy policy) {
        return new ToolFileWatcher(Optional.of(dir), Duration.ofMillis(50), policy, Duration.ofSeconds(5), documents,
                store, vertx);
    }

    @Test
    void anInvalidFileFailsStartUpWithTheProblems() throws Exception {
        Files.writeString(directory.resolve("lights.yaml"), "name: lights\nfunctions: [{name: 9lives}]\n");
        assertThatThrownBy(() -> watcher(directory, ToolsConfig.InvalidFilePolicy.FAIL).onStart(null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("lights.yaml")
                .hasMessageContaining("functions[0].name")
                .hasMessageContaining("live-gateway.tools.on-invalid-file-at-startup=warn");
    }

    @Test
    void aMissingDirectoryFailsStartUp() {
        assertThatThrownBy(() -> watcher(directory.resolve("absent"), ToolsConfig.InvalidFilePolicy.WARN).onStart(null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is not a directory");
    }

    @Test
    void warnsThenPicksUpChangesByPolling() throws Exception {
        Files.writeString(directory.resolve("lights.yaml"), "name: lights\nfunctions: [{name: 9lives}]\n");
        Files.writeString(directory.resolve("search.yaml"), "name: search\ngoogleSearch: {}\n");
        ToolFileWatcher watcher = watcher(directory, ToolsConfig.InvalidFilePolicy.WARN);
        watcher.onStart(null);
        try {
            assertThat(store.get("search").await().indefinitely()).isPresent();
            assertThat(store.get("lights").await().indefinitely()).isEmpty();

            Files.writeString(directory.resolve("lights.yaml"), "name: lights\nfunctions: [{name: turn_on}]\n");
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (store.get("lights").await().indefinitely().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(store.get("lights").await().indefinitely()).map(ToolEntry::version).contains(1L);
        } finally {
            watcher.onStop(null);
        }
    }
}
