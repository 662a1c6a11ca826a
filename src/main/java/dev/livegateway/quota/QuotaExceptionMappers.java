package dev.livegateway.quota;

import dev.livegateway.auth.AdminApiFilter;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** REST answers for quota failures: 503 while the quota store is unreachable. */
public class QuotaExceptionMappers {

    private static final Logger LOG = Logger.getLogger(QuotaExceptionMappers.class);

    /** The caller learns that the store is down, the log where it is and why. */
    @ServerExceptionMapper
    public Response storeUnavailable(QuotaUnavailableException e) {
        LOG.warnf("Answering 503: %s", e.getMessage());
        return AdminApiFilter.problem(Response.Status.SERVICE_UNAVAILABLE, e.callerMessage()).build();
    }
}
