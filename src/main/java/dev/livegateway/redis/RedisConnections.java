package dev.livegateway.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.smallrye.mutiny.Uni;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The one Redis client and connection of a replica, shared by every part that keeps state in
 * Redis. Non-blocking throughout (Lettuce async API wrapped in Mutiny {@link Uni}s).
 *
 * <p>Fail-fast by design: while Redis is unreachable, commands are rejected at once (not queued)
 * and each command has a short timeout, so callers get a {@link RedisUnavailableException}
 * instead of a hang. The first connection is made lazily and retried on the next command until it
 * succeeds, so the gateway starts (and serves what needs no Redis) while Redis is still down;
 * after that, Lettuce reconnects by itself with a bounded backoff.
 */
public final class RedisConnections implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RedisConnections.class);

    private final RedisURI uri;
    private final String displayAddress;
    private final String keyPrefix;
    private final ClientResources resources;
    private final RedisClient client;
    private final AtomicReference<CompletableFuture<StatefulRedisConnection<String, String>>> connection =
            new AtomicReference<>();
    private volatile boolean closed;

    /**
     * @param uri            Redis URI (may hold a password; it is never logged)
     * @param commandTimeout time allowed per command and for connecting
     * @param keyPrefix      prefix of every key, used as Redis Cluster hash tag
     */
    public RedisConnections(String uri, Duration commandTimeout, String keyPrefix) {
        this(uri, commandTimeout, keyPrefix, Optional.empty());
    }

    /**
     * @param uri            Redis URI (may hold a password; it is never logged)
     * @param commandTimeout time allowed per command and for connecting
     * @param keyPrefix      prefix of every key, used as Redis Cluster hash tag
     * @param caFile         PEM file of the CAs trusted for a {@code rediss://} server; empty: the JDK's
     */
    public RedisConnections(String uri, Duration commandTimeout, String keyPrefix, Optional<Path> caFile) {
        this.uri = parse(uri);
        this.uri.setTimeout(commandTimeout);
        this.displayAddress = describe(this.uri);
        this.keyPrefix = keyPrefix;
        this.resources = ClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2)
                // Reconnect quickly after a Redis restart; never wait more than 5 s between tries.
                .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(5), 2, TimeUnit.MILLISECONDS))
                .build();
        this.client = RedisClient.create(resources);
        ClientOptions.Builder options = ClientOptions.builder();
        caFile.ifPresent(file -> options.sslOptions(trusting(file, this.uri)));
        this.client.setOptions(options
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
                .socketOptions(SocketOptions.builder().connectTimeout(commandTimeout).keepAlive(true).build())
                .build());
    }

    /** Creates the holder from configuration; fails with the key to set when no URI is given. */
    public static RedisConnections fromConfig(RedisConfig config, String usedBy) {
        String uri = config.uri().filter(s -> !s.isBlank()).orElseThrow(() -> new IllegalStateException(
                usedBy + " stores its state in Redis, but live-gateway.redis.uri is not set; "
                        + "set it (e.g. redis://redis:6379) or choose the memory store"));
        return new RedisConnections(uri, config.commandTimeout(), config.keyPrefix(),
                config.tls().caFile().filter(f -> !f.isBlank()).map(Path::of));
    }

    /** TLS options that trust the CAs of a PEM file; fails naming the key when it cannot be used. */
    private static SslOptions trusting(Path caFile, RedisURI uri) {
        String key = "live-gateway.redis.tls.ca-file";
        if (!uri.isSsl()) {
            throw new IllegalStateException(key + " is set, but live-gateway.redis.uri does not use TLS: "
                    + "use a rediss:// URI, or remove " + key);
        }
        if (!Files.isReadable(caFile)) {
            throw new IllegalStateException(key + " " + caFile + " does not exist or is not readable; mount the "
                    + "Redis server CA (PEM) there, or remove " + key + " to trust the JDK's CAs");
        }
        return SslOptions.builder().jdkSslProvider().trustManager(caFile.toFile()).build();
    }

    private static RedisURI parse(String uri) {
        try {
            return RedisURI.create(uri);
        } catch (RuntimeException e) {
            // The message of a parse failure may contain the password: do not repeat it.
            throw new IllegalArgumentException("live-gateway.redis.uri is not a valid Redis URI "
                    + "(expected redis://[:password@]host:port[/db], rediss://... or redis-sentinel://...)");
        }
    }

    private static String describe(RedisURI uri) {
        if (uri.getSentinels() != null && !uri.getSentinels().isEmpty()) {
            return "sentinel master " + uri.getSentinelMasterId();
        }
        return uri.getHost() + ":" + uri.getPort();
    }

    /** Host and port (or sentinel master) of the server, for messages; never the password. */
    public String address() {
        return displayAddress;
    }

    /**
     * A key in the gateway's namespace: {@code {prefix}:part1:part2}. The braces make every key
     * of one deployment hash to the same Redis Cluster slot, which multi-key scripts need.
     */
    public String key(String... parts) {
        StringBuilder key = new StringBuilder().append('{').append(keyPrefix).append('}');
        for (String part : parts) {
            key.append(':').append(part);
        }
        return key.toString();
    }

    /** The shared connection, connecting first if there is none yet. */
    public Uni<StatefulRedisConnection<String, String>> connection() {
        return Uni.createFrom().completionStage(this::connectOnce)
                .onFailure().transform(this::unavailable);
    }

    private CompletionStage<StatefulRedisConnection<String, String>> connectOnce() {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("Redis client is closed"));
        }
        CompletableFuture<StatefulRedisConnection<String, String>> current = connection.get();
        if (current != null && !current.isCompletedExceptionally()) {
            return current;
        }
        CompletableFuture<StatefulRedisConnection<String, String>> attempt = new CompletableFuture<>();
        if (!connection.compareAndSet(current, attempt)) {
            return connection.get();
        }
        client.connectAsync(StringCodec.UTF8, uri).whenComplete((conn, failure) -> {
            if (failure != null) {
                LOG.warnf("Cannot connect to Redis at %s: %s", displayAddress, rootMessage(failure));
                attempt.completeExceptionally(failure);
            } else {
                LOG.infof("Connected to Redis at %s", displayAddress);
                attempt.complete(conn);
            }
        });
        return attempt;
    }

    /**
     * Runs one command (or a few pipelined ones) on the async API. Any failure (not connected,
     * timeout, error reply) arrives as {@link RedisUnavailableException}.
     */
    public <T> Uni<T> call(Function<RedisAsyncCommands<String, String>, CompletionStage<T>> command) {
        return connection().onItem().transformToUni(conn -> Uni.createFrom()
                        .completionStage(() -> command.apply(conn.async())))
                .onFailure(f -> !(f instanceof RedisUnavailableException)).transform(this::unavailable);
    }

    /**
     * Runs a Lua script by its SHA-1 digest, loading it with EVAL when the server does not know
     * it yet (first use, or after a Redis restart flushed the script cache).
     */
    public Uni<List<Object>> script(String script, String[] keys, String... args) {
        return call(redis -> {
            String sha = redis.digest(script);
            CompletionStage<List<Object>> bySha = redis.evalsha(sha, ScriptOutputType.MULTI, keys, args);
            return bySha.handle((result, failure) -> {
                        if (failure == null) {
                            return CompletableFuture.completedFuture(result);
                        }
                        if (unwrap(failure) instanceof RedisNoScriptException) {
                            return redis.<List<Object>>eval(script, ScriptOutputType.MULTI, keys, args).toCompletableFuture();
                        }
                        return CompletableFuture.<List<Object>>failedFuture(unwrap(failure));
                    })
                    .thenCompose(Function.identity());
        });
    }

    private RedisUnavailableException unavailable(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof RedisUnavailableException unavailable) {
            return unavailable;
        }
        return new RedisUnavailableException("Redis at " + displayAddress + " is unavailable: " + rootMessage(cause), cause);
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static String rootMessage(Throwable failure) {
        Throwable cause = unwrap(failure);
        String message = cause.getMessage();
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
            if (cause.getMessage() != null) {
                message = cause.getMessage();
            }
        }
        return message != null ? message : cause.getClass().getSimpleName();
    }

    @Override
    public void close() {
        closed = true;
        CompletableFuture<StatefulRedisConnection<String, String>> current = connection.getAndSet(null);
        if (current != null) {
            current.thenAccept(StatefulRedisConnection::closeAsync);
        }
        client.shutdownAsync(0, 2, TimeUnit.SECONDS);
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
