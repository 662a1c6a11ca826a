package dev.livegateway.toolrun;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livegateway.tools.FieldError;
import dev.livegateway.tools.GatewayFunction;
import dev.livegateway.tools.Problem;
import dev.livegateway.tools.ToolDocuments;
import dev.livegateway.tools.ToolEntry;
import dev.livegateway.tools.ToolKind;
import dev.livegateway.tools.ToolRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The dry run of a gateway-run entry: {@code POST /v1/tools/{name}/invoke} with
 * {@code {"function": …, "args": {…}}} calls it as a session would (its current version, its
 * policy; no tenant limits) and answers 200 with what the model would receive, whatever the
 * call's outcome. Authentication of {@code /v1/*} is a separate filter.
 */
@Path("/v1/tools/{name}/invoke")
@Produces(MediaType.APPLICATION_JSON)
public class ToolInvokeResource {

    private static final Logger LOG = Logger.getLogger(ToolInvokeResource.class);
    private static final int MAX_BODY_BYTES = 1 << 20;

    private final ToolRegistry registry;
    private final GatewayToolCalls calls;

    public ToolInvokeResource(ToolRegistry registry, GatewayToolCalls calls) {
        this.registry = registry;
        this.calls = calls;
    }

    @POST
    public Uni<Response> invoke(@PathParam("name") String name, String body, @Context UriInfo uri) {
        String instance = uri.getPath();
        JsonNode request;
        try {
            request = body == null || body.isBlank() ? ToolDocuments.mapper().createObjectNode()
                    : ToolDocuments.mapper().readTree(body);
        } catch (java.io.IOException e) {
            return Uni.createFrom().item(problem(Problem.Type.INVALID_INVOCATION, "the body is not JSON: write"
                    + " {\"function\": \"name\", \"args\": {…}}", instance, List.of(new FieldError("$", "is not JSON"))));
        }
        if (body != null && body.length() > MAX_BODY_BYTES || !request.isObject()
                || (request.has("args") && !request.get("args").isObject())
                || (request.has("function") && !request.get("function").isTextual())) {
            return Uni.createFrom().item(problem(Problem.Type.INVALID_INVOCATION, "write {\"function\": \"name\","
                    + " \"args\": {…}} (args an object, at most 1 MiB)", instance, List.of(new FieldError("args",
                    "must be a JSON object"))));
        }
        String function = request.path("function").asText(null);
        JsonNode args = request.has("args") ? request.get("args") : ToolDocuments.mapper().createObjectNode();
        return registry.get(name).chain(found -> {
            if (found.isEmpty()) {
                return Uni.createFrom().item(problem(Problem.Type.TOOL_NOT_FOUND, "tool '" + name
                        + "' is not in the tool registry", instance, List.of()));
            }
            ToolEntry entry = found.get();
            if (entry.kind() != ToolKind.HTTP && entry.kind() != ToolKind.MCP) {
                return Uni.createFrom().item(problem(Problem.Type.NOT_GATEWAY_RUN, "tool '" + name + "' is of kind "
                        + entry.kind() + ": only http and mcp entries are run by the gateway", instance, List.of()));
            }
            String fn = entry.kind() == ToolKind.HTTP ? entry.definition().http().function().name() : function;
            if (fn == null || (function != null && !function.equals(fn))
                    || (entry.kind() == ToolKind.MCP && !entry.definition().mcp().allows(fn))) {
                return Uni.createFrom().item(problem(Problem.Type.INVALID_INVOCATION, entry.kind() == ToolKind.HTTP
                        ? "tool '" + name + "' declares the function '" + fn + "'; leave function out or name it"
                        : "name one of the MCP server's tools (allowed: " + (entry.definition().mcp().tools().isEmpty()
                                ? "all" : entry.definition().mcp().tools()) + ") in function", instance,
                        List.of(new FieldError("function", "unknown function '" + function + "'"))));
            }
            long started = System.nanoTime();
            LOG.infof("dry run of tool %s v%d function %s", name, entry.version(), fn);
            return calls.dryRun(new GatewayFunction(fn, entry), args).map(result -> {
                ObjectNode out = ToolDocuments.mapper().createObjectNode();
                out.put("tool", name).put("version", entry.version()).put("function", fn)
                        .put("outcome", result.outcome().tag());
                out.set("response", result.response());
                out.put("error", result.error()).put("attempts", result.attempts())
                        .put("durationMs", (System.nanoTime() - started) / 1_000_000);
                return Response.ok(out.toString()).build();
            });
        });
    }

    private static Response problem(Problem.Type type, String detail, String instance, List<FieldError> errors) {
        return Response.status(type.status()).type(Problem.MEDIA_TYPE).entity(type.with(detail, instance, errors).toJson())
                .build();
    }
}
