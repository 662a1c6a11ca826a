package dev.livegateway.quota;

import dev.livegateway.auth.AdminApiFilter;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** REST answers for quota failures: 503 while the quota store is unreachable. */
public class QuotaExceptionMappers {

    @ServerExceptionMapper
    public Response storeUnavailable(QuotaUnavailableException e) {
        return AdminApiFilter.problem(Response.Status.SERVICE_UNAVAILABLE, e.getMessage()).build();
    }
}
