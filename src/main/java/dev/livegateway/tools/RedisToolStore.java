package dev.livegateway.tools;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livegateway.redis.RedisConnections;
import io.smallrye.mutiny.Uni;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The registry in Redis, shared by every replica pointing at the same server. Each operation is
 * one Lua script, so a compare-and-set is atomic across replicas: of several writers expecting the
 * same version exactly one wins, whichever replica they call.
 *
 * <p>Layout (all under the deployment's hash tag, see {@link RedisConnections#key}):
 * <ul>
 *   <li>{@code tool:<name>}: hash with {@code last} (last version ever given), {@code current}
 *       (0 once deleted) and {@code oldest} (oldest kept version);</li>
 *   <li>{@code tool:<name>:v:<version>}: one string per kept version, the entry as JSON
 *       (definition, source, file, updatedAt; the version is in the key);</li>
 *   <li>{@code tools}: sorted set of the live names (score 0, so ordered by name).</li>
 * </ul>
 * The hash survives a delete as a tombstone, so a re-created name continues its version sequence.
 * Tool names are validated to {@code [a-z0-9-]}, so the {@code :v:} suffix cannot collide.
 */
public final class RedisToolStore implements ToolStore {

    /** KEYS[1] entry hash, KEYS[2] names set; ARGV[1] name, ARGV[2] payload. */
    static final String CREATE = """
            local current = tonumber(redis.call('HGET', KEYS[1], 'current') or '0')
            if current > 0 then
              return {'exists', current, redis.call('GET', KEYS[1] .. ':v:' .. current)}
            end
            local version = tonumber(redis.call('HGET', KEYS[1], 'last') or '0') + 1
            redis.call('SET', KEYS[1] .. ':v:' .. version, ARGV[2])
            redis.call('HSET', KEYS[1], 'last', version, 'current', version, 'oldest', version)
            redis.call('ZADD', KEYS[2], 0, ARGV[1])
            return {'ok', version}
            """;

    /** KEYS[1] entry hash; ARGV[1] expected version, ARGV[2] payload, ARGV[3] history size. */
    static final String REPLACE = """
            local current = tonumber(redis.call('HGET', KEYS[1], 'current') or '0')
            if current == 0 then
              return {'missing'}
            end
            if current ~= tonumber(ARGV[1]) then
              return {'stale', current, redis.call('GET', KEYS[1] .. ':v:' .. current)}
            end
            local version = tonumber(redis.call('HGET', KEYS[1], 'last')) + 1
            redis.call('SET', KEYS[1] .. ':v:' .. version, ARGV[2])
            redis.call('HSET', KEYS[1], 'last', version, 'current', version)
            local oldest = tonumber(redis.call('HGET', KEYS[1], 'oldest'))
            local keepFrom = version - tonumber(ARGV[3]) + 1
            for v = oldest, keepFrom - 1 do
              redis.call('DEL', KEYS[1] .. ':v:' .. v)
            end
            if keepFrom > oldest then
              redis.call('HSET', KEYS[1], 'oldest', keepFrom)
            end
            return {'ok', version}
            """;

    /** KEYS[1] entry hash, KEYS[2] names set; ARGV[1] name, ARGV[2] expected version. */
    static final String DELETE = """
            local current = tonumber(redis.call('HGET', KEYS[1], 'current') or '0')
            if current == 0 then
              return {'missing'}
            end
            local payload = redis.call('GET', KEYS[1] .. ':v:' .. current)
            if current ~= tonumber(ARGV[2]) then
              return {'stale', current, payload}
            end
            local oldest = tonumber(redis.call('HGET', KEYS[1], 'oldest'))
            for v = oldest, current do
              redis.call('DEL', KEYS[1] .. ':v:' .. v)
            end
            redis.call('HSET', KEYS[1], 'last', current + 1, 'current', 0, 'oldest', 0)
            redis.call('ZREM', KEYS[2], ARGV[1])
            return {'ok', current, payload}
            """;

    /** KEYS[1] entry hash. Replies {version, payload}, or {} when the name is not live. */
    static final String GET_CURRENT = """
            local current = tonumber(redis.call('HGET', KEYS[1], 'current') or '0')
            if current == 0 then
              return {}
            end
            return {current, redis.call('GET', KEYS[1] .. ':v:' .. current)}
            """;

    /** KEYS[1] names set; ARGV[1] prefix of entry keys. Replies name, version, payload, ... by name. */
    static final String LIST = """
            local reply = {}
            for _, name in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
              local entry = ARGV[1] .. name
              local current = tonumber(redis.call('HGET', entry, 'current') or '0')
              if current > 0 then
                table.insert(reply, name)
                table.insert(reply, current)
                table.insert(reply, redis.call('GET', entry .. ':v:' .. current))
              end
            end
            return reply
            """;

    private final RedisConnections redis;
    private final int historySize;
    private final Clock clock;
    private final ObjectMapper json = ToolDocuments.mapper();

    /**
     * @param historySize versions kept per name, the current one included
     */
    public RedisToolStore(RedisConnections redis, int historySize, Clock clock) {
        if (historySize < 1) {
            throw new IllegalArgumentException("historySize must be at least 1, got " + historySize);
        }
        this.redis = redis;
        this.historySize = historySize;
        this.clock = clock;
    }

    private String entryKey(String name) {
        return redis.key("tool", name);
    }

    private String namesKey() {
        return redis.key("tools");
    }

    @Override
    public Uni<Optional<ToolEntry>> get(String name) {
        return redis.script(GET_CURRENT, new String[] {entryKey(name)})
                .map(reply -> reply.isEmpty() ? Optional.empty()
                        : Optional.of(entry(name, asLong(reply.get(0)), (String) reply.get(1))));
    }

    @Override
    public Uni<Optional<ToolEntry>> get(String name, long version) {
        // Kept versions are exactly the version keys that exist: trimming and deleting remove them.
        return redis.call(commands -> commands.get(entryKey(name) + ":v:" + version))
                .map(payload -> payload == null ? Optional.empty() : Optional.of(entry(name, version, payload)));
    }

    @Override
    public Uni<List<ToolEntry>> list() {
        return redis.script(LIST, new String[] {namesKey()}, entryKey(""))
                .map(reply -> {
                    List<ToolEntry> entries = new ArrayList<>(reply.size() / 3);
                    for (int i = 0; i + 2 < reply.size(); i += 3) {
                        entries.add(entry((String) reply.get(i), asLong(reply.get(i + 1)), (String) reply.get(i + 2)));
                    }
                    return entries;
                });
    }

    @Override
    public Uni<ToolEntry> create(ToolDefinition definition, ToolOrigin origin) {
        Instant now = clock.instant();
        String name = definition.name();
        return redis.script(CREATE, new String[] {entryKey(name), namesKey()}, name, payload(definition, origin, now))
                .map(reply -> switch ((String) reply.get(0)) {
                    case "ok" -> new ToolEntry(definition, asLong(reply.get(1)), origin, now);
                    case "exists" -> throw new ToolAlreadyExistsException(entry(name, asLong(reply.get(1)), (String) reply.get(2)));
                    default -> throw unexpected("create", reply);
                });
    }

    @Override
    public Uni<ToolEntry> replace(long expectedVersion, ToolDefinition definition, ToolOrigin origin) {
        Instant now = clock.instant();
        String name = definition.name();
        return redis.script(REPLACE, new String[] {entryKey(name)}, Long.toString(expectedVersion),
                        payload(definition, origin, now), Integer.toString(historySize))
                .map(reply -> switch ((String) reply.get(0)) {
                    case "ok" -> new ToolEntry(definition, asLong(reply.get(1)), origin, now);
                    case "missing" -> throw ToolNotFoundException.unknown(name);
                    case "stale" -> throw new ToolVersionMismatchException(
                            entry(name, asLong(reply.get(1)), (String) reply.get(2)), expectedVersion);
                    default -> throw unexpected("replace", reply);
                });
    }

    @Override
    public Uni<ToolEntry> delete(String name, long expectedVersion) {
        return redis.script(DELETE, new String[] {entryKey(name), namesKey()}, name, Long.toString(expectedVersion))
                .map(reply -> switch ((String) reply.get(0)) {
                    case "ok" -> entry(name, asLong(reply.get(1)), (String) reply.get(2));
                    case "missing" -> throw ToolNotFoundException.unknown(name);
                    case "stale" -> throw new ToolVersionMismatchException(
                            entry(name, asLong(reply.get(1)), (String) reply.get(2)), expectedVersion);
                    default -> throw unexpected("delete", reply);
                });
    }

    private String payload(ToolDefinition definition, ToolOrigin origin, Instant updatedAt) {
        ObjectNode node = json.createObjectNode();
        node.set("definition", json.valueToTree(definition));
        node.put("source", origin.source().name());
        if (origin.isFile()) {
            node.put("file", origin.file());
        }
        node.put("updatedAt", updatedAt.toString());
        return node.toString();
    }

    private ToolEntry entry(String name, long version, String payload) {
        try {
            JsonNode node = json.readTree(payload);
            ToolDefinition definition = json.treeToValue(node.get("definition"), ToolDefinition.class);
            ToolSource source = ToolSource.valueOf(node.get("source").asText());
            ToolOrigin origin = source == ToolSource.FILE ? ToolOrigin.file(node.get("file").asText()) : ToolOrigin.API;
            return new ToolEntry(definition, version, origin, Instant.parse(node.get("updatedAt").asText()));
        } catch (JsonProcessingException | RuntimeException e) {
            throw new IllegalStateException("tool '" + name + "' version " + version + " in Redis at "
                    + redis.address() + " is unreadable (written by an incompatible gateway version?): " + e.getMessage(), e);
        }
    }

    private static IllegalStateException unexpected(String operation, List<Object> reply) {
        return new IllegalStateException("unexpected reply of the tool " + operation + " script: " + reply);
    }

    private static long asLong(Object value) {
        if (value instanceof Number number) {
            return number.longValue();
        }
        return Long.parseLong(String.valueOf(value));
    }
}
