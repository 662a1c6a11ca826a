package dev.livegateway.toolrun;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livegateway.tools.HttpTool;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An {@link HttpTool}'s request for one call's arguments: {@code {arg}} in the URL and query
 * values (URL-encoded; a query parameter whose arguments are absent is left out),
 * {@code "${args.name}"} and {@code "${args}"} in the body template. Pure.
 */
final class HttpRequestTemplate {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)}");
    private static final Pattern BODY_REFERENCE = Pattern.compile("\\$\\{args(?:\\.([A-Za-z_][A-Za-z0-9_]*))?}");

    /** The request to send: absolute URL (query included) and the body, or null for none. */
    record Request(String url, JsonNode body) {}

    private HttpRequestTemplate() {}

    /** Builds the request; fails with a MISCONFIGURED {@link CallFailure} when a URL placeholder has no argument. */
    static Request build(HttpTool http, JsonNode args) {
        JsonNode arguments = args == null || !args.isObject() ? JsonNodeFactory.instance.objectNode() : args;
        String url = fill(http.url(), arguments, true);
        StringJoiner query = new StringJoiner("&");
        for (Map.Entry<String, String> q : http.query().entrySet()) {
            String value = fill(q.getValue(), arguments, false);
            if (value != null) {
                query.add(encode(q.getKey()) + "=" + value);
            }
        }
        if (query.length() > 0) {
            url = url + (url.contains("?") ? "&" : "?") + query;
        }
        JsonNode body;
        if (http.body() != null) {
            body = substitute(http.body(), arguments);
        } else {
            String method = http.methodOrDefault();
            body = method.equals("POST") || method.equals("PUT") || method.equals("PATCH") ? arguments : null;
        }
        return new Request(url, body);
    }

    /** {@code text} with its placeholders filled; null when an argument is absent and {@code required} is false. */
    private static String fill(String text, JsonNode args, boolean required) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            JsonNode value = args.get(m.group(1));
            if (value == null || value.isNull()) {
                if (required) {
                    throw new CallFailure(CallOutcome.MISCONFIGURED, false,
                            "the argument '" + m.group(1) + "' is required by the endpoint URL and was not given");
                }
                return null;
            }
            m.appendReplacement(out, Matcher.quoteReplacement(encode(value.isValueNode() ? value.asText() : value.toString())));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static JsonNode substitute(JsonNode template, JsonNode args) {
        if (template.isTextual()) {
            Matcher m = BODY_REFERENCE.matcher(template.asText());
            if (m.matches()) {
                if (m.group(1) == null) {
                    return args.deepCopy();
                }
                JsonNode value = args.get(m.group(1));
                return value == null ? JsonNodeFactory.instance.nullNode() : value.deepCopy();
            }
            return template;
        }
        if (template.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = template.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                out.set(field.getKey(), substitute(field.getValue(), args));
            }
            return out;
        }
        if (template.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            template.forEach(item -> out.add(substitute(item, args)));
            return out;
        }
        return template;
    }
}
