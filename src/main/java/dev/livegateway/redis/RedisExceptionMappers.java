package dev.livegateway.redis;

import dev.livegateway.auth.AdminApiFilter;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** REST answers while a Redis-backed store (tool registry, resume tokens) is unreachable: 503, not 500. */
public class RedisExceptionMappers {

    private static final Logger LOG = Logger.getLogger(RedisExceptionMappers.class);

    /** The caller learns that the store is down, the log where it is and why. */
    @ServerExceptionMapper
    public Response storeUnavailable(RedisUnavailableException e) {
        LOG.warnf("Answering 503: %s", e.getMessage());
        return AdminApiFilter.problem(Response.Status.SERVICE_UNAVAILABLE, RedisUnavailableException.CALLER_MESSAGE
                + "; retry shortly").header("Retry-After", "2").build();
    }
}
