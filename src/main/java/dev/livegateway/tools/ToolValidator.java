package dev.livegateway.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules a tool definition must pass before it is stored, from any source. Every problem is
 * reported, not only the first, each naming its field as a JSON path.
 */
public final class ToolValidator {

    /** Entry names: DNS-label style, usable in URLs, file names and Redis keys. */
    public static final Pattern ENTRY_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    /** Function names the Live API accepts. */
    public static final Pattern FUNCTION_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.\\-]{0,63}");

    /**
     * Vertex AI RAG Engine corpus resource names. Project: an id or a number; location: a region
     * such as {@code us-central1}; corpus id: the number Vertex AI assigned.
     */
    public static final Pattern RAG_CORPUS = Pattern.compile(
            "projects/([a-z][a-z0-9-]{4,28}[a-z0-9]|[0-9]{1,20})/locations/[a-z]+(-[a-z0-9]+)*/ragCorpora/[0-9]{1,20}");

    /** RAG file ids: the numbers Vertex AI assigned to the corpus' files. */
    public static final Pattern RAG_FILE_ID = Pattern.compile("[0-9]{1,20}");

    public static final int MIN_TOP_K = 1;
    public static final int MAX_TOP_K = 100;
    /** Vector distance thresholds: the range of cosine distance, the RAG Engine's default metric. */
    public static final double MIN_DISTANCE_THRESHOLD = 0.0;
    public static final double MAX_DISTANCE_THRESHOLD = 2.0;

    private static final int MAX_TENANT_CHARS = 128;

    /** The options of googleSearch (google-genai 2.0.0 {@code GoogleSearch}). */
    public static final List<String> GOOGLE_SEARCH_OPTIONS =
            List.of("searchTypes", "blockingConfidence", "excludeDomains", "timeRangeFilter");

    private final ToolLimits limits;
    private final SchemaValidator schemas;
    private final JsonSchemaCheck jsonSchemas;
    private final GatewayToolValidator gatewayRun;

    public ToolValidator(ToolLimits limits) {
        this.limits = limits;
        this.schemas = new SchemaValidator(limits.maxSchemaDepth());
        this.jsonSchemas = new JsonSchemaCheck(limits.maxSchemaDepth());
        this.gatewayRun = new GatewayToolValidator(this);
    }

    public ToolLimits limits() {
        return limits;
    }

    /** All problems of {@code definition}; empty when it may be stored. */
    public List<FieldError> validate(ToolDefinition definition) {
        List<FieldError> errors = new ArrayList<>();
        checkName(definition.name(), errors);
        checkLength(definition.description(), "description", limits.maxDescriptionChars(), errors);
        checkTenants(definition.tenants(), errors);
        List<ToolKind> kinds = definition.kinds();
        if (kinds.size() != 1) {
            errors.add(new FieldError(FieldError.ROOT, "an entry sets exactly one of functions, codeExecution, "
                    + "googleSearch, ragRetrieval, " + hostedNames() + ", http, mcp; this one sets "
                    + (kinds.isEmpty() ? "none" : describe(kinds))));
        }
        if (definition.functions() != null) {
            checkFunctions(definition.functions(), errors);
        }
        checkNoOptions(definition.codeExecution(), "codeExecution", errors);
        checkOptions(definition.googleSearch(), "googleSearch", GOOGLE_SEARCH_OPTIONS, errors);
        if (definition.ragRetrieval() != null) {
            checkRag(definition.ragRetrieval(), errors);
        }
        for (HostedTool hosted : HostedTool.values()) {
            JsonNode value = definition.hosted(hosted);
            if (value != null) {
                checkHosted(hosted, value, errors);
            }
        }
        if (definition.http() != null) {
            gatewayRun.checkHttp(definition.http(), errors);
        }
        if (definition.mcp() != null) {
            gatewayRun.checkMcp(definition.mcp(), errors);
        }
        return errors;
    }

    private static String hostedNames() {
        List<String> names = new ArrayList<>();
        for (HostedTool hosted : HostedTool.values()) {
            names.add(hosted.field());
        }
        return String.join(", ", names);
    }

    /** A hosted tool's value: an object (a non-empty array of them for MCP servers) with the Live API's keys. */
    private static void checkHosted(HostedTool hosted, JsonNode value, List<FieldError> errors) {
        String field = hosted.field();
        if (hosted == HostedTool.MCP_SERVERS) {
            if (!value.isArray() || value.isEmpty()) {
                errors.add(new FieldError(field, "must be a non-empty list of MCP servers:"
                        + " [{name: …, streamableHttpTransport: {url: …}}]"));
                return;
            }
            for (int i = 0; i < value.size(); i++) {
                checkHostedObject(hosted, value.get(i), JsonPaths.index(field, i), errors);
            }
            return;
        }
        checkHostedObject(hosted, value, field, errors);
    }

    private static void checkHostedObject(HostedTool hosted, JsonNode value, String at, List<FieldError> errors) {
        if (!value.isObject()) {
            errors.add(new FieldError(at, "must be an object" + (hosted.options().isEmpty() ? ": write "
                    + hosted.field() + ": {}" : " with some of " + String.join(", ", hosted.options()))));
            return;
        }
        checkOptions((ObjectNode) value, at, hosted.options(), errors);
        if (hosted.required() != null && (!value.hasNonNull(hosted.required())
                || (value.get(hosted.required()).isTextual() && value.get(hosted.required()).asText().isBlank())
                || (value.get(hosted.required()).isContainerNode() && value.get(hosted.required()).isEmpty()))) {
            errors.add(new FieldError(JsonPaths.field(at, hosted.required()), "is required"));
        }
    }

    private static void checkOptions(ObjectNode options, String field, List<String> allowed, List<FieldError> errors) {
        if (options == null) {
            return;
        }
        options.fieldNames().forEachRemaining(option -> {
            if (!allowed.contains(option)) {
                errors.add(new FieldError(JsonPaths.field(field, option), allowed.isEmpty()
                        ? "unknown option; " + field + " takes none: write " + field + ": {}"
                        : "unknown option; allowed: " + String.join(", ", allowed)));
            }
        });
    }

    private static void checkName(String name, List<FieldError> errors) {
        if (name == null || name.isEmpty()) {
            errors.add(new FieldError("name", "is required"));
        } else if (!ENTRY_NAME.matcher(name).matches()) {
            errors.add(new FieldError("name", "'" + name + "' is not a valid entry name: 1 to 63 characters, "
                    + "lower-case letters, digits and '-', starting and ending with a letter or digit"));
        }
    }

    private static void checkLength(String text, String field, int max, List<FieldError> errors) {
        if (text != null && text.length() > max) {
            errors.add(new FieldError(field, "is " + text.length() + " characters long; the limit is " + max));
        }
    }

    private void checkTenants(List<String> tenants, List<FieldError> errors) {
        if (tenants.size() > limits.maxTenants()) {
            errors.add(new FieldError("tenants", "names " + tenants.size() + " tenants; the limit is "
                    + limits.maxTenants() + " (an empty list allows every tenant)"));
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < tenants.size(); i++) {
            String tenant = tenants.get(i);
            String at = JsonPaths.index("tenants", i);
            if (tenant == null || tenant.isBlank()) {
                errors.add(new FieldError(at, "must be a tenant id, not blank"));
            } else if (!tenant.strip().equals(tenant) || tenant.length() > MAX_TENANT_CHARS) {
                errors.add(new FieldError(at, "must be at most " + MAX_TENANT_CHARS
                        + " characters without leading or trailing spaces"));
            } else if (!seen.add(tenant)) {
                errors.add(new FieldError(at, "tenant '" + tenant + "' is listed twice"));
            }
        }
    }

    private void checkFunctions(List<ToolDefinition.Function> functions, List<FieldError> errors) {
        if (functions.isEmpty()) {
            errors.add(new FieldError("functions", "must declare at least one function"));
            return;
        }
        if (functions.size() > limits.maxFunctionsPerEntry()) {
            errors.add(new FieldError("functions", "declares " + functions.size() + " functions; the limit is "
                    + limits.maxFunctionsPerEntry() + " per entry (split them into several entries)"));
        }
        Map<String, Integer> firstIndex = new HashMap<>();
        for (int i = 0; i < functions.size(); i++) {
            String at = JsonPaths.index("functions", i);
            ToolDefinition.Function function = functions.get(i);
            if (function == null) {
                errors.add(new FieldError(at, "must be a function declaration, not null"));
                continue;
            }
            String name = function.name();
            if (name == null || name.isEmpty()) {
                errors.add(new FieldError(at + ".name", "is required"));
            } else if (!FUNCTION_NAME.matcher(name).matches()) {
                errors.add(new FieldError(at + ".name", "'" + name + "' is not a function name the Live API accepts: "
                        + "1 to 64 characters, letters, digits, '_', '.', '-', starting with a letter or '_'"));
            } else {
                Integer previous = firstIndex.putIfAbsent(name, i);
                if (previous != null) {
                    errors.add(new FieldError(at + ".name", "function '" + name + "' is already declared at functions["
                            + previous + "]"));
                }
            }
            checkFunctionBody(function, at, errors);
        }
    }

    /** The rules of one declaration beyond its name: description length and schemas. */
    void checkFunctionBody(ToolDefinition.Function function, String at, List<FieldError> errors) {
        checkLength(function.description(), at + ".description", limits.maxFunctionDescriptionChars(), errors);
        if (function.parameters() != null) {
            schemas.validate(function.parameters(), at + ".parameters", true, errors);
        }
        if (function.response() != null) {
            schemas.validate(function.response(), at + ".response", false, errors);
        }
        if (function.parametersJsonSchema() != null) {
            if (function.parameters() != null) {
                errors.add(new FieldError(at + ".parametersJsonSchema", "both parameters and parametersJsonSchema"
                        + " are set; set one (parametersJsonSchema is full JSON Schema, parameters the OpenAPI subset)"));
            }
            jsonSchemas.validate(function.parametersJsonSchema(), at + ".parametersJsonSchema", true, errors);
        }
        if (function.responseJsonSchema() != null) {
            if (function.response() != null) {
                errors.add(new FieldError(at + ".responseJsonSchema", "both response and responseJsonSchema"
                        + " are set; set one (responseJsonSchema is full JSON Schema, response the OpenAPI subset)"));
            }
            jsonSchemas.validate(function.responseJsonSchema(), at + ".responseJsonSchema", false, errors);
        }
    }

    private static void checkNoOptions(ObjectNode options, String field, List<FieldError> errors) {
        if (options != null && !options.isEmpty()) {
            options.fieldNames().forEachRemaining(option -> errors.add(new FieldError(JsonPaths.field(field, option),
                    "unknown option; " + field + " takes none: write " + field + ": {}")));
        }
    }

    private static void checkRag(ToolDefinition.RagRetrieval rag, List<FieldError> errors) {
        List<ToolDefinition.RagResource> resources = rag.ragResources();
        if (resources == null || resources.isEmpty()) {
            errors.add(new FieldError("ragRetrieval.ragResources",
                    "must name one RAG corpus: [{ragCorpus: projects/{project}/locations/{location}/ragCorpora/{id}}]"));
        } else if (resources.size() > 1) {
            errors.add(new FieldError("ragRetrieval.ragResources", "names " + resources.size() + " corpora; "
                    + "Vertex AI RAG Engine retrieval takes one corpus per tool (use one entry per corpus)"));
        }
        for (int i = 0; resources != null && i < resources.size(); i++) {
            String at = JsonPaths.index("ragRetrieval.ragResources", i);
            ToolDefinition.RagResource resource = resources.get(i);
            if (resource == null) {
                errors.add(new FieldError(at, "must be a RAG resource, not null"));
                continue;
            }
            if (resource.ragCorpus() == null || resource.ragCorpus().isEmpty()) {
                errors.add(new FieldError(at + ".ragCorpus", "is required"));
            } else if (!RAG_CORPUS.matcher(resource.ragCorpus()).matches()) {
                errors.add(new FieldError(at + ".ragCorpus", "'" + resource.ragCorpus() + "' is not a RAG corpus "
                        + "resource name: projects/{project}/locations/{location}/ragCorpora/{numeric id}"));
            }
            Set<String> seen = new HashSet<>();
            for (int j = 0; j < resource.ragFileIds().size(); j++) {
                String fileId = resource.ragFileIds().get(j);
                String fileAt = JsonPaths.index(at + ".ragFileIds", j);
                if (fileId == null || !RAG_FILE_ID.matcher(fileId).matches()) {
                    errors.add(new FieldError(fileAt, "'" + fileId + "' is not a RAG file id (the number at the end "
                            + "of the file's resource name …/ragFiles/{id})"));
                } else if (!seen.add(fileId)) {
                    errors.add(new FieldError(fileAt, "file id '" + fileId + "' is listed twice"));
                }
            }
        }
        Integer topK = rag.similarityTopK();
        if (topK != null && (topK < MIN_TOP_K || topK > MAX_TOP_K)) {
            errors.add(new FieldError("ragRetrieval.similarityTopK",
                    "must be between " + MIN_TOP_K + " and " + MAX_TOP_K + ", got " + topK));
        }
        Double threshold = rag.vectorDistanceThreshold();
        if (threshold != null && !(threshold >= MIN_DISTANCE_THRESHOLD && threshold <= MAX_DISTANCE_THRESHOLD)) {
            errors.add(new FieldError("ragRetrieval.vectorDistanceThreshold", "must be between "
                    + MIN_DISTANCE_THRESHOLD + " and " + MAX_DISTANCE_THRESHOLD + " (cosine distance), got " + threshold));
        }
    }

    private static String describe(List<ToolKind> kinds) {
        List<String> names = new ArrayList<>();
        for (ToolKind kind : kinds) {
            names.add(switch (kind) {
                case FUNCTIONS -> "functions";
                case CODE_EXECUTION -> "codeExecution";
                case GOOGLE_SEARCH -> "googleSearch";
                case RAG_RETRIEVAL -> "ragRetrieval";
                case HTTP -> "http";
                case MCP -> "mcp";
                default -> HostedTool.valueOf(kind.name()).field();
            });
        }
        return String.join(", ", names);
    }
}
