package dev.livegateway.sessiontokens;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livegateway.auth.AdminApiFilter;
import dev.livegateway.auth.CallerKeys;
import dev.livegateway.auth.Principal;
import dev.livegateway.auth.Tenant;
import dev.livegateway.tools.Problem;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code POST /v1/session-tokens}: a tenant mints a short-lived, single-use session token for a
 * browser (README, "Session tokens"). Authenticated with a tenant key, as the SDKs and the REST API
 * send keys ({@code Authorization: Bearer <key>}, {@code X-API-Key} or {@code x-goog-api-key}); the
 * admin filter leaves this path to it. The token in clear is in this response only
 * ({@code Cache-Control: no-store}).
 */
@Path(SessionTokenResource.PATH)
@Produces(MediaType.APPLICATION_JSON)
public class SessionTokenResource {

    public static final String PATH = "/v1/session-tokens";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HOW = "send the tenant's API key as 'Authorization: Bearer <key>', 'X-API-Key' or"
            + " 'x-goog-api-key'";

    private final SessionTokens tokens;
    private final CallerKeys keys;

    public SessionTokenResource(SessionTokens tokens, CallerKeys keys) {
        this.tokens = tokens;
        this.keys = keys;
    }

    @POST
    public Uni<Response> mint(byte[] body, @Context HttpHeaders headers, @Context UriInfo uri) {
        Optional<String> key = presentedKey(headers);
        Tenant tenant;
        if (key.isEmpty()) {
            Optional<Tenant> anonymous = keys.anonymousTenant();
            if (anonymous.isEmpty()) {
                return Uni.createFrom().item(unauthorized("no API key: " + HOW));
            }
            tenant = anonymous.get();
        } else {
            Optional<Principal> principal = keys.identify(key.get());
            if (principal.isEmpty()) {
                return Uni.createFrom().item(unauthorized("API key not valid: " + HOW + " with a key of your tenant"));
            }
            if (principal.get().isAdmin()) {
                return Uni.createFrom().item(AdminApiFilter.problem(Response.Status.FORBIDDEN, "an admin key is not a"
                        + " tenant key: a session token starts a session of the tenant whose key mints it").build());
            }
            tenant = principal.get().tenant();
        }
        SessionTokenRequest request = SessionTokenRequest.parse(body, tenant.id(), tokens.config(), Instant.now());
        if (!request.valid()) {
            Problem problem = new Problem("urn:live-gateway:problem:invalid-session-token-request",
                    "Invalid session token request", 400, request.errors().get(0).toString(), uri.getPath(),
                    request.errors());
            return Uni.createFrom().item(Response.status(400).type(Problem.MEDIA_TYPE).entity(problem.toJson()).build());
        }
        return tokens.mint(request.grant()).map(minted -> Response.ok(toJson(minted))
                .header(HttpHeaders.CACHE_CONTROL, "no-store").build());
    }

    /** The answer, in the shape of Google's {@code AuthToken}, with the allow-lists. */
    static String toJson(SessionTokens.Minted minted) {
        ObjectNode node = JSON.createObjectNode();
        SessionToken grant = minted.grant();
        node.put("name", minted.token());
        node.put("expireTime", grant.expiresAt().toString());
        node.put("newSessionExpireTime", grant.expiresAt().toString());
        node.put("uses", 1);
        if (grant.model() != null) {
            node.put("model", grant.model());
        }
        if (grant.tools() != null) {
            grant.tools().forEach(node.putArray("tools")::add);
        }
        return node.toString();
    }

    private static Response unauthorized(String detail) {
        return AdminApiFilter.problem(Response.Status.UNAUTHORIZED, detail)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"live-gateway\"").build();
    }

    private static Optional<String> presentedKey(HttpHeaders headers) {
        String authorization = headers.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                && !authorization.substring(7).isBlank()) {
            return Optional.of(authorization.substring(7).strip());
        }
        for (String header : new String[] {"X-API-Key", "x-goog-api-key"}) {
            String value = headers.getHeaderString(header);
            if (value != null && !value.isBlank()) {
                return Optional.of(value.strip());
            }
        }
        return Optional.empty();
    }
}
