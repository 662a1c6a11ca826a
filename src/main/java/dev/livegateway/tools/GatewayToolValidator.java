package dev.livegateway.tools;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules of the kinds the gateway runs itself, {@code http} ({@link HttpTool}) and {@code mcp}
 * ({@link McpTool}): endpoints, methods, templates, secret references (by name, in headers only),
 * error statuses and the call policy's ranges. Part of {@link ToolValidator}.
 */
final class GatewayToolValidator {

    /** {@code ${secret:NAME}} in a header value. */
    static final Pattern SECRET_REFERENCE = Pattern.compile("\\$\\{secret:([^}]*)}");
    /** Secret names: {@link HttpTool#SECRET_PREFIX} then upper-case letters, digits and '_'. */
    static final Pattern SECRET_NAME = Pattern.compile(HttpTool.SECRET_PREFIX + "[A-Z0-9_]{1,100}");
    /** {@code {arg}} in a URL or query value. */
    static final Pattern ARG_PLACEHOLDER = Pattern.compile("\\{([^}]*)}");
    private static final Pattern ARG_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}");
    private static final Pattern STATUS = Pattern.compile("([1-5][0-9][0-9])|([1-5])xx|([1-5][0-9][0-9])-([1-5][0-9][0-9])");
    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE");
    private static final List<String> SCHEDULINGS = List.of("SILENT", "WHEN_IDLE", "INTERRUPT");
    private static final Duration MAX_TIMEOUT = Duration.ofMinutes(10);
    private static final int MAX_RETRIES = 5;
    private static final int MAX_RESPONSE_BYTES = 16 << 20;

    private final ToolValidator functions;

    GatewayToolValidator(ToolValidator functions) {
        this.functions = functions;
    }

    void checkHttp(HttpTool http, List<FieldError> errors) {
        ToolDefinition.Function function = http.function();
        if (function == null) {
            errors.add(new FieldError("http.function", "is required: the declaration the model sees {name, description, parameters}"));
        } else {
            if (function.name() == null || !ToolValidator.FUNCTION_NAME.matcher(function.name()).matches()) {
                errors.add(new FieldError("http.function.name", "'" + function.name() + "' is not a function name the"
                        + " Live API accepts: 1 to 64 characters, letters, digits, '_', '.', '-', starting with a letter or '_'"));
            }
            functions.checkFunctionBody(function, "http.function", errors);
        }
        checkUrl(http.url(), "http.url", true, errors);
        String method = http.methodOrDefault();
        if (!METHODS.contains(method)) {
            errors.add(new FieldError("http.method", "'" + http.method() + "' is not allowed; use one of " + METHODS));
        }
        checkHeaders(http.headers(), "http.headers", errors);
        http.query().forEach((key, value) -> {
            String at = JsonPaths.field("http.query", key);
            if (key.isBlank()) {
                errors.add(new FieldError(at, "a query parameter needs a name"));
            }
            checkPlaceholders(value, at, errors);
        });
        if (http.body() != null) {
            if (method.equals("GET") || method.equals("DELETE")) {
                errors.add(new FieldError("http.body", "a " + method + " request has no body; use POST, PUT or PATCH,"
                        + " or pass the arguments as {arg} placeholders in url or query"));
            }
            if (http.body().toString().contains("${secret:")) {
                errors.add(new FieldError("http.body", "secrets are allowed in headers only"));
            }
        }
        for (int i = 0; i < http.errorStatuses().size(); i++) {
            String status = http.errorStatuses().get(i);
            Matcher m = status == null ? null : STATUS.matcher(status.trim());
            if (m == null || !m.matches() || (m.group(3) != null
                    && Integer.parseInt(m.group(3)) > Integer.parseInt(m.group(4)))) {
                errors.add(new FieldError(JsonPaths.index("http.errorStatuses", i), "'" + status + "' is not a status,"
                        + " a class or a range: write 404, 5xx or 500-504"));
            }
        }
        checkPolicy(http.policy(), "http.policy", errors);
    }

    void checkMcp(McpTool mcp, List<FieldError> errors) {
        checkUrl(mcp.url(), "mcp.url", false, errors);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < mcp.tools().size(); i++) {
            String name = mcp.tools().get(i);
            String at = JsonPaths.index("mcp.tools", i);
            if (name == null || !ToolValidator.FUNCTION_NAME.matcher(name).matches()) {
                errors.add(new FieldError(at, "'" + name + "' is not a function name the Live API accepts"));
            } else if (!seen.add(name)) {
                errors.add(new FieldError(at, "tool '" + name + "' is listed twice"));
            }
        }
        checkHeaders(mcp.headers(), "mcp.headers", errors);
        checkPolicy(mcp.policy(), "mcp.policy", errors);
    }

    private static void checkUrl(String url, String at, boolean placeholders, List<FieldError> errors) {
        if (url == null || url.isBlank()) {
            errors.add(new FieldError(at, "is required: an http or https URL"));
            return;
        }
        if (url.contains("${")) {
            errors.add(new FieldError(at, "secrets are allowed in headers only (a URL is logged and shown)"));
            return;
        }
        String probe = url;
        if (placeholders) {
            checkPlaceholders(url, at, errors);
            probe = ARG_PLACEHOLDER.matcher(url).replaceAll("x");
        } else if (url.contains("{")) {
            errors.add(new FieldError(at, "takes no {placeholders}"));
            return;
        }
        try {
            URI uri = new URI(probe);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                errors.add(new FieldError(at, "'" + url + "' is not an absolute http or https URL with a host"));
            } else if (uri.getUserInfo() != null) {
                errors.add(new FieldError(at, "credentials in the URL are refused; send them in a header with ${secret:NAME}"));
            }
        } catch (URISyntaxException e) {
            errors.add(new FieldError(at, "'" + url + "' is not a URL: " + e.getReason()));
        }
    }

    private static void checkPlaceholders(String text, String at, List<FieldError> errors) {
        if (text == null) {
            errors.add(new FieldError(at, "must be a string"));
            return;
        }
        if (text.contains("${")) {
            errors.add(new FieldError(at, "secrets are allowed in headers only"));
        }
        Matcher m = ARG_PLACEHOLDER.matcher(text);
        while (m.find()) {
            if (!ARG_NAME.matcher(m.group(1)).matches()) {
                errors.add(new FieldError(at, "{" + m.group(1) + "} is not an argument name (letters, digits, '_')"));
            }
        }
    }

    private static void checkHeaders(Map<String, String> headers, String at, List<FieldError> errors) {
        headers.forEach((name, value) -> {
            String field = JsonPaths.field(at, name);
            if (!HEADER_NAME.matcher(name).matches()) {
                errors.add(new FieldError(field, "'" + name + "' is not a header name"));
            }
            if (value == null || value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                errors.add(new FieldError(field, "must be a one-line string"));
                return;
            }
            Matcher m = SECRET_REFERENCE.matcher(value);
            int references = 0;
            while (m.find()) {
                references++;
                if (!SECRET_NAME.matcher(m.group(1)).matches()) {
                    errors.add(new FieldError(field, "${secret:" + m.group(1) + "} does not name a secret: an environment"
                            + " variable (or secrets-directory file) named " + HttpTool.SECRET_PREFIX
                            + "… in upper case, digits and '_'"));
                }
            }
            if (value.replaceAll(SECRET_REFERENCE.pattern(), "").contains("${")) {
                errors.add(new FieldError(field, "only ${secret:NAME} may be substituted in a header"));
            }
            if (references == 0 && name.equalsIgnoreCase("authorization")) {
                errors.add(new FieldError(field, "an Authorization header holds a secret: reference it as"
                        + " ${secret:" + HttpTool.SECRET_PREFIX + "NAME} rather than storing it in the registry"));
            }
        });
    }

    private static void checkPolicy(GatewayCallPolicy policy, String at, List<FieldError> errors) {
        if (policy == null) {
            return;
        }
        checkDuration(policy.timeout(), at + ".timeout", Duration.ofMillis(1), MAX_TIMEOUT, errors);
        checkDuration(policy.retryDelay(), at + ".retryDelay", Duration.ZERO, Duration.ofMinutes(1), errors);
        if (policy.retries() != null && (policy.retries() < 0 || policy.retries() > MAX_RETRIES)) {
            errors.add(new FieldError(at + ".retries", "must be between 0 and " + MAX_RETRIES + ", got " + policy.retries()));
        }
        if (policy.maxResponseBytes() != null && (policy.maxResponseBytes() < 1 || policy.maxResponseBytes() > MAX_RESPONSE_BYTES)) {
            errors.add(new FieldError(at + ".maxResponseBytes", "must be between 1 and " + MAX_RESPONSE_BYTES
                    + ", got " + policy.maxResponseBytes()));
        }
        if (policy.scheduling() != null && !SCHEDULINGS.contains(policy.scheduling())) {
            errors.add(new FieldError(at + ".scheduling", "'" + policy.scheduling() + "' is not one of " + SCHEDULINGS));
        }
        GatewayCallPolicy.CircuitBreaker breaker = policy.circuitBreaker();
        if (breaker != null) {
            String b = at + ".circuitBreaker";
            if (breaker.requestVolume() != null && (breaker.requestVolume() < 1 || breaker.requestVolume() > 1000)) {
                errors.add(new FieldError(b + ".requestVolume", "must be between 1 and 1000, got " + breaker.requestVolume()));
            }
            if (breaker.failureRatio() != null && !(breaker.failureRatio() > 0 && breaker.failureRatio() <= 1)) {
                errors.add(new FieldError(b + ".failureRatio", "must be above 0 and at most 1, got " + breaker.failureRatio()));
            }
            checkDuration(breaker.delay(), b + ".delay", Duration.ZERO, Duration.ofHours(1), errors);
            GatewayCallPolicy.CircuitBreaker full = breaker.orDefaults();
            if (breaker.successThreshold() != null && (breaker.successThreshold() < 1
                    || breaker.successThreshold() > full.requestVolume())) {
                errors.add(new FieldError(b + ".successThreshold", "must be between 1 and requestVolume ("
                        + full.requestVolume() + "), got " + breaker.successThreshold()));
            }
        }
    }

    private static void checkDuration(String text, String at, Duration min, Duration max, List<FieldError> errors) {
        if (text == null) {
            return;
        }
        Duration d = DurationText.parse(text);
        if (d == null) {
            errors.add(new FieldError(at, "'" + text + "' is not a duration: write 800ms, 5s, 2m or PT5S"));
        } else if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            errors.add(new FieldError(at, "must be between " + min + " and " + max + ", got " + text));
        }
    }
}
