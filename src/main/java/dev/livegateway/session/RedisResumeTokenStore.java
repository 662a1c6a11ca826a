package dev.livegateway.session;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livegateway.redis.RedisConnections;
import io.lettuce.core.SetArgs;
import io.smallrye.mutiny.Uni;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Resume tokens in Redis, so that a caller can continue its session on any replica. A token is
 * stored under the SHA-256 of its value (a token is a bearer secret: whoever can list Redis keys
 * must not be able to use one), as JSON, with a Redis expiry at the record's {@code expiresAt}.
 * {@link #take} reads and deletes in one Lua script, so of two replicas given the same token at the
 * same moment only one continues the session.
 */
public final class RedisResumeTokenStore implements ResumeTokenStore {

    /** KEYS[1] the token's key. Replies {record} or {} when absent. */
    static final String TAKE = """
            local record = redis.call('GET', KEYS[1])
            if not record then
              return {}
            end
            redis.call('DEL', KEYS[1])
            return {record}
            """;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RedisConnections redis;
    private final Clock clock;

    public RedisResumeTokenStore(RedisConnections redis, Clock clock) {
        this.redis = redis;
        this.clock = clock;
    }

    private String key(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return redis.key("resume", HexFormat.of().formatHex(digest));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    @Override
    public Uni<Void> put(String token, ResumeRecord record) {
        long ttlMillis = Duration.between(clock.instant(), record.expiresAt()).toMillis();
        if (ttlMillis <= 0) {
            return remove(token);
        }
        String value = toJson(record);
        return redis.call(commands -> commands.set(key(token), value, SetArgs.Builder.px(ttlMillis))).replaceWithVoid();
    }

    @Override
    public Uni<Optional<ResumeRecord>> take(String token) {
        return redis.script(TAKE, new String[] {key(token)})
                .map(reply -> reply.isEmpty() ? Optional.<ResumeRecord>empty() : Optional.of(fromJson((String) reply.get(0))))
                // Redis expires keys lazily to the millisecond; never hand out a record past its time.
                .map(record -> record.filter(r -> r.expiresAt().isAfter(clock.instant())));
    }

    @Override
    public Uni<Void> remove(String token) {
        return redis.call(commands -> commands.del(key(token))).replaceWithVoid();
    }

    static String toJson(ResumeRecord record) {
        ObjectNode node = JSON.createObjectNode();
        node.put("tenant", record.tenant());
        node.put("handle", record.handle());
        node.put("setup", record.setupJson());
        ArrayNode tools = node.putArray("tools");
        record.tools().forEach(tools::add);
        node.put("gatewaySessionId", record.gatewaySessionId());
        node.put("expiresAt", record.expiresAt().toEpochMilli());
        return node.toString();
    }

    static ResumeRecord fromJson(String json) {
        try {
            JsonNode node = JSON.readTree(json);
            List<String> tools = new ArrayList<>();
            node.path("tools").forEach(tool -> tools.add(tool.asText()));
            return new ResumeRecord(node.get("tenant").asText(), node.get("handle").asText(), node.get("setup").asText(),
                    List.copyOf(tools), node.get("gatewaySessionId").asText(),
                    Instant.ofEpochMilli(node.get("expiresAt").asLong()));
        } catch (JsonProcessingException | RuntimeException e) {
            throw new IllegalStateException("a stored resume token is unreadable (written by an incompatible gateway"
                    + " version?): " + e.getMessage(), e);
        }
    }
}
