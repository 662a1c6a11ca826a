package dev.livegateway.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.vertx.core.runtime.VertxMDC;
import io.quarkus.vertx.mdc.provider.LateBoundMDCProvider;
import io.smallrye.common.vertx.VertxContext;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.MDC;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What runs on a session's context logs with its session id, and no other stream's logs do. With the
 * MDC provider Quarkus installs at start-up (VertxMDC: a duplicated context's MDC lives in its locals).
 */
class SessionContextTest {

    static Vertx vertx;

    @BeforeAll
    static void start() {
        LateBoundMDCProvider.setMDCProviderDelegate(VertxMDC.INSTANCE); // what Quarkus does when Vert.x starts
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** What {@code MDC.get("session")} says inside {@code task}, run as a task of its own on {@code context}. */
    private static Object onContext(Context context, Runnable task) throws Exception {
        CompletableFuture<Object> seen = new CompletableFuture<>();
        context.runOnContext(v -> {
            task.run();
            seen.complete(String.valueOf(MDC.get("session")));
        });
        return seen.get(10, TimeUnit.SECONDS);
    }

    @Test
    void onItsOwnDuplicatedContextTheIdIsSetOnceAndStaysForEveryTaskThere() throws Exception {
        Context root = vertx.getOrCreateContext();
        Context own = VertxContext.createNewDuplicatedContext(root);
        Context otherStream = VertxContext.createNewDuplicatedContext(root);
        SessionContext session = new SessionContext(own, "lg-own");

        CompletableFuture<Object> inside = new CompletableFuture<>();
        assertThat(onContext(own, () -> session.run(() -> inside.complete(MDC.get("session"))))).isEqualTo("lg-own");
        assertThat(inside.get(10, TimeUnit.SECONDS)).isEqualTo("lg-own");

        CompletableFuture<Object> later = new CompletableFuture<>();
        session.later(() -> later.complete(MDC.get("session")));
        assertThat(later.get(10, TimeUnit.SECONDS)).isEqualTo("lg-own");
        assertThat(onContext(own, () -> { })).as("a task on the stream's context not run by the session")
                .isEqualTo("lg-own");
        assertThat(onContext(otherStream, () -> { })).as("another stream on the same event loop").isEqualTo("null");
    }

    @Test
    void elsewhereTheIdIsPutAroundTheTaskAndThePreviousValueRestored() throws Exception {
        Context root = vertx.getOrCreateContext();
        Context own = VertxContext.createNewDuplicatedContext(root);
        Context caller = VertxContext.createNewDuplicatedContext(root);
        SessionContext session = new SessionContext(own, "lg-timer");

        CompletableFuture<Object> inside = new CompletableFuture<>();
        assertThat(onContext(caller, () -> {
            MDC.put("session", "lg-caller");
            session.withMdc(() -> inside.complete(MDC.get("session")));
        })).isEqualTo("lg-caller");
        assertThat(inside.get(10, TimeUnit.SECONDS)).isEqualTo("lg-timer");
    }

    @Test
    void onARootContextNothingIsLeftBehind() throws Exception {
        Context root = vertx.getOrCreateContext();
        SessionContext session = new SessionContext(root, "lg-root");

        CompletableFuture<Object> inside = new CompletableFuture<>();
        Object after = onContext(root, () -> session.run(() -> inside.complete(MDC.get("session"))));
        assertThat(after).isEqualTo("null");
        inside.get(10, TimeUnit.SECONDS);
    }
}
