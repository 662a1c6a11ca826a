package dev.livegateway.websocket;

import dev.livegateway.admission.SessionAdmission;
import dev.livegateway.admission.StatusMapper;
import dev.livegateway.api.v1.ToolReference;
import dev.livegateway.auth.CallerKeys;
import dev.livegateway.auth.Principal;
import dev.livegateway.session.InvalidClientEventException;
import dev.livegateway.sessiontokens.SessionToken;
import dev.livegateway.sessiontokens.SessionTokens;
import dev.livegateway.wire.Flavour;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.grpc.Status;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * The Live-API-compatible WebSocket front (README, "The Live API WebSocket front"): Google's SDKs
 * and raw Live API clients connect to the gateway's HTTP port at the Live API's own paths, with a
 * tenant key where they would put Google credentials, and get a session of the same session layer
 * as a gRPC caller ({@link SessionAdmission} → {@code LiveSession}).
 *
 * <p>Paths, with the real API's tolerances (repeated slashes, a query string):
 * {@code /ws/google.cloud.aiplatform.{v1,v1beta1}.LlmBidiService/BidiGenerateContent} (Vertex AI
 * dialect) and {@code /ws/google.ai.generativelanguage.{v1,v1alpha,v1beta}.GenerativeService
 * .BidiGenerateContent[Constrained]} (Developer API dialect). The dialect is the client's only:
 * the session runs on the gateway's own upstream, whatever project, location or API the client
 * names.
 *
 * <p>A browser presents a session token ({@link SessionTokens}) instead of a key: {@code
 * ?access_token=auth_tokens/…} (the JS SDK) or {@code Authorization: Token auth_tokens/…} (the
 * Java and Python SDKs), on {@code …BidiGenerateContentConstrained}. The token is redeemed after
 * the upgrade, so that a browser learns why it was refused from the close (1008; a browser never
 * sees an HTTP status), and its model and tool allow-lists bind the session.
 */
@ApplicationScoped
public class LiveApiFront {

    private static final Logger LOG = Logger.getLogger(LiveApiFront.class);

    /** Registry tools for the session, {@code name[@version],…}, added to those the setup names. */
    public static final String TOOLS_HEADER = "x-live-gateway-tools";

    private static final Pattern VERTEX =
            Pattern.compile("/ws/google\\.cloud\\.aiplatform\\.(v1|v1beta1)\\.LlmBidiService/BidiGenerateContent");
    private static final Pattern DEVELOPER = Pattern.compile(
            "/ws/google\\.ai\\.generativelanguage\\.(v1|v1alpha|v1beta)\\.GenerativeService\\.BidiGenerateContent(Constrained)?");
    private static final Pattern SLASHES = Pattern.compile("/{2,}");
    private static final String HOW = "send the tenant's API key as ?key=, the x-goog-api-key header or"
            + " Authorization: Bearer, or a session token as ?access_token= or Authorization: Token";
    private static final String CONSTRAINED = "BidiGenerateContentConstrained";

    private final SessionAdmission admission;
    private final StatusMapper statuses;
    private final CallerKeys keys;
    private final SessionTokens tokens;

    LiveApiFront(SessionAdmission admission, StatusMapper statuses, CallerKeys keys, SessionTokens tokens) {
        this.admission = admission;
        this.statuses = statuses;
        this.keys = keys;
        this.tokens = tokens;
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 1).handler(rc -> {
            Optional<Flavour> flavour = flavourOf(rc.request().path());
            if (flavour.isEmpty() || rc.request().getHeader(HttpHeaders.UPGRADE) == null) {
                rc.next();
                return;
            }
            accept(rc.request(), flavour.get());
        });
    }

    /** The dialect served at {@code path}, or empty when it is not a Live API path. */
    static Optional<Flavour> flavourOf(String rawPath) {
        if (rawPath == null || !rawPath.contains("/ws/")) {
            return Optional.empty();
        }
        String path = rawPath;
        int query = path.indexOf('?');
        if (query >= 0) {
            path = path.substring(0, query);
        }
        path = SLASHES.matcher(path).replaceAll("/");
        if (VERTEX.matcher(path).matches()) {
            return Optional.of(Flavour.VERTEX);
        }
        if (DEVELOPER.matcher(path).matches()) {
            return Optional.of(Flavour.GEMINI);
        }
        return Optional.empty();
    }

    private void accept(HttpServerRequest request, Flavour flavour) {
        Context context = Vertx.currentContext();
        String tenant;
        List<ToolReference> tools;
        String sessionToken;
        try {
            sessionToken = presentedSessionToken(request);
            tenant = sessionToken != null ? null : authenticate(request);
        } catch (Refusal r) {
            // Before the upgrade: the SDKs fail the connect at once with the HTTP status; a close
            // after the upgrade would leave google-genai for Java waiting for the closing handshake.
            respond(request, 401, "UNAUTHENTICATED", r.getMessage());
            return;
        }
        try {
            tools = LiveApiClientTranslator.headerTools(request.getHeader(TOOLS_HEADER));
        } catch (InvalidClientEventException e) {
            respond(request, 400, "INVALID_ARGUMENT", e.getMessage());
            return;
        }
        HttpConnection connection = request.connection();
        boolean constrained = request.path().contains(CONSTRAINED);
        request.toWebSocket()
                .onSuccess(ws -> {
                    if (sessionToken == null) {
                        new LiveApiCall(admission, statuses, ws, connection, context, flavour, tenant, tools, null).start();
                    } else if (!constrained) {
                        refuse(ws, connection, Status.UNAUTHENTICATED.withDescription("a session token is accepted on"
                                + " …GenerativeService." + CONSTRAINED + " only; connect there").asRuntimeException());
                    } else {
                        redeem(ws, connection, context, flavour, sessionToken, tools);
                    }
                })
                .onFailure(e -> LOG.debugf("Live API WebSocket upgrade failed: %s", e.getMessage()));
    }

    /**
     * Uses the session token once (reading paused meanwhile), then serves the connection as its
     * tenant's. A draining replica refuses first, so the token stays usable on another replica.
     */
    private void redeem(ServerWebSocket ws, HttpConnection connection, Context context, Flavour flavour, String token,
            List<ToolReference> tools) {
        if (admission.draining()) {
            refuse(ws, connection, SessionAdmission.drainingRefusal());
            return;
        }
        ws.pause();
        tokens.redeem(token).subscribe().with(grant -> context.runOnContext(v -> {
            if (!tenantKnown(grant)) {
                refuse(ws, connection, Status.UNAUTHENTICATED.withDescription("the tenant of this session token has no"
                        + " API key any more").asRuntimeException());
                return;
            }
            new LiveApiCall(admission, statuses, ws, connection, context, flavour, grant.tenant(), tools, grant).start();
            if (!ws.isClosed()) {
                ws.resume();
            }
        }), failure -> context.runOnContext(v -> refuse(ws, connection, failure)));
    }

    private boolean tenantKnown(SessionToken grant) {
        return keys.tenantIds().contains(grant.tenant())
                || keys.anonymousTenant().map(t -> t.id().equals(grant.tenant())).orElse(false);
    }

    private void refuse(ServerWebSocket ws, HttpConnection connection, Throwable failure) {
        CloseCodes.Close close = CloseCodes.of(statuses.map(failure));
        WebSocketCallerChannel.closeSocket(ws, connection, close.code(), close.reason());
    }

    /**
     * The session token the request carries ({@code ?access_token=}, {@code Authorization: Token},
     * or an {@code auth_tokens/…} value where a key would be), or null.
     */
    private static String presentedSessionToken(HttpServerRequest request) throws Refusal {
        String query = request.getParam("access_token");
        if (query != null && !query.isBlank()) {
            return query.strip();
        }
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.strip().regionMatches(true, 0, "Token ", 0, 6)) {
            String token = authorization.strip().substring(6).strip();
            if (token.isEmpty()) {
                throw new Refusal("malformed Authorization header (expected 'Token <session token>'): " + HOW);
            }
            return token;
        }
        String key = presentedKey(request);
        return SessionTokens.isSessionToken(key) ? key : null;
    }

    /** An HTTP error before the upgrade, in the shape of Google's APIs' errors. */
    private static void respond(HttpServerRequest request, int status, String code, String message) {
        JsonObject body = new JsonObject().put("error", new JsonObject().put("code", status).put("message", message)
                .put("status", code));
        request.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(body.encode());
    }

    /** The tenant whose key the request carries, or the anonymous tenant in development mode. */
    private String authenticate(HttpServerRequest request) throws Refusal {
        String key = presentedKey(request);
        if (key == null) {
            return keys.anonymousTenant().orElseThrow(() -> new Refusal("no API key: " + HOW)).id();
        }
        Principal principal = keys.identify(key)
                .orElseThrow(() -> new Refusal("API key not valid: " + HOW + " with a key of your tenant"));
        if (principal.isAdmin()) {
            throw new Refusal("an admin key is not a tenant key: " + HOW);
        }
        return principal.tenant().id();
    }

    private static String presentedKey(HttpServerRequest request) throws Refusal {
        String query = request.getParam("key");
        if (query != null && !query.isBlank()) {
            return query.strip();
        }
        String apiKey = request.getHeader("x-goog-api-key");
        if (apiKey != null && !apiKey.isBlank()) {
            return apiKey.strip();
        }
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization != null && !authorization.isBlank()) {
            String value = authorization.strip();
            if (value.length() < 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7) || value.substring(7).isBlank()) {
                throw new Refusal("malformed Authorization header (expected 'Bearer <key>'): " + HOW);
            }
            return value.substring(7).strip();
        }
        return null;
    }

    /** A refused connection; the message is for the client. */
    static final class Refusal extends Exception {
        Refusal(String message) {
            super(message, null, false, false);
        }
    }
}
