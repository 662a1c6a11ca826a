package dev.livegateway.testing;

import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.startup.Tomcat;

/**
 * A real MCP server for tests: the MCP Java SDK's server side on its streamable HTTP transport (a
 * servlet), in an embedded Tomcat on a free port, at {@code /mcp}. Its tools: {@code search_articles}
 * (returns JSON text naming the query) and {@code fail_always} (an MCP tool error); more can be
 * added at run time ({@link #addTool}), which tells connected clients their tool list changed.
 * Records the Authorization header of every request.
 */
public final class McpTestServer implements AutoCloseable {

    private final Tomcat tomcat = new Tomcat();
    private final McpSyncServer server;
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final List<String> calls = new CopyOnWriteArrayList<>();

    public McpTestServer() throws LifecycleException {
        HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider.builder()
                .mcpEndpoint("/mcp").build();
        server = McpServer.sync(transport)
                .serverInfo("test-knowledge-base", "1.0")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
                .tools(tool("search_articles", "Search the knowledge base for articles.", (exchange, request) -> {
                    calls.add("search_articles");
                    return McpSchema.CallToolResult.builder().addTextContent("{\"articles\":[\"How to reset "
                            + request.arguments().get("query") + "\"]}").build();
                }), tool("fail_always", "A tool that always fails.", (exchange, request) -> {
                    calls.add("fail_always");
                    return McpSchema.CallToolResult.builder().addTextContent("the index is offline").isError(true).build();
                }))
                .build();
        tomcat.setPort(0);
        tomcat.setBaseDir(System.getProperty("java.io.tmpdir") + "/mcp-test-tomcat-" + System.nanoTime());
        Context context = tomcat.addContext("", null);
        HttpServlet recording = new HttpServlet() {
            @Override
            protected void service(HttpServletRequest req, HttpServletResponse resp) throws ServletException, IOException {
                String auth = req.getHeader("Authorization");
                authorizations.add(auth == null ? "" : auth);
                transport.service(req, resp);
            }
        };
        Tomcat.addServlet(context, "mcp", recording).setAsyncSupported(true);
        context.addServletMappingDecoded("/mcp", "mcp");
        tomcat.getConnector();
        tomcat.start();
    }

    private static McpServerFeatures.SyncToolSpecification tool(String name, String description,
            java.util.function.BiFunction<io.modelcontextprotocol.server.McpSyncServerExchange, McpSchema.CallToolRequest,
                    McpSchema.CallToolResult> handler) {
        return McpServerFeatures.SyncToolSpecification.builder()
                .tool(McpSchema.Tool.builder().name(name).description(description)
                        .inputSchema(Map.of("type", "object", "properties", Map.of("query", Map.of("type", "string")),
                                "required", List.of("query"))).build())
                .callHandler(handler).build();
    }

    /** Adds a tool; the SDK tells the connected clients that the tool list changed. */
    public void addTool(String name, String description) {
        server.addTool(tool(name, description, (exchange, request) -> {
            calls.add(name);
            return McpSchema.CallToolResult.builder().addTextContent("{\"done\":true}").build();
        }));
        server.notifyToolsListChanged();
    }

    public String url() {
        return "http://127.0.0.1:" + tomcat.getConnector().getLocalPort() + "/mcp";
    }

    public List<String> authorizations() {
        return List.copyOf(authorizations);
    }

    public List<String> calls() {
        return List.copyOf(calls);
    }

    @Override
    public void close() throws LifecycleException {
        server.close();
        tomcat.stop();
        tomcat.destroy();
    }
}
