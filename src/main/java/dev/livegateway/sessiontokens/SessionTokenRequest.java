package dev.livegateway.sessiontokens;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.livegateway.tools.FieldError;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The body of {@code POST /v1/session-tokens}, checked field by field (every problem is reported,
 * each naming its field and what is allowed). Names follow Google's {@code CreateAuthTokenConfig}
 * where they mean the same: {@code expireTime} (RFC 3339) and {@code uses}; {@code ttl} (e.g.
 * {@code "120s"}) is the relative alternative; {@code model} and {@code tools} are the allow-lists.
 * An empty body asks for a token with the defaults.
 *
 * @param grant  the token to mint, when {@code errors} is empty
 * @param errors what is wrong with the body
 */
public record SessionTokenRequest(SessionToken grant, List<FieldError> errors) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> FIELDS = Set.of("expireTime", "ttl", "uses", "model", "tools");
    private static final Pattern TOOL_NAME = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");
    private static final Pattern MODEL = Pattern.compile("[A-Za-z0-9_./@:-]{1,256}");
    private static final Pattern TTL = Pattern.compile("(\\d{1,9})(?:\\.(\\d{1,9}))?s");

    public boolean valid() {
        return errors.isEmpty();
    }

    /** Parses and checks a request of {@code tenant} at {@code now} against the configured bounds. */
    public static SessionTokenRequest parse(byte[] body, String tenant, SessionTokenConfig config, Instant now) {
        List<FieldError> errors = new ArrayList<>();
        JsonNode node;
        try {
            node = body == null || body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (IOException e) {
            return invalid(FieldError.ROOT, "not JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (node == null || node.isMissingNode()) {
            node = JSON.createObjectNode();
        }
        if (!node.isObject()) {
            return invalid(FieldError.ROOT, "must be a JSON object with expireTime or ttl, uses, model, tools");
        }
        node.fieldNames().forEachRemaining(name -> {
            if (!FIELDS.contains(name)) {
                errors.add(new FieldError(name, "unknown field; allowed: expireTime, ttl, uses, model, tools"));
            }
        });
        Instant expiresAt = expiry(node, config, now, errors);
        JsonNode uses = node.get("uses");
        if (uses != null && !uses.isNull() && !(uses.canConvertToInt() && uses.isIntegralNumber() && uses.asInt() == 1)) {
            errors.add(new FieldError("uses", "'" + uses + "': session tokens are single-use; allowed: 1"));
        }
        String model = null;
        JsonNode m = node.get("model");
        if (m != null && !m.isNull()) {
            if (!m.isTextual() || !MODEL.matcher(m.asText()).matches()) {
                errors.add(new FieldError("model", "must be a model name such as gemini-live-2.5-flash"));
            } else {
                model = SessionToken.bareModel(m.asText());
            }
        }
        List<String> tools = null;
        JsonNode t = node.get("tools");
        if (t != null && !t.isNull()) {
            if (!t.isArray()) {
                errors.add(new FieldError("tools", "must be an array of registry tool names"));
            } else if (t.size() > config.maxTools()) {
                errors.add(new FieldError("tools", t.size() + " tools; allowed: at most " + config.maxTools()
                        + " (live-gateway.session-tokens.max-tools)"));
            } else {
                tools = new ArrayList<>();
                for (int i = 0; i < t.size(); i++) {
                    JsonNode tool = t.get(i);
                    if (!tool.isTextual() || !TOOL_NAME.matcher(tool.asText()).matches()) {
                        errors.add(new FieldError("tools[" + i + "]", "must be a registry tool's name (letters, digits,"
                                + " _ . : -), without a version"));
                    } else if (!tools.contains(tool.asText())) {
                        tools.add(tool.asText());
                    }
                }
            }
        }
        if (!errors.isEmpty()) {
            return new SessionTokenRequest(null, List.copyOf(errors));
        }
        return new SessionTokenRequest(new SessionToken(tenant, model, tools, expiresAt), List.of());
    }

    private static Instant expiry(JsonNode node, SessionTokenConfig config, Instant now, List<FieldError> errors) {
        JsonNode expireTime = node.get("expireTime");
        JsonNode ttl = node.get("ttl");
        boolean hasExpireTime = expireTime != null && !expireTime.isNull();
        boolean hasTtl = ttl != null && !ttl.isNull();
        String bound = "at most " + config.maxTtl().toSeconds() + "s from now (live-gateway.session-tokens.max-ttl)";
        if (hasExpireTime && hasTtl) {
            errors.add(new FieldError("ttl", "give expireTime or ttl, not both"));
            return null;
        }
        if (hasExpireTime) {
            Instant at;
            try {
                at = Instant.parse(expireTime.asText());
            } catch (DateTimeParseException e) {
                errors.add(new FieldError("expireTime", "'" + expireTime.asText() + "' is not an RFC 3339 time such as"
                        + " 2026-01-01T12:00:00Z"));
                return null;
            }
            if (!at.isAfter(now)) {
                errors.add(new FieldError("expireTime", at + " is not in the future"));
            } else if (at.isAfter(now.plus(config.maxTtl()))) {
                errors.add(new FieldError("expireTime", at + " is too far; allowed: " + bound));
            }
            return at;
        }
        if (hasTtl) {
            var m = ttl.isTextual() ? TTL.matcher(ttl.asText()) : null;
            if (m == null || !m.matches()) {
                errors.add(new FieldError("ttl", "'" + ttl.asText() + "' is not a duration in seconds such as \"120s\""));
                return null;
            }
            String fraction = m.group(2) == null ? "0" : (m.group(2) + "000000000").substring(0, 9);
            Duration d = Duration.ofSeconds(Long.parseLong(m.group(1)), Long.parseLong(fraction));
            if (d.isZero()) {
                errors.add(new FieldError("ttl", "must be more than 0s"));
            } else if (d.compareTo(config.maxTtl()) > 0) {
                errors.add(new FieldError("ttl", ttl.asText() + " is too long; allowed: " + bound));
            }
            return now.plus(d);
        }
        return now.plus(config.defaultTtl());
    }

    private static SessionTokenRequest invalid(String field, String message) {
        return new SessionTokenRequest(null, List.of(new FieldError(field, message)));
    }
}
