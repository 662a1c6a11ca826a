package dev.livegateway.tools;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Reads and writes the registry's entry format, the same in files (YAML or JSON) and in the REST
 * API. Reading is strict: unknown fields, duplicate keys and wrong types are reported with the
 * path of the field, then the {@link ToolValidator} rules apply.
 */
public final class ToolDocuments {

    /** File formats of the tool directory. */
    public enum Format {
        JSON,
        YAML;

        /** The format of a file name, or null when the tool directory ignores such files. */
        public static Format ofFileName(String fileName) {
            String lower = fileName.toLowerCase(Locale.ROOT);
            if (lower.endsWith(".json")) {
                return JSON;
            }
            if (lower.endsWith(".yaml") || lower.endsWith(".yml")) {
                return YAML;
            }
            return null;
        }
    }

    /**
     * One entry read from a document: its definition when it passed every rule, else the problems.
     *
     * @param index position in the file (0 for a file or body holding one entry)
     * @param name the entry's name as written, when there is one, to say which entry failed
     */
    public record Parsed(int index, String name, ToolDefinition definition, List<FieldError> errors) {

        public Parsed {
            errors = List.copyOf(errors);
        }

        public boolean valid() {
            return errors.isEmpty();
        }
    }

    /** A document that is not JSON or YAML at all, or holds something else than entries. */
    public static final class UnreadableDocumentException extends Exception {
        public UnreadableDocumentException(String message) {
            super(message);
        }
    }

    private static final ObjectMapper JSON = configure(JsonMapper.builder()).build();
    private static final ObjectMapper YAML = configure(YAMLMapper.builder()).build();
    /** Reads one document of a multi-document YAML stream; the next document is not a trailing token. */
    private static final ObjectReader YAML_DOCUMENT_READER = YAML.readerFor(JsonNode.class)
            .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private static <M extends ObjectMapper, B extends com.fasterxml.jackson.databind.cfg.MapperBuilder<M, B>> B configure(
            B builder) {
        return builder
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS);
    }

    private final ToolValidator validator;

    public ToolDocuments(ToolValidator validator) {
        this.validator = validator;
    }

    public ToolValidator validator() {
        return validator;
    }

    /** The mapper of the entry format (JSON), for writing entries and problem bodies. */
    public static ObjectMapper mapper() {
        return JSON;
    }

    /**
     * Reads a file of the tool directory: one entry, a list of entries, or (YAML) several
     * {@code ---}-separated documents each holding one entry or a list.
     */
    public List<Parsed> readFile(byte[] content, Format format) throws UnreadableDocumentException {
        List<JsonNode> entries = new ArrayList<>();
        try {
            for (JsonNode document : documents(content, format)) {
                if (document == null || document.isNull() || document.isMissingNode()) {
                    continue;
                }
                if (document.isArray()) {
                    document.forEach(entries::add);
                } else {
                    entries.add(document);
                }
            }
        } catch (JacksonException e) {
            throw new UnreadableDocumentException("not valid " + format + ": " + e.getOriginalMessage()
                    + location(e));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Parsed> parsed = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            parsed.add(readEntry(entries.get(i), i));
        }
        return parsed;
    }

    /** The documents of a file: one for JSON, each {@code ---}-separated one for YAML. */
    private static List<JsonNode> documents(byte[] content, Format format) throws IOException {
        if (format == Format.JSON) {
            return List.of(JSON.readTree(content));
        }
        List<JsonNode> documents = new ArrayList<>();
        try (JsonParser parser = YAML.createParser(content)) {
            while (parser.nextToken() != null) {
                documents.add(YAML_DOCUMENT_READER.readTree(parser));
            }
        }
        return documents;
    }

    /**
     * Reads a REST request body holding one entry as a JSON object; {@code nameIfAbsent}, when not
     * null, is the name of an entry whose body leaves it out (PUT names the entry in its path).
     */
    public Parsed readBody(byte[] body, String nameIfAbsent) {
        if (body == null || body.length == 0) {
            return new Parsed(0, null, null, List.of(new FieldError(FieldError.ROOT, "the request body must be a tool "
                    + "entry as a JSON object")));
        }
        if (body.length > validator.limits().maxEntryBytes() * 4L) {
            return new Parsed(0, null, null, List.of(tooLarge(body.length)));
        }
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (JacksonException e) {
            return new Parsed(0, null, null, List.of(new FieldError(FieldError.ROOT, "not valid JSON: "
                    + e.getOriginalMessage() + location(e))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (nameIfAbsent != null && node instanceof ObjectNode object && !object.has("name")) {
            object.put("name", nameIfAbsent);
        }
        return readEntry(node, 0);
    }

    private Parsed readEntry(JsonNode node, int index) {
        String name = node.path("name").isTextual() ? node.path("name").asText() : null;
        if (!node.isObject()) {
            return new Parsed(index, null, null, List.of(new FieldError(FieldError.ROOT,
                    "an entry must be an object with name and one of functions, codeExecution, googleSearch, "
                            + "ragRetrieval; got " + node.getNodeType().name().toLowerCase(Locale.ROOT))));
        }
        int size = compactSize(node);
        if (size > validator.limits().maxEntryBytes()) {
            return new Parsed(index, name, null, List.of(tooLarge(size)));
        }
        ToolDefinition definition;
        try {
            definition = JSON.treeToValue(node, ToolDefinition.class);
        } catch (JsonMappingException e) {
            return new Parsed(index, name, null, List.of(bindingError(e)));
        } catch (JsonProcessingException e) {
            return new Parsed(index, name, null, List.of(new FieldError(FieldError.ROOT, e.getOriginalMessage())));
        }
        List<FieldError> errors = validator.validate(definition);
        return new Parsed(index, name, errors.isEmpty() ? definition : null, errors);
    }

    private FieldError tooLarge(long size) {
        return new FieldError(FieldError.ROOT, "the entry is " + size + " bytes as compact JSON; the limit is "
                + validator.limits().maxEntryBytes() + " bytes");
    }

    private static int compactSize(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node).length;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    /** Turns a Jackson binding failure into the field it is about and a message for a person. */
    private static FieldError bindingError(JsonMappingException e) {
        String path = FieldError.ROOT;
        for (JsonMappingException.Reference reference : e.getPath()) {
            path = reference.getFieldName() != null
                    ? JsonPaths.field(path, reference.getFieldName())
                    : JsonPaths.index(path, reference.getIndex());
        }
        String message;
        if (e instanceof UnrecognizedPropertyException unknown) {
            message = "unknown field '" + unknown.getPropertyName() + "'; allowed here: "
                    + unknown.getKnownPropertyIds().stream().map(Object::toString).sorted()
                            .collect(Collectors.joining(", "));
        } else if (e instanceof InvalidFormatException invalid && invalid.getTargetType().isEnum()) {
            message = "must be one of " + Arrays.toString(invalid.getTargetType().getEnumConstants()) + ", got "
                    + invalid.getValue();
        } else if (e instanceof MismatchedInputException mismatched && mismatched.getTargetType() != null) {
            message = "must be " + describe(mismatched.getTargetType());
        } else {
            message = e.getOriginalMessage();
        }
        return new FieldError(path, message);
    }

    private static String describe(Class<?> type) {
        if (type == String.class) {
            return "a string";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (type == Double.class || type == double.class) {
            return "a number";
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.toString(type.getEnumConstants());
        }
        return "an object";
    }

    private static String location(JacksonException e) {
        return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                + e.getLocation().getColumnNr() + ")";
    }

    /**
     * An entry as the REST API and the logs show it: the definition plus what the registry
     * assigned (version, kind, source, file, updatedAt).
     */
    public static ObjectNode toJson(ToolEntry entry) {
        ObjectNode json = JSON.createObjectNode();
        json.put("name", entry.name());
        json.put("version", entry.version());
        json.put("kind", entry.kind().name());
        json.put("source", entry.origin().source().name());
        if (entry.origin().isFile()) {
            json.put("file", entry.origin().file());
        }
        json.put("updatedAt", entry.updatedAt().toString());
        ObjectNode definition = JSON.valueToTree(entry.definition());
        definition.remove("name");
        json.setAll(definition);
        return json;
    }
}
