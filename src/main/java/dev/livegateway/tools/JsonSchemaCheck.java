package dev.livegateway.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Checks a function's {@code parametersJsonSchema} or {@code responseJsonSchema}: a full JSON Schema
 * (draft 2020-12), validated against the draft's meta-schema with networknt's json-schema-validator.
 * References must stay inside the schema ({@code #…}): the Live API fetches nothing, and neither
 * does the gateway.
 */
final class JsonSchemaCheck {

    private static final Schema META_SCHEMA = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
            .getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));

    private final int maxDepth;

    JsonSchemaCheck(int maxDepth) {
        this.maxDepth = maxDepth;
    }

    /** Validates {@code schema} at {@code path}; a parameters schema must describe an object ({@code requireObject}). */
    void validate(JsonNode schema, String path, boolean requireObject, List<FieldError> errors) {
        if (!schema.isObject()) {
            errors.add(new FieldError(path, "must be a JSON Schema object, e.g. {\"type\": \"object\", \"properties\": {…}}"));
            return;
        }
        if (requireObject && !"object".equals(schema.path("type").asText())) {
            errors.add(new FieldError(JsonPaths.field(path, "type"),
                    "the parameters schema must have type \"object\", with one property per parameter"));
        }
        int before = errors.size();
        walk(schema, path, 1, errors);
        if (errors.size() > before) {
            return;
        }
        java.util.Set<String> reported = new java.util.HashSet<>();
        for (Error e : META_SCHEMA.validate(schema)) {
            String field = fieldPath(schema, path, e.getInstanceLocation() == null ? "" : e.getInstanceLocation().toString());
            // One problem per place: a keyword failing several branches of the meta-schema is one mistake.
            if (reported.add(field)) {
                errors.add(new FieldError(field, "is not valid JSON Schema (draft 2020-12): " + e.getMessage()));
            }
        }
    }

    /** The validator's instance location (a JSON pointer, or {@code $.a.b}) as this registry's field path. */
    static String fieldPath(JsonNode root, String path, String location) {
        String pointer = location.startsWith("$") ? location.substring(1).replace('.', '/') : location;
        String field = path;
        JsonNode node = root;
        for (String raw : pointer.split("/")) {
            if (raw.isEmpty()) {
                continue;
            }
            String step = raw.replace("~1", "/").replace("~0", "~");
            if (node != null && node.isArray() && step.chars().allMatch(Character::isDigit)) {
                field = JsonPaths.index(field, Integer.parseInt(step));
                node = node.get(Integer.parseInt(step));
            } else {
                field = JsonPaths.field(field, step);
                node = node == null ? null : node.get(step);
            }
        }
        return field;
    }

    /** Depth limit and references that leave the schema. */
    private void walk(JsonNode node, String path, int depth, List<FieldError> errors) {
        // Each schema level is two JSON levels (a keyword such as properties, then the schema).
        if (depth > 2 * maxDepth + 1) {
            errors.add(new FieldError(path, "schema is nested deeper than " + maxDepth + " levels"));
            return;
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                String at = JsonPaths.field(path, field.getKey());
                if ((field.getKey().equals("$ref") || field.getKey().equals("$dynamicRef"))
                        && field.getValue().isTextual() && !field.getValue().asText().startsWith("#")) {
                    errors.add(new FieldError(at, "'" + field.getValue().asText() + "' points outside the schema;"
                            + " only references within it (#/$defs/…) are allowed"));
                }
                walk(field.getValue(), at, depth + 1, errors);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), JsonPaths.index(path, i), depth + 1, errors);
            }
        }
    }
}
