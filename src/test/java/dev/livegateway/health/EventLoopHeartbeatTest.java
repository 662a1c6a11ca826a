package dev.livegateway.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventLoopHeartbeatTest {

    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2)
            .setBlockedThreadCheckInterval(60_000));

    @AfterEach
    void close() {
        vertx.close();
    }

    @Test
    void aBlockedEventLoopIsReportedAndRecovers() throws Exception {
        try (EventLoopHeartbeat heartbeat = new EventLoopHeartbeat(vertx.nettyEventLoopGroup(), Duration.ofMillis(20))) {
            assertThat(heartbeat.loops()).isEqualTo(2);
            Thread.sleep(100);
            assertThat(heartbeat.blocked(Duration.ofMillis(300))).isEmpty();

            CountDownLatch release = new CountDownLatch(1);
            vertx.nettyEventLoopGroup().next().execute(() -> {
                try {
                    release.await(30, TimeUnit.SECONDS); // a handler that blocks its event loop
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> heartbeat.blocked(Duration.ofMillis(300)).isPresent());
            assertThat(heartbeat.blocked(Duration.ofMillis(300)).orElseThrow().silentFor()).isGreaterThan(Duration.ofMillis(300));

            release.countDown();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> heartbeat.blocked(Duration.ofMillis(300)).isEmpty());
        }
    }
}
