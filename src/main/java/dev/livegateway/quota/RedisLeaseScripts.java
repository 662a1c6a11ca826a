package dev.livegateway.quota;

/**
 * The Lua scripts of {@link RedisLeaseStore}. Each runs atomically in Redis, which is what makes
 * the limits hold across replicas: the check and the write cannot interleave with another
 * replica's. Time is Redis server time ({@code TIME}), so replicas' clocks do not matter.
 *
 * <p>Keys (all in one hash tag): a hash per lease (fields tenant, pool, model, replica, started,
 * accounted, expires, revoked; expires with the lease), a sorted set per limit (tenant, pool) and
 * one of all leases, each member a session id scored by its expiry in epoch milliseconds, and a
 * hash per tenant of session-time buckets (bucket start → milliseconds used).
 *
 * <p>Common KEYS: 1 lease hash, 2 all leases, 3 tenant leases, 4 tenant session time,
 * 5 pool leases (only when the lease has a pool).
 */
final class RedisLeaseScripts {

    private RedisLeaseScripts() {}

    private static final String PRELUDE = """
            local function now_ms()
              local t = redis.call('TIME')
              return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            end
            local function int(x) return string.format('%.0f', x) end
            local function purge(now)
              for i = 2, #KEYS do
                if i ~= 4 then redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', int(now)) end
              end
            end
            local function extend(sid, now, ttl)
              local expiry = now + ttl
              for i = 2, #KEYS do
                if i ~= 4 then redis.call('ZADD', KEYS[i], int(expiry), sid) end
              end
              redis.call('HSET', KEYS[1], 'expires', int(expiry))
              redis.call('PEXPIRE', KEYS[1], int(ttl))
            end
            -- Adds the session time since the last accounting to the bucket of now.
            local function account(now, window, bucket)
              local accounted = tonumber(redis.call('HGET', KEYS[1], 'accounted'))
              if accounted and now > accounted then
                redis.call('HINCRBY', KEYS[4], int(now - (now % bucket)), int(now - accounted))
                redis.call('PEXPIRE', KEYS[4], int(window + bucket))
                redis.call('HSET', KEYS[1], 'accounted', int(now))
              end
            end
            """;

    /**
     * ARGV: 1 session id, 2 ttl ms, 3 tenant max, 4 pool max (-1: none), 5 session-time allowance
     * ms (-1: none), 6 window ms, 7 bucket ms, 8 tenant, 9 pool, 10 model, 11 replica.
     * Returns {1, started} or {0, limit (1 tenant, 2 pool, 3 session time), retry ms or -1}.
     */
    static final String ACQUIRE = PRELUDE + """
            local sid = ARGV[1]
            local ttl = tonumber(ARGV[2])
            local now = now_ms()
            purge(now)
            if redis.call('ZSCORE', KEYS[3], sid) then
              return {1, tonumber(redis.call('HGET', KEYS[1], 'started')) or now}
            end
            if redis.call('ZCARD', KEYS[3]) >= tonumber(ARGV[3]) then
              return {0, 1, -1}
            end
            if KEYS[5] and tonumber(ARGV[4]) >= 0 and redis.call('ZCARD', KEYS[5]) >= tonumber(ARGV[4]) then
              return {0, 2, -1}
            end
            local allowance = tonumber(ARGV[5])
            if allowance >= 0 then
              local window = tonumber(ARGV[6])
              local bucket = tonumber(ARGV[7])
              local fields = redis.call('HGETALL', KEYS[4])
              local used = 0
              local oldest = nil
              for i = 1, #fields, 2 do
                local start = tonumber(fields[i])
                if start + bucket > now - window then
                  used = used + tonumber(fields[i + 1])
                  if oldest == nil or start < oldest then oldest = start end
                else
                  redis.call('HDEL', KEYS[4], fields[i])
                end
              end
              if used >= allowance then
                local retry = window
                if oldest then retry = math.max(0, oldest + bucket + window - now) end
                return {0, 3, retry}
              end
            end
            redis.call('DEL', KEYS[1])
            redis.call('HSET', KEYS[1], 'tenant', ARGV[8], 'pool', ARGV[9], 'model', ARGV[10],
              'replica', ARGV[11], 'started', int(now), 'accounted', int(now))
            extend(sid, now, ttl)
            return {1, now}
            """;

    /** ARGV: 1 session id, 2 ttl ms, 3 window ms, 4 bucket ms. Returns {'renewed'|'revoked'|'lost'}. */
    static final String RENEW = PRELUDE + """
            local now = now_ms()
            if redis.call('EXISTS', KEYS[1]) == 0 then
              return {'lost'}
            end
            if redis.call('HGET', KEYS[1], 'revoked') == '1' then
              return {'revoked'}
            end
            account(now, tonumber(ARGV[3]), tonumber(ARGV[4]))
            extend(ARGV[1], now, tonumber(ARGV[2]))
            return {'renewed'}
            """;

    /** ARGV: 1 session id, 2 ttl ms, 3 tenant, 4 pool, 5 model, 6 replica, 7 started ms. */
    static final String REINSTATE = PRELUDE + """
            local now = now_ms()
            if redis.call('EXISTS', KEYS[1]) == 0 then
              redis.call('HSET', KEYS[1], 'tenant', ARGV[3], 'pool', ARGV[4], 'model', ARGV[5],
                'replica', ARGV[6], 'started', ARGV[7], 'accounted', int(now))
            end
            extend(ARGV[1], now, tonumber(ARGV[2]))
            return {'reinstated'}
            """;

    /** ARGV: 1 session id, 2 window ms, 3 bucket ms. */
    static final String RELEASE = PRELUDE + """
            local now = now_ms()
            if redis.call('EXISTS', KEYS[1]) == 1 then
              account(now, tonumber(ARGV[2]), tonumber(ARGV[3]))
              redis.call('DEL', KEYS[1])
            end
            for i = 2, #KEYS do
              if i ~= 4 then redis.call('ZREM', KEYS[i], ARGV[1]) end
            end
            return {'released'}
            """;

    /** KEYS: 1 lease hash. Returns {1} when marked, {0} when there is no such lease. */
    static final String REVOKE = """
            if redis.call('EXISTS', KEYS[1]) == 0 then
              return {0}
            end
            redis.call('HSET', KEYS[1], 'revoked', '1')
            return {1}
            """;

    /**
     * KEYS: 1 a lease sorted set, 2 (optional) a tenant's session-time hash. ARGV: 1 window ms,
     * 2 bucket ms. Returns {live leases, session ms in the window}.
     */
    static final String USAGE = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local live = redis.call('ZCOUNT', KEYS[1], '(' .. string.format('%.0f', now), '+inf')
            local used = 0
            if KEYS[2] then
              local window = tonumber(ARGV[1])
              local bucket = tonumber(ARGV[2])
              local fields = redis.call('HGETALL', KEYS[2])
              for i = 1, #fields, 2 do
                if tonumber(fields[i]) + bucket > now - window then
                  used = used + tonumber(fields[i + 1])
                end
              end
            end
            return {live, used}
            """;
}
