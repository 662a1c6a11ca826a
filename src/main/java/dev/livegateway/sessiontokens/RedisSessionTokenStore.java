package dev.livegateway.sessiontokens;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livegateway.redis.RedisConnections;
import io.lettuce.core.SetArgs;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Session tokens in Redis, so a token minted on one replica starts a session on any. A token is
 * stored under {@code <prefix>:session-token:<sha-256 hex>} as JSON with a Redis expiry at its
 * forget time; {@link #redeem} checks and marks it used in one Lua script, so two replicas given
 * the same token at the same moment cannot both start a session with it.
 */
public final class RedisSessionTokenStore implements SessionTokenStore {

    /**
     * KEYS[1] the token's key; ARGV[1] now (epoch ms). Replies {'REDEEMED', record},
     * {'USED', record}, {'EXPIRED', record} or {'UNKNOWN'}. The used mark keeps the key's expiry.
     */
    static final String REDEEM = """
            local stored = redis.call('GET', KEYS[1])
            if not stored then
              return {'UNKNOWN'}
            end
            local record = cjson.decode(stored)
            if record.usedAt then
              return {'USED', stored}
            end
            if record.expiresAt <= tonumber(ARGV[1]) then
              return {'EXPIRED', stored}
            end
            record.usedAt = tonumber(ARGV[1])
            redis.call('SET', KEYS[1], cjson.encode(record), 'KEEPTTL')
            return {'REDEEMED', stored}
            """;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RedisConnections redis;

    public RedisSessionTokenStore(RedisConnections redis) {
        this.redis = redis;
    }

    private String key(String digest) {
        return redis.key("session-token", digest);
    }

    @Override
    public Uni<Void> save(String digest, SessionToken token, Instant forgetAt) {
        long ttlMillis = Math.max(1, Duration.between(Instant.now(), forgetAt).toMillis());
        String value = toJson(token);
        return redis.call(commands -> commands.set(key(digest), value, SetArgs.Builder.px(ttlMillis))).replaceWithVoid();
    }

    @Override
    public Uni<Redemption> redeem(String digest, Instant now) {
        return redis.script(REDEEM, new String[] {key(digest)}, Long.toString(now.toEpochMilli())).map(reply -> {
            String outcome = String.valueOf(reply.get(0));
            if (outcome.equals("UNKNOWN")) {
                return Redemption.UNKNOWN;
            }
            JsonNode record = read((String) reply.get(1));
            Instant usedAt = record.hasNonNull("usedAt") ? Instant.ofEpochMilli(record.get("usedAt").asLong()) : null;
            return new Redemption(Outcome.valueOf(outcome), fromJson(record), usedAt);
        });
    }

    static String toJson(SessionToken token) {
        ObjectNode node = JSON.createObjectNode();
        node.put("tenant", token.tenant());
        if (token.model() != null) {
            node.put("model", token.model());
        }
        if (token.tools() != null) {
            token.tools().forEach(node.putArray("tools")::add);
        }
        node.put("expiresAt", token.expiresAt().toEpochMilli());
        return node.toString();
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored session token is unreadable: " + e.getOriginalMessage(), e);
        }
    }

    static SessionToken fromJson(JsonNode node) {
        List<String> tools = null;
        if (node.has("tools")) {
            tools = new ArrayList<>();
            for (JsonNode tool : node.get("tools")) {
                tools.add(tool.asText());
            }
        }
        return new SessionToken(node.get("tenant").asText(), node.hasNonNull("model") ? node.get("model").asText() : null,
                tools, Instant.ofEpochMilli(node.get("expiresAt").asLong()));
    }
}
