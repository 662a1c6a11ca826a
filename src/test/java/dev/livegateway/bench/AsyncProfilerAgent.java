package dev.livegateway.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * async-profiler's agent (the {@code tools.profiler:async-profiler} jar on the benchmark's class path
 * carries the native library), loaded into a running JVM with {@code jcmd PID JVMTI.agent_load} to
 * profile a window of CPU time: {@link #start} at the window's start, {@link #stop} writes the
 * collapsed stacks that {@link CpuProfileLayers} splits by layer. CPU mode samples with perf events
 * where the kernel allows it (kernel frames included) and a CPU timer otherwise.
 */
final class AsyncProfilerAgent {

    private final Path library;

    private AsyncProfilerAgent(Path library) {
        this.library = library;
    }

    /** Extracts the agent for this machine (Linux x86-64 or arm64) into {@code directory}. */
    static AsyncProfilerAgent extractTo(Path directory) throws IOException {
        String arch = System.getProperty("os.arch").contains("aarch64") ? "linux-arm64" : "linux-x64";
        String resource = "/" + arch + "/libasyncProfiler.so";
        try (InputStream in = AsyncProfilerAgent.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the class path: is the tools.profiler:async-profiler"
                        + " test dependency in target/bench.classpath? Rebuild it with bench/run.sh.");
            }
            Path target = directory.toAbsolutePath().resolve("libasyncProfiler.so");
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            return new AsyncProfilerAgent(target);
        }
    }

    /** Starts CPU sampling every millisecond in the JVM {@code pid}. */
    void start(long pid) throws IOException, InterruptedException {
        agentLoad(pid, "start,event=cpu,interval=1ms");
    }

    /** Stops sampling and writes the collapsed stacks of what was sampled to {@code collapsed}. */
    void stop(long pid, Path collapsed) throws IOException, InterruptedException {
        agentLoad(pid, "stop,file=" + collapsed.toAbsolutePath() + ",collapsed");
    }

    private void agentLoad(long pid, String options) throws IOException, InterruptedException {
        // jcmd splits its arguments at '=' unless quoted: the agent's options travel as one quoted string.
        List<String> cmd = List.of("jcmd", Long.toString(pid), "JVMTI.agent_load", library.toString(), "\"" + options + "\"");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0 || text.contains("[ERROR]")) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + text.strip());
        }
    }
}
