package dev.livegateway.toolrun;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livegateway.tools.McpTool;
import dev.livegateway.tools.McpToolCatalog;
import dev.livegateway.tools.ToolEntry;
import dev.livegateway.tools.ToolUnavailableException;
import dev.livegateway.tools.ToolValidator;
import dev.livegateway.wire.Tool;
import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jboss.logging.Logger;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * The MCP servers of the registry's {@code mcp} entries, one client each (the MCP Java SDK's async
 * client on its streamable HTTP transport, whose requests run on the JDK HTTP client, never on an
 * event loop): initialised on first use, its tool list kept and replaced when the server sends
 * {@code notifications/tools/list_changed}. Lists tools as function declarations (the entry's
 * allow-list applied) and calls them. Header secrets are resolved per request.
 */
final class McpServers implements McpToolCatalog {

    private static final Logger LOG = Logger.getLogger(McpServers.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Vertx vertx;
    private final ToolSecrets secrets;
    private final Duration listTimeout;
    /** Entry name → its server at the entry's version. */
    private final ConcurrentMap<String, Server> servers = new ConcurrentHashMap<>();

    McpServers(Vertx vertx, ToolSecrets secrets, Duration listTimeout) {
        this.vertx = vertx;
        this.secrets = secrets;
        this.listTimeout = listTimeout;
    }

    /** One server's client and tool list. */
    private final class Server {
        final long version;
        final McpAsyncClient client;
        final Mono<McpSchema.InitializeResult> initialized;
        volatile List<McpSchema.Tool> tools;

        Server(ToolEntry entry) {
            McpTool mcp = entry.definition().mcp();
            URI uri = URI.create(mcp.url());
            String base = uri.getScheme() + "://" + uri.getRawAuthority();
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            if (uri.getRawQuery() != null) {
                path = path + "?" + uri.getRawQuery();
            }
            Map<String, String> headers = mcp.headers();
            HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(base)
                    .endpoint(path)
                    .connectTimeout(Duration.ofSeconds(5))
                    .maxResponseSize(mcp.effectivePolicy().maxResponseBytes())
                    .asyncHttpRequestCustomizer((builder, method, target, body, context) -> headers.isEmpty()
                            ? Mono.just(builder)
                            : Mono.fromCompletionStage(secrets.resolve(headers).subscribeAsCompletionStage())
                                    .map(resolved -> {
                                        resolved.forEach(builder::setHeader);
                                        return builder;
                                    }))
                    .build();
            this.version = entry.version();
            this.client = McpClient.async(transport)
                    .clientInfo(new McpSchema.Implementation("live-gateway", "1"))
                    .requestTimeout(Duration.ofMinutes(10)) // each call is timed by its entry's policy
                    .initializationTimeout(listTimeout)
                    .toolsChangeConsumer(list -> {
                        LOG.infof("MCP server of tool '%s' changed its tool list: %d tools", entry.name(), list.size());
                        tools = List.copyOf(list);
                        return Mono.empty();
                    })
                    .build();
            this.initialized = client.initialize().cache();
        }

        Mono<List<McpSchema.Tool>> tools() {
            List<McpSchema.Tool> known = tools;
            if (known != null) {
                return Mono.just(known);
            }
            return initialized.then(listAll(null, new ArrayList<>())).doOnNext(list -> tools = list);
        }

        private Mono<List<McpSchema.Tool>> listAll(String cursor, List<McpSchema.Tool> into) {
            return client.listTools(cursor).flatMap(page -> {
                into.addAll(page.tools());
                return page.nextCursor() == null || page.nextCursor().isEmpty() || into.size() > 1000
                        ? Mono.just(List.copyOf(into)) : listAll(page.nextCursor(), into);
            });
        }
    }

    private Server server(ToolEntry entry) {
        return servers.compute(entry.name(), (name, current) -> {
            if (current != null && current.version == entry.version()) {
                return current;
            }
            if (current != null) {
                current.client.closeGracefully().subscribe(v -> { }, e -> { });
            }
            return new Server(entry);
        });
    }

    /** Drops a server whose client failed, closing it; the next use makes a new one. */
    private void forget(ToolEntry entry, Server server) {
        if (servers.remove(entry.name(), server)) {
            server.client.closeGracefully().subscribe(v -> { }, e -> { });
        }
    }

    @Override
    public Uni<List<Tool.FunctionDeclaration>> functions(ToolEntry entry) {
        McpTool mcp = entry.definition().mcp();
        Server server = server(entry);
        return Uni.createFrom().completionStage(() -> server.tools().timeout(listTimeout).toFuture())
                .onFailure().invoke(e -> forget(entry, server))
                .onFailure().transform(e -> new ToolUnavailableException("the MCP server of tool '" + entry.name()
                        + "' (" + host(mcp.url()) + ") did not list its tools: " + describe(e)))
                .map(list -> declarations(entry, list));
    }

    private static List<Tool.FunctionDeclaration> declarations(ToolEntry entry, List<McpSchema.Tool> tools) {
        McpTool mcp = entry.definition().mcp();
        List<Tool.FunctionDeclaration> out = new ArrayList<>();
        for (McpSchema.Tool tool : tools) {
            if (!mcp.allows(tool.name())) {
                continue;
            }
            if (!ToolValidator.FUNCTION_NAME.matcher(tool.name()).matches()) {
                LOG.warnf("tool '%s': the MCP tool '%s' is left out: not a function name the Live API accepts",
                        entry.name(), tool.name());
                continue;
            }
            ObjectNode schema = tool.inputSchema() == null ? JsonNodeFactory.instance.objectNode().put("type", "object")
                    : JSON.valueToTree(tool.inputSchema());
            schema.remove("$schema");
            String description = tool.description() == null ? tool.title() : tool.description();
            out.add(new Tool.FunctionDeclaration(tool.name(), description, null, schema, null,
                    mcp.behavior() == null ? null : mcp.behavior().name(), null));
        }
        return out;
    }

    /** One attempt of calling {@code tool} on {@code entry}'s server. */
    Uni<JsonNode> attempt(ToolEntry entry, String tool, JsonNode args, Duration timeout, CallHandle handle) {
        Server server = server(entry);
        String host = host(entry.definition().mcp().url());
        @SuppressWarnings("unchecked")
        Map<String, Object> arguments = args == null || !args.isObject() ? Map.of() : JSON.convertValue(args, Map.class);
        return Uni.createFrom().emitter(emitter -> {
            java.util.concurrent.atomic.AtomicBoolean settled = new java.util.concurrent.atomic.AtomicBoolean();
            Disposable[] running = new Disposable[1];
            java.util.function.Consumer<Object> settle = outcome -> {
                if (settled.compareAndSet(false, true)) {
                    handle.attemptEnded();
                    Disposable d = running[0];
                    if (outcome instanceof Throwable t) {
                        if (d != null) {
                            d.dispose();
                        }
                        emitter.fail(t);
                    } else {
                        emitter.complete((JsonNode) outcome);
                    }
                }
            };
            if (!handle.attempt(() -> settle.accept(new CallFailure(handle.aborted(), false, "aborted")))) {
                settle.accept(new CallFailure(handle.aborted(), false, "aborted"));
                return;
            }
            long timer = vertx.setTimer(Math.max(1, timeout.toMillis()), id -> settle.accept(new CallFailure(
                    CallOutcome.TIMEOUT, true, "no answer from the MCP server " + host + " within " + timeout.toMillis() + " ms")));
            running[0] = server.initialized.then(server.client.callTool(new McpSchema.CallToolRequest(tool, arguments)))
                    .subscribe(result -> {
                        vertx.cancelTimer(timer);
                        try {
                            settle.accept(result(result, host));
                        } catch (CallFailure failure) {
                            settle.accept(failure);
                        }
                    }, failure -> {
                        vertx.cancelTimer(timer);
                        CallFailure translated = translate(failure, host);
                        if (translated.outcome() == CallOutcome.UNAVAILABLE) {
                            forget(entry, server); // the next attempt connects afresh (initialisation is cached)
                        }
                        settle.accept(translated);
                    });
        });
    }

    private static JsonNode result(McpSchema.CallToolResult result, String host) {
        JsonNode value;
        if (result.structuredContent() != null) {
            value = JSON.valueToTree(result.structuredContent());
        } else {
            StringBuilder text = new StringBuilder();
            List<JsonNode> other = new ArrayList<>();
            for (McpSchema.Content content : result.content() == null ? List.<McpSchema.Content>of() : result.content()) {
                if (content instanceof McpSchema.TextContent t) {
                    text.append(text.length() > 0 ? "\n" : "").append(t.text());
                } else {
                    other.add(JsonNodeFactory.instance.textNode("[" + content.type() + " content left out]"));
                }
            }
            value = parseOrText(text.toString());
            if (!other.isEmpty() && text.length() == 0) {
                value = JsonNodeFactory.instance.arrayNode().addAll(other);
            }
        }
        if (Boolean.TRUE.equals(result.isError())) {
            throw new CallFailure(CallOutcome.ERROR_RESPONSE, false, "the MCP tool on " + host + " reported an error", value);
        }
        return value;
    }

    private static JsonNode parseOrText(String text) {
        try {
            JsonNode parsed = JSON.readTree(text);
            return parsed == null || parsed.isMissingNode() ? JsonNodeFactory.instance.textNode(text) : parsed;
        } catch (java.io.IOException notJson) {
            return JsonNodeFactory.instance.textNode(text);
        }
    }

    private static CallFailure translate(Throwable failure, String host) {
        if (failure instanceof CallFailure f) {
            return f;
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getClass().getSimpleName().equals("MaxSizeExceededException")) {
                return new CallFailure(CallOutcome.RESPONSE_TOO_LARGE, false, "the answer of the MCP server " + host
                        + " is larger than the entry's policy.maxResponseBytes");
            }
            if (t instanceof McpError error) {
                return new CallFailure(CallOutcome.ERROR_RESPONSE, false, "the MCP server " + host + " refused the call: "
                        + error.getMessage());
            }
        }
        return new CallFailure(CallOutcome.UNAVAILABLE, true, "the MCP server " + host + " could not be called: "
                + describe(failure));
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName();
    }

    static String host(String url) {
        return HttpToolInvoker.host(url);
    }

    void close() {
        servers.values().forEach(s -> s.client.close());
        servers.clear();
    }
}
