package dev.livegateway.redis;

import dev.livegateway.auth.AdminApiFilter;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** REST answers while a Redis-backed store (tool registry, resume tokens) is unreachable: 503, not 500. */
public class RedisExceptionMappers {

    @ServerExceptionMapper
    public Response storeUnavailable(RedisUnavailableException e) {
        return AdminApiFilter.problem(Response.Status.SERVICE_UNAVAILABLE, "The shared store is unavailable ("
                + e.getMessage() + "); retry shortly").header("Retry-After", "2").build();
    }
}
