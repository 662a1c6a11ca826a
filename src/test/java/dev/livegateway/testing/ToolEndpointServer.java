package dev.livegateway.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server (the JDK's) behind the gateway's {@code http} tools in tests: an order
 * lookup, a slow endpoint, a flaky one (503 before it answers), one always failing, an oversize
 * answer. Records every request (path, query, Authorization header, body) and counts requests per
 * path; {@code /slow} also counts the requests whose client went away before the answer.
 */
public final class ToolEndpointServer implements AutoCloseable {

    /** One request as the endpoint saw it. */
    public record Seen(String method, String path, String query, String authorization, String body) {}

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final AtomicInteger flakyFailuresLeft = new AtomicInteger();
    private final AtomicInteger abandoned = new AtomicInteger();
    private volatile long slowMillis = 2_000;

    public ToolEndpointServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public List<Seen> seen() {
        return List.copyOf(seen);
    }

    public int count(String path) {
        return counts.getOrDefault(path, new AtomicInteger()).get();
    }

    /** The next {@code n} requests to {@code /flaky} get 503. */
    public void failFlaky(int n) {
        flakyFailuresLeft.set(n);
    }

    public void slowMillis(long millis) {
        slowMillis = millis;
    }

    /** Requests to {@code /slow} whose client had gone when the answer was written. */
    public int abandoned() {
        return abandoned.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        seen.add(new Seen(exchange.getRequestMethod(), path, exchange.getRequestURI().getRawQuery(),
                exchange.getRequestHeaders().getFirst("Authorization"), body));
        String first = "/" + (path.length() > 1 ? path.substring(1).split("/")[0] : "");
        counts.computeIfAbsent(first, k -> new AtomicInteger()).incrementAndGet();
        switch (first) {
            case "/orders" -> answer(exchange, 200, "{\"order\":\"" + path.substring("/orders/".length())
                    + "\",\"status\":\"shipped\"}");
            case "/slow" -> {
                try {
                    Thread.sleep(slowMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                try {
                    answer(exchange, 200, "{\"late\":true}");
                } catch (IOException gone) {
                    abandoned.incrementAndGet();
                }
            }
            case "/flaky" -> {
                if (flakyFailuresLeft.getAndDecrement() > 0) {
                    answer(exchange, 503, "{\"error\":\"try again\"}");
                } else {
                    answer(exchange, 200, "{\"weather\":\"sunny\"}");
                }
            }
            case "/down" -> answer(exchange, 500, "{\"error\":\"broken\"}");
            case "/missing" -> answer(exchange, 404, "{\"error\":\"no such thing\"}");
            case "/big" -> answer(exchange, 200, "\"" + "x".repeat(64 * 1024) + "\"");
            default -> answer(exchange, 404, "{}");
        }
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
