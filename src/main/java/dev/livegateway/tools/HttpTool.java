package dev.livegateway.tools;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A function the gateway runs by calling an HTTP endpoint ({@code http} in an entry). The model
 * sees {@code function}; when it calls it, the gateway builds the request from the arguments:
 * {@code {name}} in {@code url} and in {@code query} values is the argument {@code name}
 * (URL-encoded), a JSON string {@code "${args.name}"} anywhere in {@code body} is replaced by the
 * argument's JSON value and {@code "${args}"} by all of them; without {@code body}, POST, PUT and
 * PATCH send the arguments as the JSON body. Header values may hold {@code ${secret:NAME}}, read at
 * call time from the environment variable (or the secrets directory's file) {@code NAME}, which
 * must start with {@link #SECRET_PREFIX}; secrets are allowed in headers only, so they never reach
 * the model, the caller or the registry.
 *
 * @param function the declaration the model sees (its behavior says BLOCKING or NON_BLOCKING)
 * @param url {@code http} or {@code https} URL, with {@code {arg}} placeholders
 * @param method GET (default), POST, PUT, PATCH or DELETE
 * @param headers request headers; values may reference secrets
 * @param query query parameters; values may hold {@code {arg}} placeholders (an absent argument leaves the parameter out)
 * @param body the JSON request body template
 * @param errorStatuses statuses that make the call an error, as {@code 404}, {@code 4xx} or {@code 500-599}; default {@code 4xx, 5xx}
 * @param policy timeout, retries, circuit breaker, response size, scheduling
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"function", "url", "method", "headers", "query", "body", "errorStatuses", "policy"})
public record HttpTool(ToolDefinition.Function function, String url, String method, Map<String, String> headers,
        Map<String, String> query, JsonNode body, List<String> errorStatuses, GatewayCallPolicy policy) {

    /** Secret names (environment variables, files of the secrets directory) start with this. */
    public static final String SECRET_PREFIX = "TOOL_SECRET_";

    public HttpTool {
        headers = headers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        query = query == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(query));
        body = body == null || body.isNull() ? null : body.deepCopy();
        errorStatuses = errorStatuses == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(errorStatuses));
    }

    /** The method, upper case, GET when unset. */
    public String methodOrDefault() {
        return method == null ? "GET" : method.toUpperCase(java.util.Locale.ROOT);
    }

    /** The policy with defaults filled in. */
    public GatewayCallPolicy effectivePolicy() {
        return (policy == null ? GatewayCallPolicy.DEFAULTS : policy).orDefaults();
    }
}
