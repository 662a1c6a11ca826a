package dev.livegateway.grpc;

import com.sun.net.httpserver.HttpServer;
import dev.livegateway.testing.ChildProcesses;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.net.SelfSignedCertificate;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Everything the Vertex code path needs, without Google: a service-account JSON whose token URI
 * points at a local OAuth token endpoint, and a TLS certificate for the emulator that the gateway
 * is told to trust. The gateway then runs in mode {@code vertex} against the emulator over wss.
 */
public class VertexPathTestResource implements QuarkusTestResourceLifecycleManager {

    static final AtomicInteger TOKENS_ISSUED = new AtomicInteger();
    static final List<String> TOKEN_REQUESTS = new CopyOnWriteArrayList<>();
    private HttpServer tokenServer;

    @Override
    public Map<String, String> start() {
        try {
            tokenServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            tokenServer.createContext("/token", exchange -> {
                TOKEN_REQUESTS.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                byte[] body = ("{\"access_token\":\"token-" + TOKENS_ISSUED.incrementAndGet()
                        + "\",\"expires_in\":3500,\"token_type\":\"Bearer\"}").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("content-type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            tokenServer.start();

            Path dir = Files.createTempDirectory("vertex-path");
            var keys = KeyPairGenerator.getInstance("RSA");
            keys.initialize(2048);
            String privateKey = "-----BEGIN PRIVATE KEY-----\\n"
                    + Base64.getEncoder().encodeToString(keys.generateKeyPair().getPrivate().getEncoded())
                    + "\\n-----END PRIVATE KEY-----\\n";
            Path credentials = dir.resolve("service-account.json");
            Files.writeString(credentials, """
                    {"type": "service_account", "project_id": "test-project", "private_key_id": "k1",
                     "private_key": "%s", "client_email": "gateway@test-project.iam.gserviceaccount.com",
                     "client_id": "1", "token_uri": "http://127.0.0.1:%d/token"}
                    """.formatted(privateKey, tokenServer.getAddress().getPort()));

            Vertx vertx = Vertx.vertx();
            SelfSignedCertificate certificate = SelfSignedCertificate.create("localhost");
            vertx.close();
            int emulatorPort = ChildProcesses.freePort();
            return Map.ofEntries(
                    Map.entry("live-gateway.upstream.mode", "vertex"),
                    Map.entry("live-gateway.upstream.vertex.project", "test-project"),
                    Map.entry("live-gateway.upstream.vertex.location", "us-central1"),
                    Map.entry("live-gateway.upstream.vertex.credentials-file", credentials.toString()),
                    // every connect refreshes: tokens live 3500 s, less than the margin
                    Map.entry("live-gateway.upstream.vertex.token-refresh-margin", "59m"),
                    Map.entry("live-gateway.upstream.endpoint", "wss://localhost:" + emulatorPort
                            + "/ws/google.cloud.aiplatform.v1beta1.LlmBidiService/BidiGenerateContent"),
                    Map.entry("live-gateway.upstream.trust-certificate-pem", certificate.certificatePath()),
                    Map.entry("live-gateway.emulator.port", String.valueOf(emulatorPort)),
                    Map.entry("live-gateway.emulator.tls.enabled", "true"),
                    Map.entry("live-gateway.emulator.tls.cert-path", certificate.certificatePath()),
                    Map.entry("live-gateway.emulator.tls.key-path", certificate.privateKeyPath()),
                    Map.entry("live-gateway.emulator.auth", "any"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        if (tokenServer != null) {
            tokenServer.stop(0);
        }
    }
}
