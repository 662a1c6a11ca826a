package dev.livegateway.emulator;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for TLS tests whose SAN holds both {@code IP:127.0.0.1} and
 * {@code DNS:localhost} (Vert.x's SelfSignedCertificate has only the DNS name, so a client that
 * dials 127.0.0.1 would refuse it). Made with the JDK's keytool; written as PEM files.
 */
public final class TestCertificates {

    /** PEM certificate and PKCS#8 key paths, plus the PKCS#12 store holding both (password {@link #PASSWORD}). */
    public record Pem(Path certPath, Path keyPath, Path pkcs12Path) {}

    public static final String PASSWORD = "changeit";

    private static Pem cached;

    private TestCertificates() {}

    /** Generates (once per JVM) and returns the localhost certificate. */
    public static synchronized Pem localhost() {
        if (cached == null) {
            cached = generate();
        }
        return cached;
    }

    private static Pem generate() {
        try {
            Path dir = Files.createTempDirectory("emulator-tls");
            Path store = dir.resolve("localhost.p12");
            String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "localhost", "-keyalg", "RSA",
                    "-keysize", "2048", "-validity", "3650", "-dname", "CN=localhost",
                    "-ext", "SAN=IP:127.0.0.1,DNS:localhost", "-storetype", "PKCS12",
                    "-keystore", store.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD)
                    .redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                ks.load(in, PASSWORD.toCharArray());
            }
            Key key = ks.getKey("localhost", PASSWORD.toCharArray());
            Certificate cert = ks.getCertificate("localhost");
            Path certPath = dir.resolve("localhost.crt.pem");
            Path keyPath = dir.resolve("localhost.key.pem");
            Files.writeString(certPath, pem("CERTIFICATE", cert.getEncoded()));
            Files.writeString(keyPath, pem("PRIVATE KEY", key.getEncoded()));
            return new Pem(certPath, keyPath, store);
        } catch (IOException | InterruptedException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot create a test certificate: " + e.getMessage(), e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
