package dev.livegateway.toolrun;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.livegateway.tools.HttpTool;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One attempt of an {@link HttpTool} call on the Vert.x HTTP client (never blocking): the request
 * built by {@link HttpRequestTemplate}, headers with their secrets resolved, the attempt's timeout
 * (the request is reset when it passes), the response read up to {@code maxResponseBytes} (the
 * request is reset beyond it), the status judged against {@code errorStatuses}. A JSON body is the
 * result; any other body is its text.
 */
final class HttpToolInvoker {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> DEFAULT_ERROR_STATUSES = List.of("4xx", "5xx");

    private final Vertx vertx;
    private final HttpClient client;

    HttpToolInvoker(Vertx vertx) {
        this.vertx = vertx;
        this.client = vertx.createHttpClient(new HttpClientOptions().setMaxPoolSize(64).setKeepAlive(true)
                .setConnectTimeout(5_000));
    }

    Uni<JsonNode> attempt(HttpTool http, Map<String, String> headers, JsonNode args, Duration timeout, int maxBytes,
            CallHandle handle) {
        HttpRequestTemplate.Request request;
        try {
            request = HttpRequestTemplate.build(http, args);
        } catch (CallFailure misconfigured) {
            return Uni.createFrom().failure(misconfigured);
        }
        String host = host(request.url());
        return Uni.createFrom().emitter(emitter -> send(http, headers, request, host, timeout, maxBytes, handle, emitter));
    }

    private void send(HttpTool http, Map<String, String> headers, HttpRequestTemplate.Request request, String host,
            Duration timeout, int maxBytes, CallHandle handle, UniEmitter<? super JsonNode> emitter) {
        AtomicBoolean settled = new AtomicBoolean();
        HttpClientRequest[] sent = new HttpClientRequest[1];
        Runnable abort = () -> {
            HttpClientRequest r = sent[0];
            if (r != null) {
                r.reset();
            }
        };
        java.util.function.Consumer<Object> settle = outcome -> {
            if (settled.compareAndSet(false, true)) {
                handle.attemptEnded();
                if (outcome instanceof Throwable t) {
                    emitter.fail(t);
                } else {
                    emitter.complete((JsonNode) outcome);
                }
            }
        };
        // Settled before the request is reset: the reset's own failure must not be what is reported.
        if (!handle.attempt(() -> {
            settle.accept(new CallFailure(handle.aborted(), false, "aborted"));
            abort.run();
        })) {
            settle.accept(new CallFailure(handle.aborted(), false, "aborted"));
            return;
        }
        long timer = vertx.setTimer(Math.max(1, timeout.toMillis()), id -> {
            settle.accept(new CallFailure(CallOutcome.TIMEOUT, true, "no answer from " + host + " within "
                    + timeout.toMillis() + " ms"));
            abort.run();
        });
        RequestOptions options = new RequestOptions().setAbsoluteURI(request.url())
                .setMethod(HttpMethod.valueOf(http.methodOrDefault()));
        client.request(options).onComplete(opened -> {
            if (opened.failed()) {
                vertx.cancelTimer(timer);
                settle.accept(new CallFailure(CallOutcome.UNAVAILABLE, true, "could not connect to " + host + ": "
                        + opened.cause().getClass().getSimpleName()));
                return;
            }
            HttpClientRequest req = opened.result();
            sent[0] = req;
            if (settled.get()) {
                req.reset();
                return;
            }
            headers.forEach(req::putHeader);
            req.exceptionHandler(e -> {
                vertx.cancelTimer(timer);
                settle.accept(new CallFailure(CallOutcome.UNAVAILABLE, true, "the request to " + host + " failed: "
                        + e.getClass().getSimpleName()));
            });
            Buffer body = null;
            if (request.body() != null) {
                req.putHeader("content-type", "application/json");
                body = Buffer.buffer(request.body().toString());
            }
            (body == null ? req.send() : req.send(body)).onComplete(answered -> {
                if (answered.failed()) {
                    vertx.cancelTimer(timer);
                    settle.accept(new CallFailure(CallOutcome.UNAVAILABLE, true, "the request to " + host + " failed: "
                            + answered.cause().getClass().getSimpleName()));
                    return;
                }
                read(http, answered.result(), req, host, maxBytes, timer, settle);
            });
        });
    }

    private void read(HttpTool http, HttpClientResponse response, HttpClientRequest req, String host, int maxBytes,
            long timer, java.util.function.Consumer<Object> settle) {
        String length = response.getHeader("content-length");
        if (length != null && length.matches("[0-9]{1,18}") && Long.parseLong(length) > maxBytes) {
            vertx.cancelTimer(timer);
            settle.accept(tooLarge(host, maxBytes));
            req.reset();
            return;
        }
        Buffer body = Buffer.buffer();
        response.handler(chunk -> {
            if (body.length() + chunk.length() > maxBytes) {
                vertx.cancelTimer(timer);
                settle.accept(tooLarge(host, maxBytes));
                req.reset();
                return;
            }
            body.appendBuffer(chunk);
        });
        response.exceptionHandler(e -> {
            vertx.cancelTimer(timer);
            settle.accept(new CallFailure(CallOutcome.UNAVAILABLE, true, "reading the answer of " + host + " failed: "
                    + e.getClass().getSimpleName()));
        });
        response.endHandler(v -> {
            vertx.cancelTimer(timer);
            JsonNode parsed = parse(body);
            int status = response.statusCode();
            if (isError(http, status)) {
                settle.accept(new CallFailure(CallOutcome.ERROR_RESPONSE, status == 429 || status >= 500,
                        host + " answered HTTP " + status, parsed));
            } else {
                settle.accept(parsed);
            }
        });
    }

    private static CallFailure tooLarge(String host, int maxBytes) {
        return new CallFailure(CallOutcome.RESPONSE_TOO_LARGE, false, "the answer of " + host + " is larger than "
                + maxBytes + " bytes (the entry's policy.maxResponseBytes)");
    }

    private static JsonNode parse(Buffer body) {
        if (body.length() == 0) {
            return JsonNodeFactory.instance.nullNode();
        }
        String text = body.toString(java.nio.charset.StandardCharsets.UTF_8);
        try {
            return JSON.readTree(text);
        } catch (java.io.IOException notJson) {
            return JsonNodeFactory.instance.textNode(text);
        }
    }

    static boolean isError(HttpTool http, int status) {
        List<String> rules = http.errorStatuses().isEmpty() ? DEFAULT_ERROR_STATUSES : http.errorStatuses();
        for (String rule : rules) {
            String r = rule.trim();
            if (r.endsWith("xx")) {
                if (status / 100 == r.charAt(0) - '0') {
                    return true;
                }
            } else if (r.contains("-")) {
                String[] range = r.split("-");
                if (status >= Integer.parseInt(range[0]) && status <= Integer.parseInt(range[1])) {
                    return true;
                }
            } else if (status == Integer.parseInt(r)) {
                return true;
            }
        }
        return false;
    }

    /** The host (and port) of a URL, what messages and logs name: never its path or query, which carry arguments. */
    static String host(String url) {
        try {
            URI uri = URI.create(url);
            return uri.getPort() > 0 ? uri.getHost() + ":" + uri.getPort() : uri.getHost();
        } catch (IllegalArgumentException e) {
            return "the endpoint";
        }
    }

    void close() {
        client.close();
    }
}
