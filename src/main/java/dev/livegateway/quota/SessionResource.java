package dev.livegateway.quota;

import dev.livegateway.auth.AdminApiFilter;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Active sessions across all replicas sharing the quota store, and ending one. Admin key
 * required (see {@link AdminApiFilter}).
 */
@Path("/v1/sessions")
@Produces(MediaType.APPLICATION_JSON)
public class SessionResource {

    private final QuotaService quota;

    public SessionResource(QuotaService quota) {
        this.quota = quota;
    }

    /**
     * One active session.
     *
     * @param sessionId  its id
     * @param tenant     its tenant
     * @param model      its model
     * @param pool       its upstream pool, or null
     * @param replica    the replica running it
     * @param startedAt  when it was admitted
     * @param ageSeconds how long it has run
     * @param revoked    whether it is being ended by an operator
     */
    public record SessionView(String sessionId, String tenant, String model, String pool, String replica,
            Instant startedAt, long ageSeconds, boolean revoked) {

        static SessionView of(LeaseInfo lease, Instant now) {
            return new SessionView(lease.sessionId(), lease.tenant(), lease.model(), lease.pool(), lease.replicaId(),
                    lease.startedAt(), Math.max(0, Duration.between(lease.startedAt(), now).toSeconds()), lease.revoked());
        }
    }

    /** Lists active sessions, oldest first, optionally of one tenant or on one replica. */
    @GET
    public Uni<List<SessionView>> list(@QueryParam("tenant") String tenant, @QueryParam("replica") String replica) {
        return quota.activeLeases().map(leases -> {
            Instant now = Instant.now();
            return leases.stream()
                    .filter(l -> !QuotaService.CAPACITY_TENANT.equals(l.tenant()))
                    .filter(l -> tenant == null || tenant.equals(l.tenant()))
                    .filter(l -> replica == null || replica.equals(l.replicaId()))
                    .map(l -> SessionView.of(l, now))
                    .sorted(Comparator.comparing(SessionView::startedAt).thenComparing(SessionView::sessionId))
                    .toList();
        });
    }

    @GET
    @Path("/{id}")
    public Uni<Response> get(@PathParam("id") String id) {
        return quota.activeLeases().map(leases -> leases.stream()
                .filter(l -> l.sessionId().equals(id))
                .findFirst()
                .map(l -> Response.ok(SessionView.of(l, Instant.now())).build())
                .orElseGet(() -> notFound(id)));
    }

    /**
     * Ends a session: its lease is marked revoked, and the replica running it ends the stream at
     * its next heartbeat (at once when this replica runs it). 202: the session is being ended.
     */
    @DELETE
    @Path("/{id}")
    public Uni<Response> end(@PathParam("id") String id) {
        return quota.revoke(id).map(found -> found
                ? Response.accepted(Map.of("sessionId", id, "status", "ending",
                        "detail", "The replica running the session ends it within "
                                + quota.policy().heartbeatInterval().toSeconds() + " s")).build()
                : notFound(id));
    }

    private static Response notFound(String id) {
        return AdminApiFilter.problem(Response.Status.NOT_FOUND, "No active session with id '" + id + "'").build();
    }
}
