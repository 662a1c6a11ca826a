package dev.livegateway.redis;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * The Redis server shared by the replicas (quota leases, and later resume tokens and the tool
 * registry). Prefix {@code live-gateway.redis}. Only used by the parts configured to store their
 * state in Redis, e.g. {@code live-gateway.quota.store=redis}.
 */
@ConfigMapping(prefix = "live-gateway.redis")
public interface RedisConfig {

    /**
     * Redis URI, e.g. {@code redis://redis:6379/0}, {@code rediss://:password@host:6378} (TLS; the
     * port of Memorystore with in-transit encryption; see {@code tls.ca-file} for its CA)
     * or {@code redis-sentinel://host:26379/0#mymaster}. Required when any store is
     * {@code redis}; put the password in a Secret-backed environment variable
     * ({@code LIVE_GATEWAY_REDIS_URI}).
     */
    Optional<String> uri();

    /**
     * Time allowed for one Redis command (and for connecting). Kept short so that a dead Redis
     * refuses admissions quickly instead of hanging callers.
     */
    @WithDefault("2s")
    Duration commandTimeout();

    /**
     * Prefix of every key the gateway writes. Keys are grouped in a Redis Cluster hash tag
     * ({@code {prefix}:...}) so the multi-key Lua scripts stay on one slot. Change it to let
     * several gateway deployments share one Redis.
     */
    @WithDefault("live-gateway")
    String keyPrefix();

    /** TLS to Redis ({@code rediss://} URIs). */
    Tls tls();

    /** TLS settings of the Redis connection. */
    interface Tls {

        /**
         * PEM file of the certificate authorities that sign the Redis server's certificate, for a
         * {@code rediss://} URI whose server certificate is not signed by a CA the JDK trusts (e.g.
         * Memorystore's server CA, downloaded with {@code gcloud redis instances describe}). Unset:
         * the JDK's trusted CAs. Start-up fails when the file is unreadable or the URI is not
         * {@code rediss://}.
         */
        Optional<String> caFile();
    }
}
