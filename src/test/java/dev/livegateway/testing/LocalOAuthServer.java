package dev.livegateway.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Google's service-account credential flow for tests, without Google: a local OAuth token endpoint
 * ({@code POST /token} issues {@code <prefix><n>}, valid 3500 s) and a service-account JSON with a
 * fresh RSA key whose {@code token_uri} points at it.
 */
public final class LocalOAuthServer implements AutoCloseable {

    private final HttpServer server;

    /**
     * Starts the endpoint on a free loopback port; each token it issues increments {@code issued},
     * and each request body is added to {@code requests}.
     */
    public LocalOAuthServer(String tokenPrefix, AtomicInteger issued, List<String> requests) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/token", exchange -> {
            requests.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] body = ("{\"access_token\":\"" + tokenPrefix + issued.incrementAndGet()
                    + "\",\"expires_in\":3500,\"token_type\":\"Bearer\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("content-type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    /** Writes a service-account JSON of {@code project} whose tokens come from this endpoint, in a new temp directory. */
    public Path serviceAccount(String project) throws IOException, GeneralSecurityException {
        var keys = KeyPairGenerator.getInstance("RSA");
        keys.initialize(2048);
        String privateKey = "-----BEGIN PRIVATE KEY-----\\n"
                + Base64.getEncoder().encodeToString(keys.generateKeyPair().getPrivate().getEncoded())
                + "\\n-----END PRIVATE KEY-----\\n";
        Path credentials = Files.createTempDirectory("service-account").resolve("service-account.json");
        Files.writeString(credentials, """
                {"type": "service_account", "project_id": "%s", "private_key_id": "k1",
                 "private_key": "%s", "client_email": "gateway@%s.iam.gserviceaccount.com",
                 "client_id": "1", "token_uri": "http://127.0.0.1:%d/token"}
                """.formatted(project, privateKey, project, server.getAddress().getPort()));
        return credentials;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
