package dev.livegateway.tools;

import dev.livegateway.wire.Tool;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a session's tool references into the Live API {@code setup.tools}: looks each entry up
 * (current or pinned version), checks the tenant may use it, and assembles the wire tools. Who may
 * use a tool is always decided by the entry's current version: pinning an old version chooses
 * the content, and never brings back a tenant the current version no longer names (nor a deleted
 * tool).
 * Failures are typed for the gRPC layer: {@link ToolNotFoundException} (NOT_FOUND), {@link
 * ToolNotPermittedException} (PERMISSION_DENIED), {@link ToolConflictException}
 * (INVALID_ARGUMENT).
 */
public class ToolResolver {

    private final ToolStore store;
    private final int historySize;
    private final McpToolCatalog mcp;

    /**
     * @param historySize versions the store keeps per name, to explain why an old version is gone
     */
    public ToolResolver(ToolStore store, int historySize) {
        this(store, historySize, McpToolCatalog.NONE);
    }

    /** A resolver that lists MCP entries' tools through {@code mcp}. */
    public ToolResolver(ToolStore store, int historySize, McpToolCatalog mcp) {
        this.store = store;
        this.historySize = historySize;
        this.mcp = mcp;
    }

    /**
     * Resolves {@code refs} for {@code tenant}. The result is a snapshot the session keeps for its
     * whole life, whatever happens to the entries afterwards.
     */
    public Uni<ResolvedTools> resolve(String tenant, List<ToolRef> refs) {
        if (refs.isEmpty()) {
            return Uni.createFrom().item(ResolvedTools.NONE);
        }
        Map<String, Integer> positions = new HashMap<>();
        for (int i = 0; i < refs.size(); i++) {
            Integer previous = positions.putIfAbsent(refs.get(i).name(), i);
            if (previous != null) {
                return Uni.createFrom().failure(new ToolConflictException("tool '" + refs.get(i).name()
                        + "' is named twice in the session's tools (positions " + previous + " and " + i
                        + "); name each tool once"));
            }
        }
        return Multi.createFrom().iterable(refs)
                .onItem().transformToUniAndConcatenate(ref -> lookUp(tenant, ref))
                .collect().asList()
                .chain(this::withMcpFunctions);
    }

    /** Lists the tools of the session's MCP entries (in parallel), then assembles. */
    private Uni<ResolvedTools> withMcpFunctions(List<ToolEntry> entries) {
        List<Uni<Map.Entry<String, List<Tool.FunctionDeclaration>>>> listings = new ArrayList<>();
        for (ToolEntry entry : entries) {
            if (entry.kind() == ToolKind.MCP) {
                listings.add(mcp.functions(entry).map(functions -> Map.entry(entry.name(), functions)));
            }
        }
        if (listings.isEmpty()) {
            return Uni.createFrom().item(assemble(entries, Map.of()));
        }
        return Uni.join().all(listings).andFailFast().map(listed -> {
            Map<String, List<Tool.FunctionDeclaration>> byEntry = new HashMap<>();
            listed.forEach(e -> byEntry.put(e.getKey(), e.getValue()));
            return assemble(entries, byEntry);
        });
    }

    private Uni<ToolEntry> lookUp(String tenant, ToolRef ref) {
        if (ref.name() == null || !ToolValidator.ENTRY_NAME.matcher(ref.name()).matches()) {
            return Uni.createFrom().failure(new ToolNotFoundException(ref.name(), ref.version(),
                    "'" + ref.name() + "' is not a tool name (lower-case letters, digits and '-')"));
        }
        if (ref.version() < 0) {
            return Uni.createFrom().failure(new ToolNotFoundException(ref.name(), ref.version(),
                    "tool '" + ref.name() + "' has no version " + ref.version()
                            + "; use 0 for the current version or a positive version"));
        }
        if (ref.version() == 0) {
            return store.get(ref.name())
                    .chain(entry -> entry.isPresent() ? Uni.createFrom().item(entry.get()) : notFound(ref))
                    .invoke(current -> checkAllowed(current, tenant));
        }
        // A pinned version fixes the content, never who may use it: access is decided by the
        // current entry, read after the pinned one so that a tool deleted or narrowed meanwhile
        // is refused, whatever the old version's tenants said.
        return store.get(ref.name(), ref.version())
                .chain(pinned -> pinned.isEmpty()
                        ? notFound(ref)
                        : store.get(ref.name()).map(current -> {
                            if (current.isEmpty()) {
                                throw new ToolNotFoundException(ref.name(), ref.version(), "tool '" + ref.name()
                                        + "' (version " + ref.version() + ") is not in the tool registry");
                            }
                            checkAllowed(current.get(), tenant);
                            return pinned.get();
                        }));
    }

    private static void checkAllowed(ToolEntry current, String tenant) {
        if (!current.definition().allows(tenant)) {
            throw new ToolNotPermittedException(current.name(), tenant);
        }
    }

    private Uni<ToolEntry> notFound(ToolRef ref) {
        if (ref.version() == 0) {
            return Uni.createFrom().failure(ToolNotFoundException.unknown(ref.name()));
        }
        return store.get(ref.name()).chain(current -> Uni.createFrom().<ToolEntry>failure(current.isEmpty()
                ? new ToolNotFoundException(ref.name(), ref.version(), "tool '" + ref.name()
                        + "' (version " + ref.version() + ") is not in the tool registry")
                : new ToolNotFoundException(ref.name(), ref.version(), "tool '" + ref.name() + "' has no version "
                        + ref.version() + ": the current version is " + current.get().version()
                        + " and the registry keeps the last " + historySize + " versions")));
    }

    private static ResolvedTools assemble(List<ToolEntry> entries, Map<String, List<Tool.FunctionDeclaration>> mcpFunctions) {
        Map<String, GatewayFunction> gatewayFunctions = new HashMap<>();
        Map<String, String> functionOwners = new HashMap<>();
        List<Tool.FunctionDeclaration> declarations = new ArrayList<>();
        boolean codeExecution = false;
        // Identical Google Search entries become one tool; entries with other options, one each.
        java.util.Set<com.fasterxml.jackson.databind.JsonNode> googleSearches = new java.util.LinkedHashSet<>();
        Map<String, Tool> retrievals = new LinkedHashMap<>();
        List<ResolvedToolVersion> versions = new ArrayList<>(entries.size());
        for (ToolEntry entry : entries) {
            versions.add(new ResolvedToolVersion(entry.name(), entry.version(), entry.kind()));
            ToolDefinition definition = entry.definition();
            switch (definition.kind()) {
                case FUNCTIONS -> {
                    for (ToolDefinition.Function function : definition.functions()) {
                        String owner = functionOwners.putIfAbsent(function.name(), entry.name());
                        if (owner != null) {
                            throw new ToolConflictException("tools '" + owner + "' and '" + entry.name()
                                    + "' both declare function '" + function.name()
                                    + "'; a session can combine them only when function names differ");
                        }
                        declarations.add(toWire(function));
                    }
                }
                case HTTP -> {
                    declare(functionOwners, entry, definition.http().function().name());
                    declarations.add(toWire(definition.http().function()));
                    gatewayFunctions.put(definition.http().function().name(),
                            new GatewayFunction(definition.http().function().name(), entry));
                }
                case MCP -> {
                    for (Tool.FunctionDeclaration f : mcpFunctions.getOrDefault(entry.name(), List.of())) {
                        declare(functionOwners, entry, f.name());
                        declarations.add(f);
                        gatewayFunctions.put(f.name(), new GatewayFunction(f.name(), entry));
                    }
                }
                case CODE_EXECUTION -> codeExecution = true;
                case GOOGLE_SEARCH -> googleSearches.add(definition.googleSearch());
                case RAG_RETRIEVAL -> retrievals.put(entry.name(), toWire(definition.ragRetrieval()));
                default -> {
                    HostedTool hosted = HostedTool.valueOf(definition.kind().name());
                    retrievals.put(entry.name(), hostedTool(hosted, definition.hosted(hosted)));
                }
            }
        }
        List<Tool> tools = new ArrayList<>();
        if (!declarations.isEmpty()) {
            tools.add(Tool.functionsTool(List.copyOf(declarations)));
        }
        if (codeExecution) {
            tools.add(Tool.codeExecutionTool());
        }
        for (com.fasterxml.jackson.databind.JsonNode options : googleSearches) {
            tools.add(Tool.googleSearchTool(options.deepCopy()));
        }
        tools.addAll(retrievals.values());
        return new ResolvedTools(tools, versions, gatewayFunctions);
    }

    private static void declare(Map<String, String> functionOwners, ToolEntry entry, String function) {
        String owner = functionOwners.putIfAbsent(function, entry.name());
        if (owner != null) {
            throw new ToolConflictException("tools '" + owner + "' and '" + entry.name() + "' both declare function '"
                    + function + "'; a session can combine them only when function names differ");
        }
    }

    /** A registry function as the Live API declares it. */
    public static Tool.FunctionDeclaration toWire(ToolDefinition.Function function) {
        return new Tool.FunctionDeclaration(
                function.name(),
                function.description(),
                function.parameters() == null ? null : function.parameters().deepCopy(),
                function.parametersJsonSchema() == null ? null : function.parametersJsonSchema().deepCopy(),
                function.response() == null ? null : function.response().deepCopy(),
                function.behavior() == null ? null : function.behavior().name(),
                function.responseJsonSchema() == null ? null : function.responseJsonSchema().deepCopy());
    }

    /** A hosted tool's wire form: its JSON passed on as the Live API names it. */
    static Tool hostedTool(HostedTool kind, com.fasterxml.jackson.databind.JsonNode value) {
        com.fasterxml.jackson.databind.JsonNode v = value.deepCopy();
        return switch (kind) {
            case URL_CONTEXT -> Tool.urlContextTool();
            case GOOGLE_MAPS -> Tool.googleMapsTool(v);
            case ENTERPRISE_WEB_SEARCH -> Tool.enterpriseWebSearchTool(v);
            case FILE_SEARCH -> Tool.fileSearchTool(v);
            case COMPUTER_USE -> Tool.computerUseTool(v);
            case MCP_SERVERS -> {
                List<com.fasterxml.jackson.databind.JsonNode> servers = new ArrayList<>();
                v.forEach(servers::add);
                yield Tool.mcpServersTool(servers);
            }
            case GOOGLE_SEARCH_RETRIEVAL -> Tool.googleSearchRetrievalTool(v);
            case PARALLEL_AI_SEARCH -> Tool.parallelAiSearchTool(v);
            case EXA_AI_SEARCH -> Tool.exaAiSearchTool(v);
            case VERTEX_AI_SEARCH -> Tool.retrievalTool(new Tool.Retrieval(null, v, null, null));
            case EXTERNAL_API -> Tool.retrievalTool(new Tool.Retrieval(null, null, v, null));
        };
    }

    private static Tool toWire(ToolDefinition.RagRetrieval rag) {
        List<Tool.RagResource> resources = rag.ragResources().stream()
                .map(resource -> new Tool.RagResource(resource.ragCorpus(),
                        resource.ragFileIds().isEmpty() ? null : List.copyOf(resource.ragFileIds())))
                .toList();
        return Tool.retrievalTool(new Tool.VertexRagStore(
                resources, rag.similarityTopK(), rag.vectorDistanceThreshold(), null));
    }
}
