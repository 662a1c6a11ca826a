package dev.livegateway.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livegateway.auth.KeyHashes;
import dev.livegateway.testing.ChildProcesses;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.net.HttpURLConnection;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Runs the whole benchmark with one command ({@code bench/run.sh}): the emulator (audio echo) and
 * the gateway (prod profile, pointing at it) as processes of their own, then, for each chunk size
 * and session count, a direct pass and a gateway pass of the {@link LoadGenerator}, each a process
 * of its own. Measures the gateway's CPU (/proc), heap (after a forced GC) and RSS, active and idle,
 * and its start-up time; writes the results into docs/benchmarks.md and a PNG plot.
 */
public final class BenchDriver {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String GATEWAY_JAR = "target/quarkus-app/quarkus-run.jar";

    static final String DEFAULT_SESSIONS = "1,100,500,1000,2000";

    static final String USAGE = """
            Live Gateway benchmark driver. Run from the project root after './mvnw package' (bench/run.sh does both).

            Usage: BenchDriver [options]
              --sessions LIST          session counts (default 1,100,500,1000,2000)
              --chunks LIST            chunk lengths in ms (default 20,100)
              --duration S             measured seconds per pass (default 20)
              --open-rate N            sessions opened per second during the ramp-up (default 200)
              --text-every S           text turn period per session (default 5)
              --warmup S               seconds of each warm-up pass (50 sessions, 20 ms chunks) before measuring (default 60)
              --emulator-event-loops N event loops of the emulator (default 2)
              --explode-ms MS          stop a chunk size's series once gateway p99 exceeds this (default 1000)
              --startup-runs N         cold starts of the gateway to time, without and with the start-up archive (default 3 each)
              --startup-archive yes|no train the start-up archive (src/main/docker/train-startup-archive.sh) and run the
                                       gateway with it, as the container image does (default yes)
              --gateway-java PATH      java binary of the gateway and of the archive training (default java; e.g. a
                                       JDK 25 for its AOT cache)
              --section NAME           results section of the doc to (re)write (default latest)
              --doc FILE               markdown file (default docs/benchmarks.md)
              --out DIR                raw results and logs (default target/bench)
              --gateway-port P         (default 18080)   --emulator-port P  (default 19090)
              --management-port P      the gateway's management port: /q/health, /q/metrics (default 18081)
              --gateway-jvm OPTS       extra JVM options of the gateway, space separated (e.g. -XX:StartFlightRecording=...)
              --gateway-prop K=V       extra -DK=V for the gateway (repeatable; e.g. a store or limit setting)
              --api-key KEY            sent by the load generator as 'authorization: Bearer KEY'; the gateway's
                                       tenants must then be configured with --gateway-prop. Default: a random
                                       key for a tenant 'bench' whose session limit fits the largest point
              --loadgen-threads N      event loops of the load generator (default 2)
              --telephony yes|no       per point, a third pass through the gateway with 8 kHz G.711 mu-law in and
                                       out (converted by the gateway to and from the Live API's PCM16) (default yes)
              --profile DIR            record each measured gateway window with JFR (settings=profile) into
                                       DIR/<pass>.jfr; split it by layer with JfrLayers (docs/benchmarks.md)
              --render REPORT.json     only re-render the doc section (--section) and plot from a saved report
            """;

    private final Map<String, String> opts;
    private final List<String> gatewayProps;
    private final Path out;
    /** The benchmark's own class path (test classes, main classes, test-scope libraries), for the load generator. */
    private final String classpath = System.getProperty("java.class.path");
    /** The packaged application's class path, for the emulator: it runs from the artifact that ships. */
    private static final String PACKAGED_CLASSPATH = "target/quarkus-app/lib/main/*" + java.io.File.pathSeparator
            + "target/quarkus-app/app/*";
    private final PrintStream log = System.out;
    private Process emulator;
    private Process gateway;
    /** The JVM option that loads the trained start-up archive, or null to run without. */
    private String archiveOption;

    private BenchDriver(Map<String, String> opts, List<String> gatewayProps) {
        this.opts = opts;
        this.gatewayProps = gatewayProps;
        this.out = Path.of(opts.getOrDefault("out", "target/bench"));
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        List<String> props = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--help") || args[i].equals("-h")) {
                System.out.print(USAGE);
                return;
            }
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                System.err.println("error: " + args[i] + " needs a value; run with --help");
                System.exit(2);
            }
            String key = args[i].substring(2);
            if (key.equals("gateway-prop")) {
                props.add(args[++i]);
            } else {
                opts.put(key, args[++i]);
            }
        }
        if (opts.containsKey("render")) {
            // Re-render the doc section and plot from a saved report, without running anything.
            JsonNode report = JSON.readTree(Path.of(opts.get("render")).toFile());
            String section = opts.getOrDefault("section", "latest");
            Path doc = Path.of(opts.getOrDefault("doc", "docs/benchmarks.md"));
            Path png = doc.resolveSibling("benchmarks-" + section + ".png");
            LatencyPlot.write(report, png, "Added latency (gateway minus direct), " + section);
            BenchReport.writeSection(report, doc, section, png.getFileName().toString());
            System.out.printf("wrote %s (section '%s') and %s%n", doc, section, png);
            return;
        }
        if (!opts.containsKey("api-key")) {
            // The gateway runs its prod profile, which authenticates every call and limits sessions per
            // tenant: give the load generator a tenant of its own, as a platform team would.
            String key = "bench-" + UUID.randomUUID();
            int largest = ints(opts.getOrDefault("sessions", DEFAULT_SESSIONS)).stream().max(Integer::compare).orElse(1);
            opts.put("api-key", key);
            props.add("live-gateway.auth.tenants.bench.key-hashes=" + KeyHashes.format(key));
            props.add("live-gateway.quota.tenants.bench.max-concurrent-sessions=" + (largest + 100));
        }
        BenchDriver driver = new BenchDriver(opts, props);
        Runtime.getRuntime().addShutdownHook(new Thread(driver::stopAll));
        driver.run(String.join(" ", args));
    }

    private void run(String commandLine) throws Exception {
        Files.createDirectories(out);
        if (opts.containsKey("profile")) {
            Files.createDirectories(Path.of(opts.get("profile")));
        }
        List<Integer> sessionCounts = ints(opts.getOrDefault("sessions", DEFAULT_SESSIONS));
        List<Integer> chunkSizes = ints(opts.getOrDefault("chunks", "20,100"));
        double duration = Double.parseDouble(opts.getOrDefault("duration", "20"));
        double explodeMs = Double.parseDouble(opts.getOrDefault("explode-ms", "1000"));
        int gatewayPort = Integer.parseInt(opts.getOrDefault("gateway-port", "18080"));
        int emulatorPort = Integer.parseInt(opts.getOrDefault("emulator-port", "19090"));

        ObjectNode report = JSON.createObjectNode();
        report.put("date", ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        report.put("command", "bench/run.sh" + (commandLine.isBlank() ? "" : " " + commandLine));
        report.set("machine", JSON.valueToTree(machine()));
        report.put("gatewayJdk", command(gatewayJava(), "-version").lines().skip(1).findFirst().orElse("?").strip());
        report.put("loadAverageAtStart", ProcStats.loadAverage());
        log.printf("machine: %s%n", report.get("machine"));

        String upstream = "ws://127.0.0.1:" + emulatorPort
                + "/ws/google.cloud.aiplatform.v1beta1.LlmBidiService/BidiGenerateContent";
        emulator = start(List.of("java", "-cp", PACKAGED_CLASSPATH, "dev.livegateway.emulator.EmulatorMain", "--port",
                Integer.toString(emulatorPort), "--audio-echo", "--no-admin", "--no-record", "--event-loops",
                opts.getOrDefault("emulator-event-loops", "2")), out.resolve("emulator.log"));
        awaitPort(emulatorPort, 30);

        int startupRuns = Integer.parseInt(opts.getOrDefault("startup-runs", "3"));
        List<Map<String, Object>> startups = new ArrayList<>();
        for (int i = 0; i < startupRuns; i++) {
            Map<String, Object> s = startGateway(gatewayPort, upstream, false);
            startups.add(s);
            log.printf("start-up %d without archive: %s%n", i + 1, s);
            stopGateway();
        }
        if (!opts.getOrDefault("startup-archive", "yes").equals("no")) {
            archiveOption = trainStartupArchive();
            report.put("startupArchive", archiveOption.replace(Path.of("").toAbsolutePath() + "/", ""));
            for (int i = 0; i < startupRuns; i++) {
                Map<String, Object> s = startGateway(gatewayPort, upstream, false);
                startups.add(s);
                log.printf("start-up %d with %s: %s%n", i + 1, archiveOption, s);
                stopGateway();
            }
        }
        Map<String, Object> startup = startGateway(gatewayPort, upstream, true);
        startups.add(startup);
        report.set("startups", JSON.valueToTree(startups));
        log.printf("gateway started: %s%n", startup);

        // Warm-up: both paths until the JIT has compiled the relay path (C2 is busy for 60-80 s
        // under load on two cores), before anything is recorded.
        double warmup = Double.parseDouble(opts.getOrDefault("warmup", "60"));
        runPass(false, 50, 20, warmup, gatewayPort, emulatorPort, null);
        runPass(true, 50, 20, warmup, gatewayPort, emulatorPort, null);
        if (!"no".equals(opts.getOrDefault("telephony", "yes"))) {
            runPass(true, 50, 20, warmup, gatewayPort, emulatorPort, null, true);
        }

        List<Map<String, Object>> points = new ArrayList<>();
        for (int chunk : chunkSizes) {
            for (int n : sessionCounts) {
                awaitQuietGateway();
                double load = ProcStats.loadAverage();
                long[] machineBefore = ProcStats.machineTicks();
                Map<String, Object> baseline = memory();
                Map<String, Object> direct = runPass(false, n, chunk, duration, gatewayPort, emulatorPort, null);
                Map<String, Object> resources = new LinkedHashMap<>();
                resources.put("baseline", baseline);
                Map<String, Object> viaGateway = runPass(true, n, chunk, duration, gatewayPort, emulatorPort, resources);
                Map<String, Object> telephony = null;
                Map<String, Object> telephonyResources = new LinkedHashMap<>();
                if (!"no".equals(opts.getOrDefault("telephony", "yes"))) {
                    awaitQuietGateway();
                    telephonyResources.put("baseline", memory());
                    telephony = runPass(true, n, chunk, duration, gatewayPort, emulatorPort, telephonyResources, true);
                }
                Map<String, Object> point = new LinkedHashMap<>();
                point.put("chunkMs", chunk);
                point.put("sessions", n);
                point.put("loadAverage", load);
                point.put("stealPercent", ProcStats.stealPercent(machineBefore, ProcStats.machineTicks()));
                point.put("direct", direct);
                point.put("gateway", viaGateway);
                point.put("resources", resources);
                if (telephony != null) {
                    point.put("telephony", telephony);
                    point.put("telephonyResources", telephonyResources);
                }
                points.add(point);
                Files.writeString(out.resolve("points.json"), JSON.writeValueAsString(points));
                log.printf("%d ms x %d: direct p99 %s, gateway p99 %s, errors %s%n", chunk, n,
                        p(direct, "p99"), p(viaGateway, "p99"), errors(viaGateway));
                if (errors(viaGateway) > 0 || p(viaGateway, "p99") > explodeMs) {
                    log.printf("stopping the %d ms series at %d sessions (errors or p99 over %.0f ms)%n", chunk, n,
                            explodeMs);
                    break;
                }
            }
        }
        report.set("points", JSON.valueToTree(points));
        report.put("loadAverageAtEnd", ProcStats.loadAverage());
        stopAll();

        String section = opts.getOrDefault("section", "latest");
        Path doc = Path.of(opts.getOrDefault("doc", "docs/benchmarks.md"));
        Path png = doc.resolveSibling("benchmarks-" + section + ".png");
        Files.writeString(out.resolve("report-" + section + ".json"), JSON.writeValueAsString(report));
        JsonNode tree = JSON.readTree(JSON.writeValueAsString(report));
        LatencyPlot.write(tree, png, "Added latency (gateway minus direct), " + section);
        BenchReport.writeSection(tree, doc, section, png.getFileName().toString());
        log.printf("wrote %s (section '%s') and %s; raw data in %s%n", doc, section, png, out);
    }

    // ---- one pass ---------------------------------------------------------------------------------

    /**
     * Runs one load-generator process. With {@code resources} (gateway passes) the gateway's CPU is
     * read at the edges of the measured window, and its heap and RSS while the sessions are active
     * and again once they are idle.
     */
    private Map<String, Object> runPass(boolean viaGateway, int sessions, int chunkMs, double duration, int gatewayPort,
            int emulatorPort, Map<String, Object> resources) throws Exception {
        return runPass(viaGateway, sessions, chunkMs, duration, gatewayPort, emulatorPort, resources, false);
    }

    /** {@link #runPass}, with {@code telephony}: the callers speak 8 kHz μ-law in and out (gateway path). */
    private Map<String, Object> runPass(boolean viaGateway, int sessions, int chunkMs, double duration, int gatewayPort,
            int emulatorPort, Map<String, Object> resources, boolean telephony) throws Exception {
        double openRate = Double.parseDouble(opts.getOrDefault("open-rate", "200"));
        List<String> cmd = new ArrayList<>(List.of("java", "-cp", classpath, "dev.livegateway.bench.LoadGenerator"));
        if (viaGateway) {
            cmd.addAll(List.of("--gateway", "127.0.0.1:" + gatewayPort));
        } else {
            cmd.addAll(List.of("--direct", "ws://127.0.0.1:" + emulatorPort
                    + "/ws/google.cloud.aiplatform.v1beta1.LlmBidiService/BidiGenerateContent"));
        }
        cmd.addAll(List.of("--sessions", Integer.toString(sessions), "--chunk-ms", Integer.toString(chunkMs),
                "--duration", Double.toString(duration), "--ramp-up", Double.toString(Math.max(1, sessions / openRate)),
                "--text-every", opts.getOrDefault("text-every", "5"),
                "--threads", opts.getOrDefault("loadgen-threads", "2"), "--driven"));
        if (opts.containsKey("api-key")) {
            cmd.addAll(List.of("--api-key", opts.get("api-key")));
        }
        if (telephony) {
            cmd.addAll(List.of("--audio", "mulaw"));
        }
        String name = (telephony ? "telephony" : viaGateway ? "gateway" : "direct") + "-" + chunkMs + "ms-" + sessions;
        log.printf("pass %s ...%n", name);
        Process loadgen = new ProcessBuilder(cmd).redirectError(out.resolve(name + ".err").toFile()).start();
        Writer toLoadgen = new OutputStreamWriter(loadgen.getOutputStream(), StandardCharsets.UTF_8);
        long gatewayPid = gateway.pid();
        double gwCpuStart = 0;
        double emuCpuStart = 0;
        double genCpuStart = 0;
        Map<String, Object> result = null;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(loadgen.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.startsWith("PHASE measure-start")) {
                    if (profiling(viaGateway, resources)) {
                        jcmd(gatewayPid, "JFR.start", "name=bench", "settings=profile");
                    }
                    gwCpuStart = ProcStats.cpuSeconds(gatewayPid);
                    emuCpuStart = ProcStats.cpuSeconds(emulator.pid());
                    genCpuStart = ProcStats.cpuSeconds(loadgen.pid());
                } else if (line.startsWith("PHASE measure-end")) {
                    if (profiling(viaGateway, resources)) {
                        Path recording = Path.of(opts.get("profile")).toAbsolutePath().resolve(name + ".jfr");
                        jcmd(gatewayPid, "JFR.stop", "name=bench", "filename=" + recording);
                        log.printf("  profile of the measured window: %s%n", recording);
                    }
                    if (resources != null) {
                        resources.put("gatewayCpuSeconds", ProcStats.cpuSeconds(gatewayPid) - gwCpuStart);
                    }
                    Map<String, Object> cpu = new LinkedHashMap<>();
                    cpu.put("gateway", ProcStats.cpuSeconds(gatewayPid) - gwCpuStart);
                    cpu.put("emulator", ProcStats.cpuSeconds(emulator.pid()) - emuCpuStart);
                    cpu.put("loadGenerator", ProcStats.cpuSeconds(loadgen.pid()) - genCpuStart);
                    if (resources != null) {
                        resources.put("cpuSecondsInWindow", cpu);
                    } else {
                        log.printf("  cpu s in window: %s%n", cpu);
                    }
                } else if (line.startsWith("PHASE active")) {
                    if (resources != null) {
                        resources.put("active", memory());
                    }
                    toLoadgen.write("go\n");
                    toLoadgen.flush();
                } else if (line.startsWith("PHASE idle")) {
                    if (resources != null) {
                        Thread.sleep(500);
                        resources.put("idle", memory());
                    }
                    toLoadgen.write("go\n");
                    toLoadgen.flush();
                } else if (line.startsWith("RESULT ")) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> parsed = JSON.readValue(line.substring(7), Map.class);
                    result = parsed;
                } else if (line.startsWith("PHASE")) {
                    log.println("  " + line.replaceFirst("PHASE (\\S+) \\d+", "$1"));
                }
            }
        }
        if (!loadgen.waitFor(60, TimeUnit.SECONDS)) {
            loadgen.destroyForcibly();
        }
        if (result == null) {
            throw new IllegalStateException("the load generator of pass " + name + " printed no RESULT; see "
                    + out.resolve(name + ".err"));
        }
        return result;
    }

    /** Whether this pass's measured window is recorded with JFR (--profile, gateway passes). */
    private boolean profiling(boolean viaGateway, Map<String, Object> resources) {
        return viaGateway && resources != null && opts.containsKey("profile");
    }

    /** Runs {@code jcmd PID COMMAND ARGS...} on the gateway and waits for it. */
    private void jcmd(long pid, String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("jcmd", Long.toString(pid)));
        cmd.addAll(Arrays.asList(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + text);
        }
    }

    /**
     * Waits (up to 30 s) until the gateway uses under a tenth of a core, so that a point does not
     * measure the previous point's backlog still draining.
     */
    private void awaitQuietGateway() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        double before = ProcStats.cpuSeconds(gateway.pid());
        while (System.nanoTime() < deadline) {
            Thread.sleep(1000);
            double now = ProcStats.cpuSeconds(gateway.pid());
            if (now - before < 0.1) {
                return;
            }
            before = now;
        }
        log.println("  the gateway is still busy after 30 s; measuring anyway");
    }

    /** Heap after a full GC (jcmd GC.run, then the Micrometer heap gauges) and RSS of the gateway. */
    private Map<String, Object> memory() throws Exception {
        long pid = gateway.pid();
        Process gc = new ProcessBuilder("jcmd", Long.toString(pid), "GC.run").redirectErrorStream(true).start();
        gc.getInputStream().readAllBytes();
        gc.waitFor(30, TimeUnit.SECONDS);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("heapBytes", heapUsed());
        m.put("rssBytes", ProcStats.rssBytes(pid));
        return m;
    }

    private long heapUsed() {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + managementPort() + "/q/metrics")
                    .toURL().openConnection();
            c.setRequestProperty("Accept", "text/plain");
            String body = new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            double sum = 0;
            for (String line : body.split("\n")) {
                if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return (long) sum;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    // ---- processes ----------------------------------------------------------------------------

    /**
     * Starts the gateway and times it from process start to ready: {@code /q/health/ready} on the
     * management port answering 200, or, where that endpoint does not exist (404), the gRPC port
     * accepting a connection.
     */
    private Map<String, Object> startGateway(int port, String upstream, boolean keep) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(gatewayJava(), "-Dquarkus.http.port=" + port,
                "-Dquarkus.management.port=" + managementPort(),
                "-Dlive-gateway.upstream.mode=emulator", "-Dlive-gateway.upstream.endpoint=" + upstream,
                "-Dlive-gateway.emulator.enabled=false"));
        String jvm = opts.getOrDefault("gateway-jvm", "").strip();
        if (!jvm.isEmpty() && keep) {
            cmd.addAll(Arrays.asList(jvm.split("\\s+")));
        }
        if (archiveOption != null) {
            cmd.add(archiveOption);
        }
        gatewayProps.forEach(p -> cmd.add("-D" + p));
        cmd.addAll(List.of("-jar", GATEWAY_JAR));
        long t0 = System.nanoTime();
        gateway = start(cmd, out.resolve(keep ? "gateway.log" : "gateway-startup.log"));
        String method = "/q/health/ready";
        long deadline = t0 + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            if (!gateway.isAlive()) {
                throw new IllegalStateException("the gateway exited during start-up; see " + out.resolve("gateway.log"));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the gateway was not ready within 60 s");
            }
            int status = httpStatus("http://127.0.0.1:" + managementPort() + "/q/health/ready");
            if (status == 200) {
                break;
            }
            if (status == 404) {
                method = "gRPC port accepting connections (no /q/health/ready)";
                awaitPort(port, 60);
                break;
            }
            Thread.sleep(10);
        }
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("readyMs", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        s.put("readiness", method);
        s.put("archive", archiveOption != null);
        s.put("loadAverage", ProcStats.loadAverage());
        return s;
    }

    /** The gateway's management port (health and metrics). */
    private int managementPort() {
        return Integer.parseInt(opts.getOrDefault("management-port", "18081"));
    }

    private String gatewayJava() {
        return opts.getOrDefault("gateway-java", "java");
    }

    /**
     * Trains the start-up archive with the script the container image uses and returns the JVM
     * option that loads it (the script's last line).
     */
    private String trainStartupArchive() throws IOException, InterruptedException {
        Path trainLog = out.resolve("startup-archive.log");
        ProcessBuilder pb = new ProcessBuilder("src/main/docker/train-startup-archive.sh", "target/quarkus-app")
                .redirectErrorStream(true).redirectOutput(trainLog.toFile());
        pb.environment().put("JAVA", gatewayJava());
        pb.environment().put("TRAIN_PORT", Integer.toString(ChildProcesses.freePort()));
        Process p = pb.start();
        try {
            if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException("training the start-up archive failed; see " + trainLog);
            }
        } finally {
            ChildProcesses.stopTree(p);
        }
        List<String> lines = Files.readAllLines(trainLog);
        String option = lines.get(lines.size() - 1).strip();
        log.printf("start-up archive: %s%n", lines.size() > 1 ? lines.get(lines.size() - 2) : option);
        return option;
    }

    private void stopGateway() throws InterruptedException {
        if (gateway != null && gateway.isAlive()) {
            gateway.destroy();
            if (!gateway.waitFor(20, TimeUnit.SECONDS)) {
                gateway.destroyForcibly();
            }
        }
    }

    private void stopAll() {
        for (Process p : new Process[] {gateway, emulator}) {
            if (p != null && p.isAlive()) {
                p.destroy();
                try {
                    if (!p.waitFor(20, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private static Process start(List<String> cmd, Path logFile) throws IOException {
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
    }

    private static int httpStatus(String url) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
            c.setConnectTimeout(200);
            c.setReadTimeout(1000);
            int code = c.getResponseCode();
            c.disconnect();
            return code;
        } catch (IOException e) {
            return -1;
        }
    }

    private static void awaitPort(int port, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(10);
            }
        }
        throw new IllegalStateException("nothing listens on port " + port + " after " + seconds + " s");
    }

    // ---- machine ------------------------------------------------------------------------------

    private static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cpu", firstMatch(Path.of("/proc/cpuinfo"), "model name"));
        m.put("cores", Runtime.getRuntime().availableProcessors());
        String mem = firstMatch(Path.of("/proc/meminfo"), "MemTotal");
        m.put("memory", mem.isEmpty() ? "?" : (Long.parseLong(mem.replaceAll("[^0-9]", "")) / 1024 / 1024) + " GiB");
        m.put("os", firstMatch(Path.of("/etc/os-release"), "PRETTY_NAME").replace("\"", "") + ", Linux "
                + command("uname", "-r"));
        m.put("jdk", command("java", "-version").lines().skip(1).findFirst().orElse("?").strip());
        return m;
    }

    private static String firstMatch(Path file, String key) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(key)) {
                    return line.substring(line.indexOf(key.equals("PRETTY_NAME") ? '=' : ':') + 1).strip();
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return "";
    }

    private static String command(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            p.waitFor();
            return text;
        } catch (Exception e) {
            return "?";
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    private static List<Integer> ints(String list) {
        return Arrays.stream(list.split(",")).map(String::strip).map(Integer::parseInt).toList();
    }

    @SuppressWarnings("unchecked")
    static double p(Map<String, Object> pass, String percentile) {
        return ((Number) ((Map<String, Object>) pass.get("audio")).get(percentile)).doubleValue();
    }

    static long errors(Map<String, Object> pass) {
        return ((Number) pass.get("openFailures")).longValue() + ((Number) pass.get("streamFailures")).longValue()
                + ((Number) pass.get("audioLost")).longValue();
    }
}
