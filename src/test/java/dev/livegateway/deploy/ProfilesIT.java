package dev.livegateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.livegateway.testing.ChildProcesses;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged gateway under its profiles, as a user starts it ({@code java -Dquarkus.profile=...
 * -jar quarkus-run.jar}): development-mode authentication is refused at start-up in a custom
 * profile (staging), and the emulator profile, open without keys, listens on the loopback
 * interface only, with health and metrics on the management port. Logs: {@code target/profiles-it/}.
 */
class ProfilesIT {

    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
    private static final Path LOGS = Path.of("target", "profiles-it");
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    @BeforeAll
    static void packaged() throws IOException {
        assertThat(JAR).as("./mvnw verify packages the application first").exists();
        Files.createDirectories(LOGS);
    }

    private static Process start(String log, String... properties) throws IOException {
        List<String> command = new ArrayList<>(List.of(JAVA, "-Xmx256m", "-XX:TieredStopAtLevel=1"));
        for (String property : properties) {
            command.add("-D" + property);
        }
        command.addAll(List.of("-Dlive-gateway.tools.directory=", "-Dlive-gateway.emulator.port=0", "-jar", JAR.toString()));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(LOGS.resolve(log).toFile()).start();
    }

    @Test
    void aCustomProfileWithAnonymousAdminRefusesToStart() throws Exception {
        int port = ChildProcesses.freePort();
        int managementPort = ChildProcesses.freePort();
        Process gateway = start("staging.log", "quarkus.profile=staging", "quarkus.http.port=" + port,
                "quarkus.management.port=" + managementPort, "live-gateway.upstream.mode=emulator",
                "live-gateway.emulator.enabled=true", "live-gateway.auth.anonymous-admin=true",
                "live-gateway.auth.anonymous-tenant=default");
        try {
            assertThat(gateway.waitFor(90, TimeUnit.SECONDS)).as("start-up refused; log %s", LOGS.resolve("staging.log"))
                    .isTrue();
            assertThat(gateway.exitValue()).isNotZero();
            assertThat(Files.readString(LOGS.resolve("staging.log")))
                    .contains("Development mode authentication is refused in profile(s) [staging]")
                    .contains("allowed only in the dev, test, emulator profiles")
                    .contains("live-gateway.auth.anonymous-tenant and live-gateway.auth.anonymous-admin");
        } finally {
            ChildProcesses.stopTree(gateway);
        }
    }

    @Test
    void theEmulatorProfileListensOnLoopbackOnlyWithHealthAndMetricsOnTheManagementPort() throws Exception {
        Optional<InetAddress> external = externalAddress();
        Assumptions.assumeTrue(external.isPresent(), "this machine has no non-loopback IPv4 address");
        int port = ChildProcesses.freePort();
        int managementPort = ChildProcesses.freePort();
        Process gateway = start("emulator.log", "quarkus.profile=emulator", "quarkus.http.port=" + port,
                "quarkus.management.port=" + managementPort);
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            awaitStatus(http, "http://127.0.0.1:" + managementPort + "/q/health/ready", 200, gateway);
            assertThat(status(http, "http://127.0.0.1:" + managementPort + "/q/metrics")).isEqualTo(200);
            assertThat(status(http, "http://127.0.0.1:" + port + "/q/metrics")).isEqualTo(404);
            assertThat(status(http, "http://127.0.0.1:" + port + "/q/health/ready")).isEqualTo(404);
            for (int p : List.of(port, managementPort)) {
                try (Socket loopback = new Socket()) {
                    loopback.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), p), 2000);
                }
                assertThatThrownBy(() -> {
                    try (Socket outside = new Socket()) {
                        outside.connect(new InetSocketAddress(external.get(), p), 2000);
                    }
                }).as("port %d on %s", p, external.get()).isInstanceOf(ConnectException.class);
            }
        } finally {
            ChildProcesses.stopTree(gateway);
        }
    }

    private static Optional<InetAddress> externalAddress() throws IOException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
                    return Optional.of(address);
                }
            }
        }
        return Optional.empty();
    }

    private static int status(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static void awaitStatus(HttpClient http, String url, int expected, Process gateway) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            assertThat(gateway.isAlive()).as("gateway running; see %s", LOGS).isTrue();
            try {
                if (status(http, url) == expected) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError(url + " did not answer " + expected + " within 120 s; see " + LOGS);
    }
}
