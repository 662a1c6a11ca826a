package dev.livegateway.auth;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Guards the REST admin API: every path under {@code /v1/} but {@code /v1/session-tokens} (a tenant's,
 * authenticated by its resource) needs an admin key, in
 * {@code Authorization: Bearer <key>} or {@code X-API-Key: <key>}. No key or an unknown key: 401
 * with {@code WWW-Authenticate: Bearer}; a tenant key: 403. Other paths ({@code /q/health},
 * {@code /q/metrics}) are not touched. Answers are RFC 9457 problem documents.
 */
public class AdminApiFilter {

    static final String PROBLEM_JSON = "application/problem+json";
    /** The one path under {@code /v1/} for tenant keys: minting session tokens (it authenticates itself). */
    static final String TENANT_PATH = "/v1/session-tokens";

    private final CallerKeys keys;

    public AdminApiFilter(CallerKeys keys) {
        this.keys = keys;
    }

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> requireAdminKey(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!(path.equals("/v1") || path.startsWith("/v1/")) || path.equals(TENANT_PATH)) {
            return Optional.empty();
        }
        Optional<String> key = presentedKey(request);
        if (key.isEmpty()) {
            if (keys.anonymousAdmin()) {
                return Optional.empty();
            }
            return Optional.of(unauthorized("The admin API needs an admin key: send 'Authorization: Bearer <admin key>' "
                    + "or 'X-API-Key: <admin key>'"));
        }
        Optional<Principal> principal = keys.identify(key.get());
        if (principal.isEmpty()) {
            return Optional.of(unauthorized("Unknown key: send an admin key in 'Authorization: Bearer <admin key>' "
                    + "or 'X-API-Key: <admin key>'"));
        }
        if (!principal.get().isAdmin()) {
            return Optional.of(problem(Response.Status.FORBIDDEN, "This is a tenant key; the admin API accepts "
                    + "admin keys only (live-gateway.auth.admin-key-hashes)").build());
        }
        return Optional.empty();
    }

    private static Optional<String> presentedKey(ContainerRequestContext request) {
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String key = authorization.substring(7).trim();
            if (!key.isEmpty()) {
                return Optional.of(key);
            }
        }
        String apiKey = request.getHeaderString("X-API-Key");
        return apiKey == null || apiKey.isBlank() ? Optional.empty() : Optional.of(apiKey.trim());
    }

    private static Response unauthorized(String detail) {
        return problem(Response.Status.UNAUTHORIZED, detail)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"live-gateway-admin\"")
                .build();
    }

    /** An RFC 9457 problem response. */
    public static Response.ResponseBuilder problem(Response.Status status, String detail) {
        return Response.status(status)
                .type(PROBLEM_JSON)
                .entity(Map.of("type", "about:blank", "title", status.getReasonPhrase(), "status", status.getStatusCode(),
                        "detail", detail));
    }
}
