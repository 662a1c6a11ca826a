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

/**
 * Resume tokens in Redis, so that a caller can continue its session on any replica. A token is
 * stored under the SHA-256 of its value (a token is a bearer secret: whoever can list Redis keys
 * must not be able to use one), as JSON, with a Redis expiry at the record's {@code expiresAt}.
 * {@link #take} checks the tenant and replaces the record with a tombstone naming the taker in one
 * Lua script, so of two replicas given the same token at the same moment only one continues the
 * session; {@link #save} writes only where no tombstone is, in one script too, so the original
 * session's periodic save never brings a taken token back.
 */
public final class RedisResumeTokenStore implements ResumeTokenStore {

    /**
     * KEYS[1] the token's key; ARGV[1] the taker's tenant, ARGV[2] the taker's gateway session id,
     * ARGV[3] now (epoch ms). Replies {'TAKEN', record}, {'ALREADY_TAKEN', takenBy}, {'OTHER_TENANT'}
     * or {'UNKNOWN'}. The tombstone expires when the record would have.
     */
    static final String TAKE = """
            local stored = redis.call('GET', KEYS[1])
            if not stored then
              return {'UNKNOWN'}
            end
            local record = cjson.decode(stored)
            if record.takenBy then
              return {'ALREADY_TAKEN', record.takenBy}
            end
            local left = record.expiresAt - tonumber(ARGV[3])
            if left <= 0 then
              redis.call('DEL', KEYS[1])
              return {'UNKNOWN'}
            end
            if record.tenant ~= ARGV[1] then
              return {'OTHER_TENANT'}
            end
            redis.call('SET', KEYS[1], cjson.encode({takenBy = ARGV[2]}), 'PX', math.floor(left))
            return {'TAKEN', stored}
            """;

    /**
     * KEYS[1] the token's key; ARGV[1] the record, ARGV[2] its time to live (ms). Replies {} when
     * written, {takenBy} when the token was taken (and nothing is written).
     */
    static final String SAVE = """
            local stored = redis.call('GET', KEYS[1])
            if stored then
              local record = cjson.decode(stored)
              if record.takenBy then
                return {record.takenBy}
              end
            end
            redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
            return {}
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
    public Uni<Boolean> save(String token, ResumeRecord record) {
        long ttlMillis = Duration.between(clock.instant(), record.expiresAt()).toMillis();
        if (ttlMillis <= 0) {
            return remove(token).replaceWith(true);
        }
        return redis.script(SAVE, new String[] {key(token)}, toJson(record), Long.toString(ttlMillis))
                .map(List::isEmpty);
    }

    @Override
    public Uni<Take> take(String token, String tenant, String takerSessionId) {
        // The record's own expiry is checked in the script: Redis expires keys lazily to the millisecond.
        return redis.script(TAKE, new String[] {key(token)}, tenant, takerSessionId,
                        Long.toString(clock.instant().toEpochMilli()))
                .map(reply -> switch (String.valueOf(reply.get(0))) {
                    case "TAKEN" -> Take.taken(fromJson((String) reply.get(1)));
                    case "ALREADY_TAKEN" -> Take.alreadyTaken((String) reply.get(1));
                    case "OTHER_TENANT" -> Take.OTHER_TENANT;
                    default -> Take.UNKNOWN;
                });
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
        if (record.upstreamTarget() != null) {
            node.put("upstreamTarget", record.upstreamTarget());
        }
        return node.toString();
    }

    static ResumeRecord fromJson(String json) {
        try {
            JsonNode node = JSON.readTree(json);
            List<String> tools = new ArrayList<>();
            node.path("tools").forEach(tool -> tools.add(tool.asText()));
            return new ResumeRecord(node.get("tenant").asText(), node.get("handle").asText(), node.get("setup").asText(),
                    List.copyOf(tools), node.get("gatewaySessionId").asText(),
                    Instant.ofEpochMilli(node.get("expiresAt").asLong()),
                    node.hasNonNull("upstreamTarget") ? node.get("upstreamTarget").asText() : null);
        } catch (JsonProcessingException | RuntimeException e) {
            throw new IllegalStateException("a stored resume token is unreadable (written by an incompatible gateway"
                    + " version?): " + e.getMessage(), e);
        }
    }
}
