package dev.livegateway.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The packaged gateway ({@code quarkus-run.jar}, or the native executable of a native build) and
 * the stand-alone emulator as child processes, for the *IT classes that run several of them
 * (ReplicasIT, RollingDeployIT); each process logs to {@code <logs>/<name>.log}. Each gateway gets
 * free ports for its gRPC/HTTP and its management interface. {@link #close()} stops what is still
 * running.
 */
public final class GatewayProcesses implements AutoCloseable {

    public static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
    public static final Duration STARTUP = Duration.ofSeconds(120);

    private final Path logs;
    private final List<Process> processes = new CopyOnWriteArrayList<>();

    /** One gateway process: its gRPC/HTTP port and its management port ({@code /q/health}, {@code /q/metrics}). */
    public record Gateway(String name, int port, int managementPort, Process process, Path log) {}

    public GatewayProcesses(Path logs) throws IOException {
        assertThat(Files.exists(JAR) || nativeImage().isPresent())
                .as("the packaged gateway %s or a native executable (./mvnw verify packages it first)", JAR).isTrue();
        this.logs = logs;
        Files.createDirectories(logs);
    }

    /** The stand-alone emulator ({@code EmulatorMain}) on {@code port}; returns once it listens. */
    public Process emulator(String name, int port) throws InterruptedException {
        // The packaged libraries, or (native build) this test JVM's own class path.
        String classPath = useJar()
                ? "target/quarkus-app/lib/main/*" + java.io.File.pathSeparator + "target/quarkus-app/app/*"
                : System.getProperty("java.class.path");
        Process process = start(name, javaCommand(List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", classPath, "dev.livegateway.emulator.EmulatorMain", "--port", Integer.toString(port))));
        awaitPort(port, process, logs.resolve(name + ".log"));
        return process;
    }

    /** A gateway on free ports with these system properties; call {@link #awaitReady} before using it. */
    public Gateway gateway(String name, Map<String, String> properties) {
        int port = ChildProcesses.freePort();
        int managementPort = ChildProcesses.freePort();
        List<String> systemProperties = new ArrayList<>();
        systemProperties.add("-Dquarkus.http.port=" + port);
        systemProperties.add("-Dquarkus.management.port=" + managementPort);
        properties.forEach((key, value) -> systemProperties.add("-D" + key + "=" + value));
        List<String> command = new ArrayList<>();
        if (useJar()) {
            command.addAll(javaCommand(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1")));
            command.addAll(systemProperties);
            command.addAll(List.of("-jar", JAR.toString()));
        } else {
            command.add(nativeImage().orElseThrow().toString());
            command.addAll(systemProperties);
        }
        return new Gateway(name, port, managementPort, start(name, command), logs.resolve(name + ".log"));
    }

    /** Waits until {@code /q/health/ready} on the management port answers 200. */
    public static void awaitReady(Gateway gateway) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.managementPort()
                        + "/q/health/ready"))
                .timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(gateway.process().isAlive()).as("%s is running (log %s)", gateway.name(), gateway.log()).isTrue();
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError(gateway.name() + " not ready within " + STARTUP + "; log " + gateway.log());
    }

    @Override
    public void close() {
        for (Process process : processes) {
            process.destroy();
        }
        for (Process process : processes) {
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The packaged jar, unless a native executable was built after it. */
    private static boolean useJar() {
        if (!Files.exists(JAR)) {
            return false;
        }
        return nativeImage().map(image -> {
            try {
                return Files.getLastModifiedTime(JAR).compareTo(Files.getLastModifiedTime(image)) >= 0;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).orElse(true);
    }

    /** The native executable of a native build ({@code -Dnative}), whose path failsafe passes. */
    private static Optional<Path> nativeImage() {
        return Optional.ofNullable(System.getProperty("native.image.path")).map(Path::of).filter(Files::exists);
    }

    private static List<String> javaCommand(List<String> javaArgs) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(javaArgs);
        return command;
    }

    private Process start(String name, List<String> command) {
        try {
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(logs.resolve(name + ".log").toFile())
                    .start();
            processes.add(process);
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    private static void awaitPort(int port, Process process, Path log) throws InterruptedException {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(process.isAlive()).as("process is running (log %s)", log).isTrue();
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("port " + port + " not open within " + STARTUP + "; log " + log);
    }
}
