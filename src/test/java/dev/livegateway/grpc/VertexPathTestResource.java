package dev.livegateway.grpc;

import dev.livegateway.testing.ChildProcesses;
import dev.livegateway.testing.LocalOAuthServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.net.SelfSignedCertificate;
import java.nio.file.Path;
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
    private LocalOAuthServer tokenServer;

    @Override
    public Map<String, String> start() {
        try {
            tokenServer = new LocalOAuthServer("token-", TOKENS_ISSUED, TOKEN_REQUESTS);
            Path credentials = tokenServer.serviceAccount("test-project");

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
            tokenServer.close();
        }
    }
}
