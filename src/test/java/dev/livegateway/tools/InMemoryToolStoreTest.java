package dev.livegateway.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class InMemoryToolStoreTest {

    private final InMemoryToolStore store = new InMemoryToolStore(3, Clock.systemUTC());

    private static ToolDefinition search(String description) {
        return new ToolDefinition("search", description, List.of(), null, null, JsonNodeFactory.instance.objectNode(), null);
    }

    @Test
    void versionsGrowAndOldOnesAreKeptUpToTheHistorySize() {
        ToolEntry entry = store.create(search("1"), ToolOrigin.API).await().indefinitely();
        assertThat(entry.version()).isEqualTo(1);
        for (int i = 2; i <= 5; i++) {
            entry = store.replace(entry.version(), search(String.valueOf(i)), ToolOrigin.API).await().indefinitely();
            assertThat(entry.version()).isEqualTo(i);
        }
        assertThat(store.get("search", 2).await().indefinitely()).isEmpty();
        assertThat(store.get("search", 3).await().indefinitely()).map(e -> e.definition().description()).contains("3");
        assertThat(store.get("search").await().indefinitely()).map(ToolEntry::version).contains(5L);
    }

    @Test
    void compareAndSetRefusesAStaleVersionAndChangesNothing() {
        store.create(search("1"), ToolOrigin.API).await().indefinitely();
        store.replace(1, search("2"), ToolOrigin.API).await().indefinitely();
        assertThatThrownBy(() -> store.replace(1, search("lost"), ToolOrigin.API).await().indefinitely())
                .isInstanceOf(ToolVersionMismatchException.class);
        assertThatThrownBy(() -> store.delete("search", 1).await().indefinitely())
                .isInstanceOf(ToolVersionMismatchException.class);
        assertThatThrownBy(() -> store.create(search("again"), ToolOrigin.API).await().indefinitely())
                .isInstanceOf(ToolAlreadyExistsException.class);
        assertThat(store.get("search").await().indefinitely()).map(e -> e.definition().description()).contains("2");
    }

    @Test
    void aRecreatedNameContinuesItsVersionsAndForgetsItsHistory() {
        store.create(search("1"), ToolOrigin.API).await().indefinitely();
        store.delete("search", 1).await().indefinitely();
        assertThat(store.get("search").await().indefinitely()).isEmpty();
        assertThat(store.list().await().indefinitely()).isEmpty();
        assertThatThrownBy(() -> store.delete("search", 1).await().indefinitely()).isInstanceOf(ToolNotFoundException.class);

        ToolEntry again = store.create(search("new"), ToolOrigin.API).await().indefinitely();
        assertThat(again.version()).isEqualTo(3);
        assertThat(store.get("search", 1).await().indefinitely()).isEmpty();
    }

    @Test
    void exactlyOneOfConcurrentWritersWins() throws Exception {
        store.create(search("start"), ToolOrigin.API).await().indefinitely();
        int writers = 16;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Callable<Boolean>> tasks = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                String description = "writer " + i;
                tasks.add(() -> {
                    try {
                        store.replace(1, search(description), ToolOrigin.API).await().indefinitely();
                        return true;
                    } catch (ToolVersionMismatchException stale) {
                        return false;
                    }
                });
            }
            long winners = 0;
            for (Future<Boolean> outcome : pool.invokeAll(tasks)) {
                winners += outcome.get() ? 1 : 0;
            }
            assertThat(winners).isEqualTo(1);
            assertThat(store.get("search").await().indefinitely()).map(ToolEntry::version).contains(2L);
        } finally {
            pool.shutdownNow();
        }
    }
}
