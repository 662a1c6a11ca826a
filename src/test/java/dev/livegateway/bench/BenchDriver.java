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
 * and its start-up time; writes the results into docs/benchmarks.md and a PNG plot. With
 * {@code --baseline DIR} (or {@code --repeats}, or several {@code --streams-per-connection}) each
 * point runs interleaved rounds instead ({@link PassPlan}): direct, the gateway and a second gateway
 * built from another commit, each pass with the CPU of gateway, emulator and load generator, the
 * machine's idle share and the gateway's own relay-time histogram ({@link AbReport}).
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
              --profile DIR            profile each measured gateway window into DIR/<pass>.jfr (JFR, settings=profile;
                                       split it with JfrLayers) or DIR/<pass>.collapsed (--profiler async)
              --profiler jfr|async     async: async-profiler's CPU sampling with kernel frames, split by layer and
                                       system call with CpuProfileLayers (default jfr; docs/benchmarks.md)
              --render REPORT.json     only re-render the doc section (--section) and plot from a saved report
              --loadgen-settle S       seconds each load generator streams after its ramp-up before measuring, so
                                       that its own JIT is warm (default 8)
            A/B and interleaved rounds:
              --baseline DIR           a packaged Quarkus app of another build (DIR/quarkus-run.jar, e.g. the
                                       commit a change starts from): started beside the gateway with the same JVM
                                       options, settings and tenant; every point runs direct, gateway and baseline
                                       passes interleaved, and the report compares them (median, spread, marginal
                                       CPU per message, the targets of issue 20)
              --baseline-port P        the baseline's HTTP/gRPC port (default 18090); its management port is
                                       --baseline-management-port (default P+1)
              --baseline-prop K=V      extra -DK=V for the baseline gateway only (repeatable): with --baseline set to
                                       this build's target/quarkus-app, an A/B of a setting (e.g. event loops)
              --repeats N              rounds per point (default 3 with --baseline, else 1)
              --streams-per-connection LIST  gRPC streams per HTTP/2 connection, one gateway pass per value and
                                       point (default 100); more than one value, or --repeats > 1, runs the
                                       interleaved rounds even without --baseline
            """;

    private final Map<String, String> opts;
    private final List<String> gatewayProps;
    /** --baseline-prop: extra -D settings of the baseline gateway only, after the shared ones (they win). */
    private static final List<String> BASELINE_PROPS = new ArrayList<>();
    private final Path out;
    /** The benchmark's own class path (test classes, main classes, test-scope libraries), for the load generator. */
    private final String classpath = System.getProperty("java.class.path");
    /** The packaged application's class path, for the emulator: it runs from the artifact that ships. */
    private static final String PACKAGED_CLASSPATH = "target/quarkus-app/lib/main/*" + java.io.File.pathSeparator
            + "target/quarkus-app/app/*";
    private final PrintStream log = System.out;
    private Process emulator;
    private Process gateway;
    /** async-profiler's agent when --profiler async, else null (JFR). */
    private AsyncProfilerAgent asyncProfiler;
    /** The build under test as the passes drive it (set once it runs for the passes). */
    private Target main;
    /** The baseline build's gateway (--baseline), or null. */
    private Process baselineGateway;
    /** The JVM option that loads the trained start-up archive, or null to run without. */
    private String archiveOption;

    private BenchDriver(Map<String, String> opts, List<String> gatewayProps) {
        this.opts = opts;
        this.gatewayProps = gatewayProps;
        this.out = Path.of(opts.getOrDefault("out", "target/bench"));
    }

    /** A gateway the passes drive: the build under test or the baseline, with its ports. */
    private record Target(String path, Process process, int grpcPort, int managementPort) {}

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
            } else if (key.equals("baseline-prop")) {
                BASELINE_PROPS.add(args[++i]);
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
            if ("async".equals(opts.getOrDefault("profiler", "jfr"))) {
                asyncProfiler = AsyncProfilerAgent.extractTo(Path.of(opts.get("profile")));
            }
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
        main = new Target(PassPlan.GATEWAY, gateway, gatewayPort, managementPort());
        List<Target> gateways = new ArrayList<>(List.of(main));
        if (opts.containsKey("baseline")) {
            Target baseline = startBaseline(upstream);
            gateways.add(baseline);
        }
        boolean interleaved = interleaved();
        if (interleaved) {
            Map<String, Object> ab = new LinkedHashMap<>();
            ab.put("baseline", opts.get("baseline"));
            ab.put("baselineProps", BASELINE_PROPS);
            ab.put("repeats", repeats());
            ab.put("streamsPerConnection", ints(opts.getOrDefault("streams-per-connection", "100")));
            ab.put("passArchive", archiveForPasses());
            report.set("ab", JSON.valueToTree(ab));
        }

        // Warm-up: both paths until the JIT has compiled the relay path (C2 is busy for 60-80 s
        // under load on two cores), before anything is recorded.
        double warmup = Double.parseDouble(opts.getOrDefault("warmup", "60"));
        runPass(null, 50, 20, warmup, 0, "-warmup", null, false);
        for (Target target : gateways) {
            runPass(target, 50, 20, warmup, 0, "-warmup", null, false);
        }
        if (!interleaved && !"no".equals(opts.getOrDefault("telephony", "yes"))) {
            runPass(main, 50, 20, warmup, 0, "-warmup", null, true);
        }

        List<Map<String, Object>> points = interleaved
                ? interleavedPoints(gateways, chunkSizes, sessionCounts, duration, explodeMs)
                : plainPoints(chunkSizes, sessionCounts, duration, explodeMs, gatewayPort, emulatorPort);
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


    /** Each point as direct, gateway and (optionally) telephony passes, one of each, with memory figures. */
    private List<Map<String, Object>> plainPoints(List<Integer> chunkSizes, List<Integer> sessionCounts,
            double duration, double explodeMs, int gatewayPort, int emulatorPort) throws Exception {
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
        return points;
    }

    /**
     * Each point as interleaved rounds ({@link PassPlan}) of direct and gateway passes, through the
     * baseline too when there is one. A gateway whose passes fail or exceed --explode-ms is left
     * out of the rest of its chunk size's series; the series ends where the direct path itself no
     * longer keeps real time (the reference of the capacity target).
     */
    private List<Map<String, Object>> interleavedPoints(List<Target> gateways, List<Integer> chunkSizes,
            List<Integer> sessionCounts, double duration, double explodeMs) throws Exception {
        List<Integer> streams = ints(opts.getOrDefault("streams-per-connection", "100"));
        List<Map<String, Object>> points = new ArrayList<>();
        for (int chunk : chunkSizes) {
            List<Target> probed = new ArrayList<>(gateways);
            for (int n : sessionCounts) {
                for (Target target : gateways) {
                    awaitQuiet(target.process());
                }
                Map<String, Object> background = backgroundCores(gateways);
                double load = ProcStats.loadAverage();
                long[] machineBefore = ProcStats.machineTicks();
                List<Map<String, Object>> passes = new ArrayList<>();
                for (PassPlan.Pass pass : PassPlan.point(repeats(), probed.stream().map(Target::path).toList(),
                        streams)) {
                    Target target = probed.stream().filter(t -> t.path().equals(pass.path())).findFirst().orElse(null);
                    String suffix = pass.label().substring(pass.path().length());
                    Map<String, Object> result = runPass(target, n, chunk, duration, pass.streams(), suffix, null, false);
                    result.put("path", pass.path());
                    result.put("streams", pass.streams());
                    result.put("round", pass.round());
                    passes.add(result);
                }
                long[] machineAfter = ProcStats.machineTicks();
                Map<String, Object> point = new LinkedHashMap<>();
                point.put("chunkMs", chunk);
                point.put("sessions", n);
                point.put("loadAverage", load);
                point.put("stealPercent", ProcStats.stealPercent(machineBefore, machineAfter));
                point.put("machineIdlePercent", ProcStats.idlePercent(machineBefore, machineAfter));
                point.put("backgroundCores", background);
                point.put("passes", passes);
                JsonNode tree = JSON.valueToTree(point);
                // Medians in the shape of a plain point, for the latency plot.
                point.put("direct", AbComparison.summary(AbComparison.passes(tree, PassPlan.DIRECT, 0)));
                List<JsonNode> gatewayPasses = AbComparison.passes(tree, PassPlan.GATEWAY, streams.get(0));
                if (!gatewayPasses.isEmpty()) {
                    point.put("gateway", AbComparison.summary(gatewayPasses));
                }
                points.add(point);
                Files.writeString(out.resolve("points.json"), JSON.writeValueAsString(points));

                List<JsonNode> direct = AbComparison.passes(tree, PassPlan.DIRECT, 0);
                log.printf("%d ms x %d: direct p99 %s, errors %d%n", chunk, n,
                        AbComparison.spread(direct, p -> AbComparison.latency(p, "p99")).format("%.2f"),
                        AbComparison.errors(direct));
                List<Target> exploded = new ArrayList<>();
                for (Target target : probed) {
                    List<JsonNode> all = new ArrayList<>();
                    tree.path("passes").forEach(p -> {
                        if (p.path("path").asText().equals(target.path())) {
                            all.add(p);
                        }
                    });
                    AbComparison.Spread p99 = AbComparison.spread(all, p -> AbComparison.latency(p, "p99"));
                    log.printf("  %s p99 %s, errors %d%n", target.path(), p99.format("%.2f"), AbComparison.errors(all));
                    if (AbComparison.errors(all) > 0 || p99.median() > explodeMs) {
                        exploded.add(target);
                    }
                }
                if (!AbComparison.directRealTime(tree)) {
                    log.printf("stopping the %d ms series at %d sessions: the direct path no longer keeps real time%n",
                            chunk, n);
                    break;
                }
                for (Target target : exploded) {
                    log.printf("leaving %s out of the rest of the %d ms series (errors or p99 over %.0f ms)%n",
                            target.path(), chunk, explodeMs);
                    probed.remove(target);
                }
                if (probed.isEmpty()) {
                    break;
                }
            }
        }
        return points;
    }

    /** Whether the points run as interleaved rounds: a baseline, repeats or several streams variants. */
    private boolean interleaved() {
        return opts.containsKey("baseline") || repeats() > 1
                || !ints(opts.getOrDefault("streams-per-connection", "100")).equals(List.of(100));
    }

    private int repeats() {
        return Integer.parseInt(opts.getOrDefault("repeats", opts.containsKey("baseline") ? "3" : "1"));
    }

    /**
     * Whether the gateway of the passes loads the start-up archive. Not in an A/B run: the
     * archive is trained on this build only, and both builds must run alike.
     */
    private boolean archiveForPasses() {
        return !opts.containsKey("baseline");
    }

    /** Each gateway's CPU (cores) over 3 s while nothing drives it: what it burns idle. */
    private Map<String, Object> backgroundCores(List<Target> gateways) throws InterruptedException {
        double[] before = new double[gateways.size()];
        for (int i = 0; i < before.length; i++) {
            before[i] = ProcStats.cpuSeconds(gateways.get(i).process().pid());
        }
        long t0 = System.nanoTime();
        Thread.sleep(3000);
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, Object> cores = new LinkedHashMap<>();
        for (int i = 0; i < before.length; i++) {
            cores.put(gateways.get(i).path(),
                    (ProcStats.cpuSeconds(gateways.get(i).process().pid()) - before[i]) / seconds);
        }
        return cores;
    }

    // ---- one pass ---------------------------------------------------------------------------------

    /**
     * Runs one load-generator process. With {@code resources} (gateway passes) the gateway's CPU is
     * read at the edges of the measured window, and its heap and RSS while the sessions are active
     * and again once they are idle.
     */
    private Map<String, Object> runPass(boolean viaGateway, int sessions, int chunkMs, double duration, int gatewayPort,
            int emulatorPort, Map<String, Object> resources) throws Exception {
        return runPass(viaGateway ? main : null, sessions, chunkMs, duration, 0, "", resources, false);
    }

    /** {@link #runPass}, with {@code telephony}: the callers speak 8 kHz μ-law in and out (gateway path). */
    private Map<String, Object> runPass(boolean viaGateway, int sessions, int chunkMs, double duration, int gatewayPort,
            int emulatorPort, Map<String, Object> resources, boolean telephony) throws Exception {
        return runPass(viaGateway ? main : null, sessions, chunkMs, duration, 0, "", resources, telephony);
    }

    /**
     * Runs one load-generator process through {@code target} (null: straight to the emulator).
     * Every pass's result carries {@code window}: the CPU seconds of the driven gateway, the
     * emulator and the load generator over the measured window, the machine's idle share and
     * whether it was machine-bound; a gateway pass also {@code relay}, the gateway's own relay-time
     * histogram over the window (null when the build has none).
     *
     * @param streams gRPC streams per HTTP/2 connection, 0 for the load generator's default
     * @param suffix appended to the pass's name (its log file)
     */
    private Map<String, Object> runPass(Target target, int sessions, int chunkMs, double duration, int streams,
            String suffix, Map<String, Object> resources, boolean telephony) throws Exception {
        boolean viaGateway = target != null;
        int emulatorPort = Integer.parseInt(opts.getOrDefault("emulator-port", "19090"));
        double openRate = Double.parseDouble(opts.getOrDefault("open-rate", "200"));
        List<String> cmd = new ArrayList<>(List.of("java", "-cp", classpath, "dev.livegateway.bench.LoadGenerator"));
        if (viaGateway) {
            cmd.addAll(List.of("--gateway", "127.0.0.1:" + target.grpcPort()));
        } else {
            cmd.addAll(List.of("--direct", "ws://127.0.0.1:" + emulatorPort
                    + "/ws/google.cloud.aiplatform.v1beta1.LlmBidiService/BidiGenerateContent"));
        }
        cmd.addAll(List.of("--sessions", Integer.toString(sessions), "--chunk-ms", Integer.toString(chunkMs),
                "--duration", Double.toString(duration), "--ramp-up", Double.toString(Math.max(1, sessions / openRate)),
                "--text-every", opts.getOrDefault("text-every", "5"),
                "--settle", opts.getOrDefault("loadgen-settle", "8"),
                "--threads", opts.getOrDefault("loadgen-threads", "2"), "--driven"));
        if (streams > 0) {
            cmd.addAll(List.of("--streams-per-connection", Integer.toString(streams)));
        }
        if (opts.containsKey("api-key")) {
            cmd.addAll(List.of("--api-key", opts.get("api-key")));
        }
        if (telephony) {
            cmd.addAll(List.of("--audio", "mulaw"));
        }
        String name = (telephony ? "telephony" : viaGateway ? target.path() : "direct") + "-" + chunkMs + "ms-" + sessions
                + suffix;
        log.printf("pass %s ...%n", name);
        Process loadgen = new ProcessBuilder(cmd).redirectError(out.resolve(name + ".err").toFile()).start();
        Writer toLoadgen = new OutputStreamWriter(loadgen.getOutputStream(), StandardCharsets.UTF_8);
        long gatewayPid = viaGateway ? target.process().pid() : gateway.pid();
        double gwCpuStart = 0;
        double emuCpuStart = 0;
        double genCpuStart = 0;
        long[] machineStart = null;
        RelayHistogram relayStart = null;
        Map<String, Object> window = new LinkedHashMap<>();
        Map<String, Object> relay = null;
        Map<String, Object> result = null;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(loadgen.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.startsWith("PHASE measure-start")) {
                    if (profiling(viaGateway, name)) {
                        if (asyncProfiler != null) {
                            asyncProfiler.start(gatewayPid);
                        } else {
                            jcmd(gatewayPid, "JFR.start", "name=bench", "settings=profile");
                        }
                    }
                    // Scraped before the CPU readings start: the scrape's own cost stays out of the window.
                    relayStart = viaGateway ? RelayHistogram.scrape(target.managementPort()) : null;
                    gwCpuStart = ProcStats.cpuSeconds(gatewayPid);
                    emuCpuStart = ProcStats.cpuSeconds(emulator.pid());
                    genCpuStart = ProcStats.cpuSeconds(loadgen.pid());
                    machineStart = ProcStats.machineTicks();
                } else if (line.startsWith("PHASE measure-end")) {
                    if (profiling(viaGateway, name)) {
                        Path dir = Path.of(opts.get("profile")).toAbsolutePath();
                        Path recording = dir.resolve(name + (asyncProfiler != null ? ".collapsed" : ".jfr"));
                        if (asyncProfiler != null) {
                            asyncProfiler.stop(gatewayPid, recording);
                        } else {
                            jcmd(gatewayPid, "JFR.stop", "name=bench", "filename=" + recording);
                        }
                        log.printf("  profile of the measured window: %s%n", recording);
                    }
                    if (resources != null) {
                        resources.put("gatewayCpuSeconds", ProcStats.cpuSeconds(gatewayPid) - gwCpuStart);
                    }
                    Map<String, Object> cpu = new LinkedHashMap<>();
                    cpu.put("gateway", ProcStats.cpuSeconds(gatewayPid) - gwCpuStart);
                    cpu.put("emulator", ProcStats.cpuSeconds(emulator.pid()) - emuCpuStart);
                    cpu.put("loadGenerator", ProcStats.cpuSeconds(loadgen.pid()) - genCpuStart);
                    long[] machineEnd = ProcStats.machineTicks();
                    if (viaGateway) {
                        window.put("gatewayCpuS", cpu.get("gateway"));
                    }
                    window.put("emulatorCpuS", cpu.get("emulator"));
                    window.put("loadGeneratorCpuS", cpu.get("loadGenerator"));
                    double idle = ProcStats.idlePercent(machineStart, machineEnd);
                    window.put("machineIdlePercent", idle);
                    window.put("machineStealPercent", ProcStats.stealPercent(machineStart, machineEnd));
                    window.put("machineBound", idle < AbReport.MACHINE_BOUND_IDLE_PERCENT);
                    if (viaGateway) {
                        relay = RelayHistogram.window(relayStart, RelayHistogram.scrape(target.managementPort()));
                    }
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
                    result.put("window", window);
                    if (viaGateway) {
                        result.put("relay", relay);
                    }
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

    /** Whether this pass's measured window is profiled (--profile, gateway and baseline passes). */
    private boolean profiling(boolean viaGateway, String pass) {
        return viaGateway && opts.containsKey("profile") && !pass.endsWith("-warmup");
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
        awaitQuiet(gateway);
    }

    /** {@link #awaitQuietGateway()} for any gateway process (the baseline's too). */
    private void awaitQuiet(Process process) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        double before = ProcStats.cpuSeconds(process.pid());
        while (System.nanoTime() < deadline) {
            Thread.sleep(1000);
            double now = ProcStats.cpuSeconds(process.pid());
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
        boolean archive = archiveOption != null && (!keep || archiveForPasses());
        long t0 = System.nanoTime();
        gateway = launchGateway(GATEWAY_JAR, port, managementPort(), upstream, keep, archive,
                out.resolve(keep ? "gateway.log" : "gateway-startup.log"));
        String method = awaitReady(gateway, port, managementPort(), out.resolve("gateway.log"));
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("readyMs", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        s.put("readiness", method);
        s.put("archive", archive);
        s.put("loadAverage", ProcStats.loadAverage());
        return s;
    }

    /**
     * Starts the baseline build (--baseline DIR) beside the gateway: the same JVM options, settings
     * and tenant, its own ports, no start-up archive (see {@link #archiveForPasses()}).
     */
    private Target startBaseline(String upstream) throws Exception {
        Path jar = Path.of(opts.get("baseline")).resolve("quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("--baseline " + opts.get("baseline") + " has no quarkus-run.jar");
        }
        int port = Integer.parseInt(opts.getOrDefault("baseline-port", "18090"));
        int management = Integer.parseInt(opts.getOrDefault("baseline-management-port", Integer.toString(port + 1)));
        Path logFile = out.resolve("baseline.log");
        long t0 = System.nanoTime();
        baselineGateway = launchGateway(jar.toString(), port, management, upstream, true, false, logFile, BASELINE_PROPS);
        awaitReady(baselineGateway, port, management, logFile);
        log.printf("baseline %s started in %d ms%n", jar, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        return new Target(PassPlan.BASELINE, baselineGateway, port, management);
    }

    /** Starts a gateway process from {@code jar} (prod profile, pointing at the emulator). */
    private Process launchGateway(String jar, int port, int management, String upstream, boolean keep,
            boolean archive, Path logFile) throws IOException {
        return launchGateway(jar, port, management, upstream, keep, archive, logFile, List.of());
    }

    /** {@link #launchGateway}, with {@code extraProps} as -D settings after the shared ones. */
    private Process launchGateway(String jar, int port, int management, String upstream, boolean keep,
            boolean archive, Path logFile, List<String> extraProps) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(gatewayJava(), "-Dquarkus.http.port=" + port,
                "-Dquarkus.management.port=" + management,
                "-Dlive-gateway.upstream.mode=emulator", "-Dlive-gateway.upstream.endpoint=" + upstream,
                "-Dlive-gateway.emulator.enabled=false"));
        String jvm = opts.getOrDefault("gateway-jvm", "").strip();
        if (!jvm.isEmpty() && keep) {
            cmd.addAll(Arrays.asList(jvm.split("\\s+")));
        }
        if (archive) {
            cmd.add(archiveOption);
        }
        gatewayProps.forEach(p -> cmd.add("-D" + p));
        extraProps.forEach(p -> cmd.add("-D" + p));
        cmd.addAll(List.of("-jar", jar));
        return start(cmd, logFile);
    }

    /**
     * Waits (up to 60 s) until the gateway is ready: {@code /q/health/ready} on the management
     * port answering 200, or, where that endpoint does not exist (404), the gRPC port accepting a
     * connection. Returns how readiness was told.
     */
    private static String awaitReady(Process process, int port, int management, Path logFile) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the gateway exited during start-up; see " + logFile);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the gateway was not ready within 60 s; see " + logFile);
            }
            int status = httpStatus("http://127.0.0.1:" + management + "/q/health/ready");
            if (status == 200) {
                return "/q/health/ready";
            }
            if (status == 404) {
                awaitPort(port, 60);
                return "gRPC port accepting connections (no /q/health/ready)";
            }
            Thread.sleep(10);
        }
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
        for (Process p : new Process[] {gateway, baselineGateway, emulator}) {
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
