package dev.livegateway.tools;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.PatternSyntaxException;

/**
 * Checks a function's parameters or response schema against the OpenAPI subset the Live API
 * accepts ({@code Schema} of the Gemini API). Any other keyword ({@code readOnly}, {@code x-…},
 * {@code $ref}, {@code additionalProperties}, {@code oneOf}, …) makes the real server close the
 * session with 1007 and no useful reason, so it is refused here, naming the keyword.
 */
final class SchemaValidator {

    /** The keywords of the Live API's Schema message. */
    static final List<String> KEYWORDS = List.of(
            "type", "format", "title", "description", "nullable", "enum", "items", "minItems", "maxItems",
            "properties", "required", "propertyOrdering", "minProperties", "maxProperties", "minimum",
            "maximum", "minLength", "maxLength", "pattern", "example", "default", "anyOf");

    /** Schema types, accepted in any case. */
    static final List<String> TYPES = List.of("STRING", "NUMBER", "INTEGER", "BOOLEAN", "ARRAY", "OBJECT", "NULL");

    private static final Set<String> KEYWORD_SET = Set.copyOf(KEYWORDS);

    private static final Map<String, String> HINTS = Map.of(
            "$ref", "inline the referenced schema",
            "$defs", "inline the definitions where they are used",
            "definitions", "inline the definitions where they are used",
            "oneOf", "use anyOf",
            "allOf", "merge the schemas into one",
            "additionalProperties", "list every property under properties",
            "const", "use enum with one value",
            "exclusiveMinimum", "use minimum",
            "exclusiveMaximum", "use maximum");

    private final int maxDepth;

    SchemaValidator(int maxDepth) {
        this.maxDepth = maxDepth;
    }

    /**
     * Validates {@code schema} found at {@code path}. A function's {@code parameters} must
     * describe an object ({@code requireObject}).
     */
    void validate(JsonNode schema, String path, boolean requireObject, List<FieldError> errors) {
        if (requireObject && schema.isObject()) {
            JsonNode type = schema.get("type");
            if (type == null || !type.isTextual() || !type.asText().equalsIgnoreCase("OBJECT")) {
                errors.add(new FieldError(JsonPaths.field(path, "type"),
                        "the parameters schema must have type OBJECT, with one property per parameter"));
            }
        }
        validate(schema, path, 1, errors);
    }

    private void validate(JsonNode schema, String path, int depth, List<FieldError> errors) {
        if (!schema.isObject()) {
            errors.add(new FieldError(path, "must be a schema object, e.g. {\"type\": \"STRING\"}"));
            return;
        }
        if (depth > maxDepth) {
            errors.add(new FieldError(path, "schema is nested deeper than " + maxDepth + " levels"));
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = schema.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> keyword = it.next();
            String at = JsonPaths.field(path, keyword.getKey());
            if (!KEYWORD_SET.contains(keyword.getKey())) {
                errors.add(new FieldError(at, unsupported(keyword.getKey())));
                continue;
            }
            checkKeyword(keyword.getKey(), keyword.getValue(), at, depth, errors);
        }
        checkRange(schema, "minItems", "maxItems", path, errors);
        checkRange(schema, "minProperties", "maxProperties", path, errors);
        checkRange(schema, "minLength", "maxLength", path, errors);
        checkRange(schema, "minimum", "maximum", path, errors);
        JsonNode type = schema.get("type");
        if (type != null && type.isTextual() && type.asText().equalsIgnoreCase("ARRAY") && !schema.has("items")) {
            errors.add(new FieldError(JsonPaths.field(path, "items"),
                    "an ARRAY schema needs items describing its elements"));
        }
        checkPropertyNames(schema, "required", path, errors);
        checkPropertyNames(schema, "propertyOrdering", path, errors);
    }

    private void checkKeyword(String keyword, JsonNode value, String at, int depth, List<FieldError> errors) {
        switch (keyword) {
            case "type" -> {
                if (value.isArray()) {
                    errors.add(new FieldError(at, "must be one type, not a list; use nullable: true for null values"));
                } else if (!value.isTextual() || !TYPES.contains(value.asText().toUpperCase(Locale.ROOT))) {
                    errors.add(new FieldError(at, "must be one of " + TYPES + " (any case), got " + value));
                }
            }
            case "format", "title", "description" -> requireText(value, at, errors);
            case "pattern" -> {
                if (requireText(value, at, errors)) {
                    try {
                        java.util.regex.Pattern.compile(value.asText());
                    } catch (PatternSyntaxException e) {
                        errors.add(new FieldError(at, "is not a valid regular expression: " + e.getDescription()));
                    }
                }
            }
            case "nullable" -> {
                if (!value.isBoolean()) {
                    errors.add(new FieldError(at, "must be true or false"));
                }
            }
            case "enum" -> checkEnum(value, at, errors);
            case "items" -> validate(value, at, depth + 1, errors);
            case "properties" -> {
                if (!value.isObject()) {
                    errors.add(new FieldError(at, "must be an object mapping each property name to its schema"));
                    return;
                }
                for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> property = it.next();
                    String propertyPath = JsonPaths.field(at, property.getKey());
                    if (property.getKey().isBlank()) {
                        errors.add(new FieldError(propertyPath, "property names must not be blank"));
                    }
                    validate(property.getValue(), propertyPath, depth + 1, errors);
                }
            }
            case "anyOf" -> {
                if (!value.isArray() || value.isEmpty()) {
                    errors.add(new FieldError(at, "must be a non-empty list of schemas"));
                    return;
                }
                for (int i = 0; i < value.size(); i++) {
                    validate(value.get(i), JsonPaths.index(at, i), depth + 1, errors);
                }
            }
            case "minItems", "maxItems", "minProperties", "maxProperties", "minLength", "maxLength" -> {
                if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < 0) {
                    errors.add(new FieldError(at, "must be a non-negative integer"));
                }
            }
            case "minimum", "maximum" -> {
                if (!value.isNumber()) {
                    errors.add(new FieldError(at, "must be a number"));
                }
            }
            case "required", "propertyOrdering" -> {
                if (!value.isArray()) {
                    errors.add(new FieldError(at, "must be a list of property names"));
                }
            }
            default -> {
                // example, default: any JSON value
            }
        }
    }

    private static String unsupported(String keyword) {
        String hint = HINTS.get(keyword);
        if (hint == null && keyword.startsWith("x-")) {
            hint = "extension keywords are not allowed; move the information into description";
        }
        return "keyword '" + keyword + "' is not accepted by the Live API (it closes the session with 1007)"
                + (hint == null ? "" : "; " + hint) + "; allowed keywords: " + String.join(", ", KEYWORDS);
    }

    private static boolean requireText(JsonNode value, String at, List<FieldError> errors) {
        if (!value.isTextual()) {
            errors.add(new FieldError(at, "must be a string"));
            return false;
        }
        return true;
    }

    private static void checkEnum(JsonNode value, String at, List<FieldError> errors) {
        if (!value.isArray() || value.isEmpty()) {
            errors.add(new FieldError(at, "must be a non-empty list of strings"));
            return;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            if (!item.isTextual()) {
                errors.add(new FieldError(JsonPaths.index(at, i), "enum values must be strings"));
            } else if (!seen.add(item.asText())) {
                errors.add(new FieldError(JsonPaths.index(at, i), "duplicate enum value '" + item.asText() + "'"));
            }
        }
    }

    private static void checkRange(JsonNode schema, String min, String max, String path, List<FieldError> errors) {
        JsonNode low = schema.get(min);
        JsonNode high = schema.get(max);
        if (low != null && high != null && low.isNumber() && high.isNumber()
                && low.decimalValue().compareTo(high.decimalValue()) > 0) {
            errors.add(new FieldError(JsonPaths.field(path, min), "must not be greater than " + max + " (" + high + ")"));
        }
    }

    /** {@code required} and {@code propertyOrdering} may only name declared properties, once each. */
    private static void checkPropertyNames(JsonNode schema, String keyword, String path, List<FieldError> errors) {
        JsonNode names = schema.get(keyword);
        if (names == null || !names.isArray()) {
            return;
        }
        JsonNode properties = schema.get("properties");
        String at = JsonPaths.field(path, keyword);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < names.size(); i++) {
            JsonNode name = names.get(i);
            String itemPath = JsonPaths.index(at, i);
            if (!name.isTextual()) {
                errors.add(new FieldError(itemPath, "must be a property name (a string)"));
            } else if (!seen.add(name.asText())) {
                errors.add(new FieldError(itemPath, "property '" + name.asText() + "' is listed twice"));
            } else if (properties == null || !properties.isObject() || !properties.has(name.asText())) {
                errors.add(new FieldError(itemPath,
                        "'" + name.asText() + "' is not declared under properties"));
            }
        }
    }
}
