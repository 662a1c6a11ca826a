package dev.livegateway.tools;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The REST admin API of the tool registry. Optimistic concurrency: every entry response carries a
 * strong {@code ETag} made of the entry's name and version; PUT and DELETE must send it back in
 * {@code If-Match} (428 without, 412 when the entry changed meanwhile, and nothing is changed).
 * Entries from the tool directory can be read here but changed only through their files (409).
 * Authentication of {@code /v1/*} is a separate filter.
 */
@Path("/v1/tools")
@Produces(MediaType.APPLICATION_JSON)
public class ToolsResource {

    private final ToolRegistry registry;
    private final ToolDocuments documents;

    public ToolsResource(ToolRegistry registry, ToolDocuments documents) {
        this.registry = registry;
        this.documents = documents;
    }

    /** Every current entry, ordered by name, with counts by source. */
    @GET
    public Uni<Response> list() {
        return registry.list().map(entries -> {
            ObjectNode body = ToolDocuments.mapper().createObjectNode();
            ArrayNode tools = body.putArray("tools");
            entries.forEach(entry -> tools.add(ToolDocuments.toJson(entry)));
            ObjectNode counts = body.putObject("counts");
            for (ToolSource source : ToolSource.values()) {
                counts.put(source.name(), entries.stream().filter(e -> e.origin().source() == source).count());
            }
            return Response.ok(body.toString()).tag(listTag(entries)).build();
        });
    }

    /** One entry; {@code If-None-Match} with its current ETag answers 304. */
    @GET
    @Path("{name}")
    public Uni<Response> get(@PathParam("name") String name, @Context HttpHeaders headers, @Context UriInfo uri) {
        return registry.get(name).map(found -> {
            if (found.isEmpty()) {
                return problem(Problem.Type.TOOL_NOT_FOUND.with("tool '" + name + "' is not in the tool registry",
                        uri.getPath(), List.of()), null);
            }
            ToolEntry entry = found.get();
            String ifNoneMatch = headers.getHeaderString(HttpHeaders.IF_NONE_MATCH);
            if (ifNoneMatch != null && (ifNoneMatch.trim().equals("*")
                    || parseTags(ifNoneMatch).stream().anyMatch(tag -> tag.getValue().equals(tagValue(entry))))) {
                return Response.notModified(tag(entry)).build();
            }
            return entryResponse(Response.ok(), entry);
        });
    }

    /** Creates an entry: 201 with Location and ETag; 409 when the name exists. */
    @POST
    public Uni<Response> create(byte[] body, @Context UriInfo uri) {
        ToolDocuments.Parsed parsed = documents.readBody(body, null);
        if (!parsed.valid()) {
            return Uni.createFrom().item(invalid(parsed.errors(), uri));
        }
        return registry.create(parsed.definition())
                .map(entry -> entryResponse(Response.created(URI.create("/v1/tools/" + entry.name())), entry))
                .onFailure().recoverWithItem(failure -> failureResponse(failure, uri));
    }

    /** Replaces an API-managed entry; needs {@code If-Match} with the entry's current ETag. */
    @PUT
    @Path("{name}")
    public Uni<Response> replace(@PathParam("name") String name, byte[] body, @Context HttpHeaders headers,
            @Context UriInfo uri) {
        String ifMatch = headers.getHeaderString(HttpHeaders.IF_MATCH);
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.trim().equals("*")) {
            return preconditionRequired(name, "PUT", uri);
        }
        // The name may be left out of the body: the path names the entry.
        ToolDocuments.Parsed parsed = documents.readBody(body, name);
        if (!parsed.valid()) {
            return Uni.createFrom().item(invalid(parsed.errors(), uri));
        }
        ToolDefinition valid = parsed.definition();
        return expectedVersion(name, ifMatch)
                .chain(expected -> expected.isPresent()
                        ? registry.replace(name, expected.getAsLong(), valid)
                        : staleFailure(name))
                .map(entry -> entryResponse(Response.ok(), entry))
                .onFailure().recoverWithItem(failure -> failureResponse(failure, uri));
    }

    /** Deletes an API-managed entry; needs {@code If-Match} with the entry's current ETag. */
    @DELETE
    @Path("{name}")
    public Uni<Response> delete(@PathParam("name") String name, @Context HttpHeaders headers, @Context UriInfo uri) {
        String ifMatch = headers.getHeaderString(HttpHeaders.IF_MATCH);
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.trim().equals("*")) {
            return preconditionRequired(name, "DELETE", uri);
        }
        return expectedVersion(name, ifMatch)
                .chain(expected -> expected.isPresent()
                        ? registry.delete(name, expected.getAsLong())
                        : staleFailure(name))
                .map(deleted -> Response.noContent().build())
                .onFailure().recoverWithItem(failure -> failureResponse(failure, uri));
    }

    /**
     * The version the client expects, from the If-Match ETags that name this entry. With one such
     * tag it is that tag's version (the store then compares and sets atomically); with several, the
     * current version if it is among them. Empty when no tag can match.
     */
    private Uni<OptionalLong> expectedVersion(String name, String ifMatch) {
        List<Long> versions = parseTags(ifMatch).stream()
                .filter(tag -> !tag.isWeak())
                .map(tag -> versionOf(name, tag.getValue()))
                .flatMap(Optional::stream)
                .distinct()
                .toList();
        if (versions.size() <= 1) {
            return Uni.createFrom().item(versions.isEmpty() ? OptionalLong.empty() : OptionalLong.of(versions.get(0)));
        }
        return registry.get(name).map(current -> current.isPresent() && versions.contains(current.get().version())
                ? OptionalLong.of(current.get().version())
                : OptionalLong.empty());
    }

    /** No If-Match tag can match: fail as the store would, with the current entry (or not found). */
    private Uni<ToolEntry> staleFailure(String name) {
        return registry.get(name).map(current -> {
            ToolEntry entry = current.orElseThrow(() -> ToolNotFoundException.unknown(name));
            if (entry.origin().isFile()) {
                throw new ToolReadOnlyException(entry);
            }
            throw new ToolVersionMismatchException(entry, 0);
        });
    }

    private Uni<Response> preconditionRequired(String name, String method, UriInfo uri) {
        return registry.get(name).map(current -> problem(Problem.Type.IF_MATCH_REQUIRED.with(method
                        + " needs an If-Match header with the entry's current ETag (from GET /v1/tools/" + name
                        + "), so that a change made meanwhile is not overwritten", uri.getPath(), List.of()),
                current.map(ToolsResource::tag).orElse(null)));
    }

    private static Response failureResponse(Throwable failure, UriInfo uri) {
        String path = uri.getPath();
        if (failure instanceof InvalidToolException invalid) {
            return invalid(invalid.errors(), uri);
        }
        if (failure instanceof ToolNotFoundException notFound) {
            return problem(Problem.Type.TOOL_NOT_FOUND.with(notFound.getMessage(), path, List.of()), null);
        }
        if (failure instanceof ToolAlreadyExistsException exists) {
            ToolEntry existing = exists.existing();
            String detail = existing.origin().isFile()
                    ? "tool '" + existing.name() + "' already exists, managed by the file '" + existing.origin().file()
                            + "' of the tool directory"
                    : "tool '" + existing.name() + "' already exists (version " + existing.version()
                            + "); change it with PUT /v1/tools/" + existing.name() + " and If-Match";
            return problem(Problem.Type.TOOL_EXISTS.with(detail, path, List.of()), tag(existing));
        }
        if (failure instanceof ToolReadOnlyException readOnly) {
            return problem(Problem.Type.MANAGED_BY_FILE.with(readOnly.getMessage(), path, List.of()),
                    tag(readOnly.entry()));
        }
        if (failure instanceof ToolVersionMismatchException stale) {
            ToolEntry current = stale.current();
            return problem(Problem.Type.STALE_VERSION.with("tool '" + current.name() + "' is now at version "
                    + current.version() + " (ETag " + tag(current) + "); nothing was changed: read it again, "
                    + "reapply your change and send the new ETag in If-Match", path, List.of()), tag(current));
        }
        throw failure instanceof RuntimeException runtime ? runtime : new IllegalStateException(failure);
    }

    private static Response invalid(List<FieldError> errors, UriInfo uri) {
        String detail = errors.size() == 1
                ? errors.get(0).toString()
                : errors.size() + " problems; see errors";
        return problem(Problem.Type.INVALID_TOOL.with(detail, uri.getPath(), errors), null);
    }

    private static Response problem(Problem problem, EntityTag tag) {
        Response.ResponseBuilder response = Response.status(problem.status())
                .type(Problem.MEDIA_TYPE)
                .entity(problem.toJson());
        if (tag != null) {
            response.tag(tag);
        }
        return response.build();
    }

    private static Response entryResponse(Response.ResponseBuilder builder, ToolEntry entry) {
        return builder.type(MediaType.APPLICATION_JSON_TYPE)
                .entity(ToolDocuments.toJson(entry).toString())
                .tag(tag(entry))
                .build();
    }

    static String tagValue(ToolEntry entry) {
        return entry.name() + "." + entry.version();
    }

    static EntityTag tag(ToolEntry entry) {
        return new EntityTag(tagValue(entry));
    }

    private static Optional<Long> versionOf(String name, String tagValue) {
        String prefix = name + ".";
        if (!tagValue.startsWith(prefix)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(tagValue.substring(prefix.length())));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The entity tags of an If-Match or If-None-Match header: {@code "a.1", W/"b.2"}. */
    private static List<EntityTag> parseTags(String header) {
        return java.util.Arrays.stream(header.split(","))
                .map(String::trim)
                .filter(token -> !token.isEmpty())
                .map(token -> {
                    boolean weak = token.startsWith("W/");
                    String value = weak ? token.substring(2) : token;
                    if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                        value = value.substring(1, value.length() - 1);
                    }
                    return new EntityTag(value, weak);
                })
                .toList();
    }

    private static EntityTag listTag(List<ToolEntry> entries) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            entries.forEach(entry -> digest.update((tagValue(entry) + "\n").getBytes(StandardCharsets.UTF_8)));
            return new EntityTag("tools." + HexFormat.of().formatHex(digest.digest(), 0, 8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
