package dev.livegateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.livegateway.testing.ChildProcesses;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The start-up archive step of the container image ({@code src/main/docker/train-startup-archive.sh})
 * against the packaged application: it trains an archive with this JDK, and the gateway then starts
 * with the archive required ({@code -Xshare:on} or {@code -XX:AOTMode=on}, which refuse to run on an
 * unusable archive) and loads its own classes from it. The application is copied first, as the
 * image build copies it to /deployments. Logs: {@code target/startup-archive-it/}.
 */
class StartupArchiveIT {

    private static final Path PACKAGED = Path.of("target", "quarkus-app");
    private static final Path WORK = Path.of("target", "startup-archive-it");
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    @Test
    void trainedArchiveIsUsedByTheGatewaysOwnClasses() throws Exception {
        assertThat(PACKAGED.resolve("quarkus-run.jar")).as("./mvnw verify packages the application first").exists();
        Path app = WORK.resolve("app");
        deleteRecursively(WORK);
        copyRecursively(PACKAGED, app);

        ProcessBuilder training = new ProcessBuilder("src/main/docker/train-startup-archive.sh", app.toString())
                .redirectErrorStream(true).redirectOutput(WORK.resolve("training.log").toFile());
        training.environment().put("JAVA", JAVA);
        training.environment().put("TRAIN_PORT", Integer.toString(ChildProcesses.freePort()));
        training.environment().put("TRAIN_MANAGEMENT_PORT", Integer.toString(ChildProcesses.freePort()));
        Process trainer = training.start();
        try {
            assertThat(trainer.waitFor(4, TimeUnit.MINUTES)).as("training finished").isTrue();
        } finally {
            ChildProcesses.stopTree(trainer);
        }
        List<String> output = Files.readAllLines(WORK.resolve("training.log"));
        assertThat(trainer.exitValue()).as("training exit status; output: %s", output).isZero();

        String option = output.get(output.size() - 1).strip();
        assertThat(option).matches("-XX:(SharedArchiveFile|AOTCache)=.+");
        Path archive = Path.of(option.substring(option.indexOf('=') + 1));
        assertThat(archive).exists().isNotEmptyFile();
        assertThat(archive.getParent()).isEqualTo(app.toAbsolutePath());

        int port = ChildProcesses.freePort();
        int managementPort = ChildProcesses.freePort();
        Path classLog = WORK.resolve("class-load.log");
        List<String> command = new ArrayList<>(List.of(JAVA, option,
                option.startsWith("-XX:AOTCache") ? "-XX:AOTMode=on" : "-Xshare:on",
                "-Xlog:class+load=info:file=" + classLog,
                "-Dquarkus.profile=emulator", "-Dquarkus.http.port=" + port, "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.management.port=" + managementPort,
                "-Dlive-gateway.tools.directory=", "-Dlive-gateway.emulator.port=0",
                // a path other than the training's (relative, not absolute) must still match
                "-jar", app.resolve("quarkus-run.jar").toString()));
        Process gateway = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(WORK.resolve("gateway.log").toFile()).start();
        try {
            awaitReady(managementPort, gateway);
            String loaded = Files.readString(classLog);
            assertThat(loaded)
                    .as("the gateway's own classes come from the archive")
                    .containsPattern("dev\\.livegateway\\.grpc\\.LiveGatewayService source: shared objects file")
                    .containsPattern("io\\.vertx\\.core\\.Vertx source: shared objects file");
        } finally {
            ChildProcesses.stopTree(gateway);
        }
    }

    /** Waits for /q/health/ready on the management port. */
    private static void awaitReady(int port, Process gateway) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                .timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            assertThat(gateway.isAlive()).as("gateway running with the archive required; see %s",
                    WORK.resolve("gateway.log")).isTrue();
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("gateway not ready within 120 s; see " + WORK.resolve("gateway.log"));
    }

    private static void copyRecursively(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                String name = source.getFileName().toString();
                if (name.endsWith(".jsa") || name.endsWith(".aot")) {
                    continue; // an archive left by an earlier run or the benchmark
                }
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            Files.createDirectories(dir);
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.sorted(java.util.Comparator.reverseOrder())::iterator) {
                if (!p.equals(dir)) {
                    Files.delete(p);
                }
            }
        }
    }
}
