package dev.livegateway.upstream;

import dev.livegateway.auth.AdminApiFilter;
import dev.livegateway.config.UpstreamConfig.TargetFlavour;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The upstream pool for operators: each target's health, breaker, sessions and limit; draining a
 * target; adding and removing targets without a restart (on this replica, in memory, until it
 * restarts; the configuration's targets come back then). Admin key required ({@link AdminApiFilter}).
 * Credentials are never shown, and none are accepted here but the name of an environment variable
 * or a credentials file already on the replica.
 */
@Path("/v1/upstreams")
@Produces(MediaType.APPLICATION_JSON)
public class UpstreamsResource {

    private final UpstreamPool pool;

    public UpstreamsResource(UpstreamPool pool) {
        this.pool = pool;
    }

    /**
     * One target as operators see it.
     *
     * @param sessions            sessions this replica runs on it
     * @param sessionsAllReplicas sessions on it across the replicas sharing the lease store (with
     *                            {@code maxSessions}), else this replica's
     * @param breaker             its circuit breaker: CLOSED, OPEN or HALF_OPEN
     */
    public record TargetView(String name, String flavour, String endpoint, String project, String location,
            int weight, Integer maxSessions, List<String> models, List<String> tenants, boolean draining,
            String breaker, TargetHealth.Snapshot health, int sessions, int sessionsAllReplicas, long placements,
            long refusals, long failovers) {}

    /** The pool: whether it is made of named targets, and its targets. */
    public record PoolView(boolean pooled, List<TargetView> targets) {}

    /**
     * A target to add: the keys of {@code live-gateway.upstream.targets."<name>"}. An API key is
     * given by the name of the environment variable holding it ({@code apiKeyEnv}), never itself.
     */
    public record TargetBody(String flavour, String project, String location, String apiVersion,
            String credentialsFile, String apiKeyEnv, String endpoint, Integer weight, Integer maxSessions,
            List<String> models, List<String> tenants) {}

    @GET
    public Uni<PoolView> list() {
        List<Uni<TargetView>> views = pool.targets().stream().map(this::view).toList();
        if (views.isEmpty()) {
            return Uni.createFrom().item(new PoolView(pool.pooled(), List.of()));
        }
        return Uni.join().all(views).andFailFast().map(all -> new PoolView(pool.pooled(), all));
    }

    @GET
    @Path("/{name}")
    public Uni<Response> get(@PathParam("name") String name) {
        return pool.find(name).map(t -> view(t).map(v -> Response.ok(v).build()))
                .orElseGet(() -> Uni.createFrom().item(notFound(name)));
    }

    /** {@code POST /v1/upstreams/{name}:drain} (no new sessions; the running ones finish) or {@code :undrain}. */
    @POST
    @Path("/{action}")
    public Uni<Response> act(@PathParam("action") String action) {
        int colon = action.lastIndexOf(':');
        String verb = colon < 0 ? "" : action.substring(colon + 1);
        if (!verb.equals("drain") && !verb.equals("undrain")) {
            return Uni.createFrom().item(AdminApiFilter.problem(Response.Status.NOT_FOUND, "POST /v1/upstreams/{name}:drain"
                    + " or /v1/upstreams/{name}:undrain; got '" + action + "'").build());
        }
        String name = action.substring(0, colon);
        return pool.drain(name, verb.equals("drain")).map(t -> view(t).map(v -> Response.ok(v).build()))
                .orElseGet(() -> Uni.createFrom().item(notFound(name)));
    }

    /** Adds a target on this replica (201); 409 when the name is taken, 400 naming each invalid field. */
    @PUT
    @Path("/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> add(@PathParam("name") String name, TargetBody body) {
        if (body == null || body.flavour() == null) {
            return Uni.createFrom().item(AdminApiFilter.problem(Response.Status.BAD_REQUEST,
                    "flavour is required: vertex, developer or endpoint").build());
        }
        TargetFlavour flavour;
        try {
            flavour = TargetFlavour.valueOf(body.flavour().trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().item(AdminApiFilter.problem(Response.Status.BAD_REQUEST, "flavour must be vertex,"
                    + " developer or endpoint, got '" + body.flavour() + "'").build());
        }
        TargetSpec spec = new TargetSpec(name, flavour, Optional.ofNullable(body.project()),
                Optional.ofNullable(body.location()).orElse("us-central1"), Optional.ofNullable(body.apiVersion()),
                Optional.ofNullable(body.credentialsFile()), Optional.ofNullable(body.apiKeyEnv()), Optional.empty(),
                Optional.ofNullable(body.endpoint()), body.weight() == null ? 1 : body.weight(),
                body.maxSessions() == null ? OptionalInt.empty() : OptionalInt.of(body.maxSessions()),
                new LinkedHashSet<>(body.models() == null ? List.of() : body.models()),
                new LinkedHashSet<>(body.tenants() == null ? List.of() : body.tenants()));
        UpstreamTarget added;
        try {
            added = pool.add(spec);
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().item(AdminApiFilter.problem(Response.Status.BAD_REQUEST, e.getMessage()).build());
        } catch (IllegalStateException e) {
            return Uni.createFrom().item(AdminApiFilter.problem(Response.Status.CONFLICT, e.getMessage()).build());
        }
        return view(added).map(v -> Response.status(Response.Status.CREATED).entity(v).build());
    }

    /** Removes a target: no new sessions; its sessions keep their connections but cannot resume on it. */
    @DELETE
    @Path("/{name}")
    public Uni<Response> remove(@PathParam("name") String name) {
        return pool.remove(name).map(t -> view(t).map(v -> Response.ok(v).build()))
                .orElseGet(() -> Uni.createFrom().item(notFound(name)));
    }

    private Uni<TargetView> view(UpstreamTarget t) {
        TargetSpec spec = t.spec();
        String endpoint;
        try {
            URI uri = t.endpoint().uri();
            endpoint = uri.getScheme() + "://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "")
                    + (uri.getRawPath() == null ? "" : uri.getRawPath());
        } catch (RuntimeException unconfigured) {
            endpoint = null;
        }
        String shownEndpoint = endpoint;
        return pool.sessionsEverywhere(t).onFailure().recoverWithItem(-1).map(everywhere -> new TargetView(t.name(),
                spec.flavourName(), shownEndpoint, spec.project().orElse(null),
                spec.flavour() == dev.livegateway.config.UpstreamConfig.TargetFlavour.DEVELOPER ? null : spec.location(),
                spec.weight(), spec.maxSessions().isPresent() ? spec.maxSessions().getAsInt() : null,
                new ArrayList<>(spec.models()), new ArrayList<>(spec.tenants()), t.draining(), t.breaker().state().name(),
                t.health().snapshot(), t.sessions(), everywhere, t.placements(), t.refusals(), t.failovers()));
    }

    private static Response notFound(String name) {
        return AdminApiFilter.problem(Response.Status.NOT_FOUND, "No upstream target named '" + name + "'").build();
    }
}
