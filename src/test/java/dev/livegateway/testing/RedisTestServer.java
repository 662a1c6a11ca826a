package dev.livegateway.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.time.Duration;
import redis.embedded.RedisServer;

/**
 * A real redis-server process (the binary shipped by embedded-redis) on a free local port, that
 * tests can stop and start again on the same port to simulate an outage. No persistence: a
 * restart comes back empty, like a Redis that lost its data.
 */
public final class RedisTestServer implements AutoCloseable {

    private final int port;
    private RedisServer server;

    private RedisTestServer(int port) {
        this.port = port;
    }

    /** Starts a server on a free port. */
    public static RedisTestServer start() {
        RedisTestServer redis = new RedisTestServer(ChildProcesses.freePort());
        redis.startAgain();
        return redis;
    }

    public int port() {
        return port;
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** (Re)starts the process on this server's port and waits until it accepts connections. */
    public synchronized void startAgain() {
        try {
            server = RedisServer.newRedisServer()
                    .port(port)
                    .bind("127.0.0.1")
                    .setting("save \"\"")
                    .setting("appendonly no")
                    .build();
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start redis-server on port " + port, e);
        }
        awaitPort(true);
    }

    /** Stops the process, as a crash or an outage would, and waits until the port is closed. */
    public synchronized void stop() {
        try {
            if (server != null) {
                server.stop();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        awaitPort(false);
    }

    @Override
    public void close() {
        stop();
    }

    private void awaitPort(boolean open) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                if (open) {
                    return;
                }
            } catch (IOException e) {
                if (!open) {
                    return;
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new IllegalStateException("redis-server on port " + port + " did not " + (open ? "start" : "stop"));
    }

}
