package dev.livegateway.emulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livegateway.wire.Flavour;
import dev.livegateway.wire.Wire;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.net.PemKeyCertOptions;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Gemini Live API server (BidiGenerateContent over WebSocket) with a deterministic scripted
 * model, session resumption and fault injection. Plain Vert.x: it runs embedded in the gateway
 * ({@link EmbeddedEmulator}), in tests, and stand-alone ({@link EmulatorMain}).
 *
 * <p>One HTTP server serves the Live API paths (WebSocket upgrades) and, unless disabled, the
 * admin endpoints under {@code /emulator/}. A connection lives on one event loop; with
 * {@link EmulatorOptions#eventLoops()} above 1, several servers share the port and Vert.x spreads
 * connections over their event loops (state shared between connections is thread-safe).
 */
public final class LiveApiEmulator {

    // JDK logging (routed to the Quarkus log when embedded): the stand-alone classpath has no jboss-logging.
    private static final System.Logger LOG = System.getLogger(LiveApiEmulator.class.getName());
    private static final int MAX_MESSAGE_BYTES = 32 * 1024 * 1024;

    private final EmulatorOptions options;
    private final EmulatorRecorder recorder;
    private final FaultInjector faults = new FaultInjector();
    private final AtomicLong connectionCounter = new AtomicLong();
    private final Map<String, EmulatedSession.Snapshot> handles = new ConcurrentHashMap<>();
    private final Set<EmulatorConnection> activeSessions = ConcurrentHashMap.newKeySet();
    private final SessionBook sessions = new Sessions();
    private Vertx vertx;
    private final Deque<IssuedHandle> handleExpiry = new ConcurrentLinkedDeque<>();
    private List<HttpServer> servers;
    private volatile int port = -1;

    /** A handle and when it expires, in the order handles were issued. */
    private record IssuedHandle(String handle, long expiresAtMillis) {}

    public LiveApiEmulator(EmulatorOptions options) {
        this.options = options.validate();
        this.recorder = new EmulatorRecorder(this.options);
        for (FaultRule rule : options.faults()) {
            faults.add(rule);
        }
    }

    /**
     * Binds the server.
     *
     * @return the bound port (a random free one when the options say 0)
     */
    public synchronized Future<Integer> start(Vertx vertx) {
        if (servers != null) {
            return Future.failedFuture(new IllegalStateException("the emulator is already started on port " + port));
        }
        this.vertx = vertx;
        HttpServerOptions serverOptions = new HttpServerOptions()
                .setHost(options.host())
                .setPort(options.port())
                .setPerMessageWebSocketCompressionSupported(false)
                .setPerFrameWebSocketCompressionSupported(false)
                .setMaxWebSocketMessageSize(MAX_MESSAGE_BYTES)
                .setMaxWebSocketFrameSize(MAX_MESSAGE_BYTES);
        if (options.tls()) {
            serverOptions.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
                    .setCertPath(options.tlsCertPath()).setKeyPath(options.tlsKeyPath()));
        }
        List<HttpServer> started = new ArrayList<>();
        servers = started;
        // The first server binds; the others join it on the bound port, each from a context of its
        // own, so that Vert.x hands their connections to other event loops. A random port is asked
        // for as port -1, which Vert.x shares among servers (port 0 would give each its own).
        if (options.port() == 0 && options.eventLoops() > 1) {
            serverOptions.setPort(-1);
        }
        Future<Integer> bound = listenOn(vertx, serverOptions, started);
        for (int i = 1; i < options.eventLoops(); i++) {
            bound = bound.compose(actual -> listenOn(vertx, serverOptions.getPort() < 0 ? serverOptions
                    : new HttpServerOptions(serverOptions).setPort(actual), started).map(actual));
        }
        return bound.map(actual -> {
            port = actual;
            LOG.log(System.Logger.Level.INFO, () -> String.format("Live API emulator listening on %s (%d event loop%s)",
                    baseUrl(), options.eventLoops(), options.eventLoops() == 1 ? "" : "s"));
            return actual;
        }).onFailure(e -> {
            started.forEach(HttpServer::close);
            synchronized (this) {
                servers = null;
            }
        });
    }

    private Future<Integer> listenOn(Vertx vertx, HttpServerOptions serverOptions, List<HttpServer> started) {
        Promise<Integer> bound = Promise.promise();
        ((VertxInternal) vertx).createEventLoopContext().runOnContext(v -> {
            HttpServer server = vertx.createHttpServer(serverOptions).requestHandler(this::onRequest);
            synchronized (started) {
                started.add(server);
            }
            server.listen().map(HttpServer::actualPort).onComplete(bound);
        });
        return bound.future();
    }

    /** Closes the servers and every connection. */
    public synchronized Future<Void> stop() {
        List<HttpServer> s = servers;
        servers = null;
        if (s == null) {
            return Future.succeededFuture();
        }
        List<Future<Void>> closed = new ArrayList<>();
        synchronized (s) {
            s.forEach(server -> closed.add(server.close()));
        }
        return Future.all(closed).mapEmpty();
    }

    /** The bound port, or -1 before {@link #start}. */
    public int port() { return port; }

    public boolean tls() { return options.tls(); }

    /** {@code ws://host:port} or {@code wss://host:port}; append a Live API path to connect. */
    public String baseUrl() {
        String host = options.host().equals("0.0.0.0") ? "127.0.0.1" : options.host();
        return (tls() ? "wss://" : "ws://") + host + ":" + port;
    }

    public EmulatorOptions options() { return options; }
    public EmulatorRecorder recorder() { return recorder; }
    /** Fault rules, changeable at run time. */
    public FaultInjector faults() { return faults; }
    /**
     * Applies a fault at once to the current connection of a Live session, whatever rules say:
     * lets a test choose the exact moment of a goAway or a drop.
     *
     * @return false when the session has no open connection
     */
    public boolean injectNow(String liveSessionId, FaultRule rule) {
        List<String> problems = rule.problems();
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid fault rule: " + String.join("; ", problems));
        }
        for (EmulatorConnection connection : activeSessions) {
            if (liveSessionId.equals(connection.liveSessionId())) {
                connection.applyNow(rule);
                return true;
            }
        }
        return false;
    }

    /** WebSocket upgrade requests received so far, refused ones included (tests count connect attempts). */
    public long upgradeRequests() { return connectionCounter.get(); }

    /** Live sessions currently connected (past setup). */
    public int activeSessionCount() { return activeSessions.size(); }

    // ---- request routing -------------------------------------------------------------------

    private void onRequest(HttpServerRequest request) {
        String rawPath = request.uri();
        String path = LivePaths.normalise(rawPath);
        if (options.adminEnabled() && path.startsWith("/emulator/")) {
            Admin.handle(this, request, path);
            return;
        }
        Optional<Flavour> pathFlavour = LivePaths.flavourOf(rawPath, options.pathPrefix());
        if (pathFlavour.isEmpty()) {
            respond(request, 404, "not a Live API path: " + path + " (expected /ws/google.cloud.aiplatform.{v1,v1beta1}"
                    + ".LlmBidiService/BidiGenerateContent or /ws/google.ai.generativelanguage.{v1alpha,v1beta}"
                    + ".GenerativeService.BidiGenerateContent[Constrained])");
            return;
        }
        if (!"websocket".equalsIgnoreCase(request.getHeader(HttpHeaders.UPGRADE))) {
            respond(request, 400, "the Live API is a WebSocket endpoint: send an Upgrade: websocket request");
            return;
        }
        long number = connectionCounter.incrementAndGet();
        FaultRule refusal = faults.refusalFor(number);
        if (refusal != null) {
            int status = refusal.httpStatus() == null ? 503 : refusal.httpStatus();
            respond(request, status, status == 429 ? "Resource has been exhausted (e.g. check quota)."
                    : CloseReasons.UNAVAILABLE);
            return;
        }
        boolean authorised = AuthCheck.authorised(request, options);
        if (!authorised && options.authRejection() != EmulatorOptions.AuthRejection.CLOSE_1008) {
            int status = options.authRejection() == EmulatorOptions.AuthRejection.HTTP_403 ? 403 : 401;
            respond(request, status, status == 401
                    ? "Request is missing required authentication credential. Expected OAuth 2 access token or API key."
                    : "The caller does not have permission");
            return;
        }
        Flavour flavour = options.forcedFlavour() != null ? options.forcedFlavour() : pathFlavour.get();
        RecordedConnection record = new RecordedConnection(number, rawPath, headersOf(request), flavour, recorder);
        request.toWebSocket().onSuccess(ws -> {
            if (options.recording()) {
                recorder.addConnection(record);
            }
            EmulatorConnection connection = new EmulatorConnection(sessions, faults, options, vertx, request, ws, flavour, record);
            if (authorised) {
                connection.start();
            } else {
                connection.closeWith(CloseReasons.POLICY_VIOLATION, "API key not valid. Please pass a valid API key.");
            }
        }).onFailure(e -> LOG.log(System.Logger.Level.DEBUG, () -> String.format("WebSocket upgrade failed: %s", e.getMessage())));
    }

    private static Map<String, List<String>> headersOf(HttpServerRequest request) {
        Map<String, List<String>> headers = new TreeMap<>();
        for (Map.Entry<String, String> h : request.headers()) {
            headers.computeIfAbsent(h.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(h.getValue());
        }
        return headers;
    }

    static void respond(HttpServerRequest request, int status, String message) {
        ObjectNode body = Wire.mapper().createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("code", status);
        error.put("message", message);
        request.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(body.toString());
    }

    // ---- sessions and handles (called on the event loops) ----------------------------------

    /** The session book the connections use: sessions, handles and the concurrency limit. */
    private final class Sessions implements SessionBook {

        @Override
        public EmulatedSession open(Flavour flavour) {
            String id = UUID.randomUUID().toString();
            RecordedSession record = new RecordedSession(id, flavour, recorder);
            if (options.recording()) {
                recorder.addSession(record);
            }
            return new EmulatedSession(id, flavour, record);
        }

        @Override
        public String issueHandle(EmulatedSession session) {
            long now = System.currentTimeMillis();
            // Every handle lives the same time, so the oldest expire first: drop them from the front
            // instead of scanning all handles (a busy session gets one every few messages).
            for (IssuedHandle oldest; (oldest = handleExpiry.peekFirst()) != null && oldest.expiresAtMillis() < now; ) {
                if (handleExpiry.remove(oldest)) {
                    handles.remove(oldest.handle());
                }
            }
            String handle = "emulator-" + UUID.randomUUID();
            long expires = now + options.handleTtl().toMillis();
            handles.put(handle, new EmulatedSession.Snapshot(session, session.record.consumedCount(),
                    session.record.historySize(), session.input.copy(), session.model.copy(), expires));
            handleExpiry.addLast(new IssuedHandle(handle, expires));
            return handle;
        }

        @Override
        public EmulatedSession.Snapshot resume(String handle) {
            EmulatedSession.Snapshot s = handles.get(handle);
            if (s == null || s.expiresAtMillis() < System.currentTimeMillis()) {
                return null;
            }
            return s;
        }

        @Override
        public boolean admit(EmulatorConnection connection) {
            synchronized (activeSessions) {
                if (options.maxConcurrentSessions() > 0 && activeSessions.size() >= options.maxConcurrentSessions()) {
                    return false;
                }
                activeSessions.add(connection);
                return true;
            }
        }

        @Override
        public void release(EmulatorConnection connection) {
            activeSessions.remove(connection);
        }
    }

    /** The admin endpoints: faults and the recorder, as JSON. */
    private static final class Admin {

        static void handle(LiveApiEmulator emulator, HttpServerRequest request, String path) {
            FaultInjector faults = emulator.faults;
            if (path.equals("/emulator/faults") && request.method() == HttpMethod.GET) {
                json(request, 200, Wire.mapper().valueToTree(faults.rules()).toString());
            } else if (path.equals("/emulator/faults") && request.method() == HttpMethod.POST) {
                request.body().onSuccess((Buffer body) -> {
                    try {
                        FaultRule added = faults.addJson(body.toString());
                        json(request, 201, Wire.mapper().valueToTree(added).toString());
                    } catch (IllegalArgumentException e) {
                        respond(request, 400, e.getMessage());
                    }
                });
            } else if (path.equals("/emulator/faults") && request.method() == HttpMethod.DELETE) {
                faults.clear();
                request.response().setStatusCode(204).end();
            } else if (path.startsWith("/emulator/faults/") && request.method() == HttpMethod.DELETE) {
                boolean removed = faults.remove(path.substring("/emulator/faults/".length()));
                if (removed) {
                    request.response().setStatusCode(204).end();
                } else {
                    respond(request, 404, "no fault rule with id " + path.substring("/emulator/faults/".length()));
                }
            } else if (path.equals("/emulator/sessions") && request.method() == HttpMethod.GET) {
                writeSessions(request.response().setStatusCode(200).setChunked(true)
                        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                        .putHeader("Emulator-Recorded-Bytes", Long.toString(emulator.recorder.recordedBytes()))
                        .putHeader("Emulator-Dropped-Messages", Long.toString(emulator.recorder.droppedMessages()))
                        .putHeader("Emulator-Forgotten-Sessions", Long.toString(emulator.recorder.forgottenSessions())),
                        emulator.recorder.sessions().iterator(), true);
            } else {
                respond(request, 404, "admin endpoints: GET|POST|DELETE /emulator/faults, DELETE /emulator/faults/{id}, "
                        + "GET /emulator/sessions");
            }
        }

        /**
         * The recorded sessions as one JSON array, written one session at a time as the connection
         * takes them (never the whole record as one string).
         */
        private static void writeSessions(io.vertx.core.http.HttpServerResponse response,
                java.util.Iterator<RecordedSession> sessions, boolean first) {
            boolean opening = first;
            while (sessions.hasNext()) {
                if (response.writeQueueFull()) {
                    boolean next = opening;
                    response.drainHandler(v -> writeSessions(response, sessions, next));
                    return;
                }
                response.write((opening ? "[" : ",") + sessionJson(sessions.next()));
                opening = false;
            }
            response.end(opening ? "[]" : "]");
        }

        private static ObjectNode sessionJson(RecordedSession s) {
            ObjectNode node = Wire.mapper().createObjectNode();
            node.put("id", s.id());
            node.put("flavour", s.flavour().name());
            ArrayNode connections = node.putArray("connections");
            for (RecordedConnection c : s.connections()) {
                ObjectNode cn = connections.addObject();
                cn.put("number", c.number());
                cn.put("path", c.path());
                cn.put("resumed", c.resumed());
                cn.put("closed", c.closed());
                if (c.closeCode() != null) {
                    cn.put("closeCode", c.closeCode());
                    cn.put("closeReason", c.closeReason());
                }
                cn.set("setup", c.setupJson());
                cn.put("clientMessages", c.clientMessages().size());
                cn.put("clientMessagesDropped", c.clientMessagesDropped());
            }
            node.putArray("consumed").addAll(s.consumedJson());
            node.put("consumedDropped", s.consumedDropped());
            return node;
        }

        private static void json(HttpServerRequest request, int status, String body) {
            request.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body);
        }
    }
}
