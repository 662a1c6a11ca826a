package dev.livegateway.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Splits an async-profiler CPU profile of the gateway (collapsed stacks, {@code bench/run.sh
 * --profile DIR --profiler async}) by layer. Unlike JFR's native-method samples, which count a
 * thread sitting in a system call whether or not it runs, async-profiler samples CPU time (perf
 * events, or a CPU timer where perf is not allowed) and sees kernel frames: kernel time is split by
 * the system call that spent it (the socket writes, reads, epoll, the rest), user time by the layer
 * of the frame nearest the leaf that belongs to a known package ({@link JfrLayers}' layers), JVM
 * threads (GC, JIT) on their own. With the pass's CPU seconds and relayed messages, each share
 * becomes µs per relayed message. Prints a markdown table.
 *
 * <pre>java -cp ... dev.livegateway.bench.CpuProfileLayers PROFILE.collapsed [CPU_SECONDS MESSAGES]</pre>
 */
public final class CpuProfileLayers {

    /** Kernel time by the JDK or Netty native method that entered the kernel, most specific first. */
    private static final List<String[]> SYSCALLS = List.of(
            new String[] {"writev", "kernel: socket writev (HTTP/2 to callers, gathered)"},
            new String[] {"write", "kernel: socket write (one per WebSocket frame)"},
            new String[] {"send", "kernel: socket write (one per WebSocket frame)"},
            new String[] {"read", "kernel: socket read"},
            new String[] {"recv", "kernel: socket read"},
            new String[] {"epoll", "kernel: epoll (event loop waits and wake-ups)"},
            new String[] {"futex", "kernel: futex (thread wake-ups)"});

    private CpuProfileLayers() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1 && args.length != 3) {
            System.err.println("usage: CpuProfileLayers PROFILE.collapsed [CPU_SECONDS MESSAGES]");
            System.exit(2);
        }
        Map<String, Long> samples = new TreeMap<>();
        long total = 0;
        for (String line : Files.readAllLines(Path.of(args[0]))) {
            int space = line.lastIndexOf(' ');
            if (space < 0) {
                continue;
            }
            long count = Long.parseLong(line.substring(space + 1).strip());
            samples.merge(layer(line.substring(0, space).split(";")), count, Long::sum);
            total += count;
        }
        double cpuSeconds = args.length == 3 ? Double.parseDouble(args[1]) : 0;
        double messages = args.length == 3 ? Double.parseDouble(args[2]) : 0;
        Map<String, Long> rows = new LinkedHashMap<>();
        samples.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> rows.put(e.getKey(), e.getValue()));
        System.out.printf("%d CPU samples in %s%n%n", total, args[0]);
        System.out.println(messages > 0 ? "| layer | CPU share | CPU µs / relayed message |" : "| layer | CPU share |");
        System.out.println(messages > 0 ? "|---|---:|---:|" : "|---|---:|");
        for (Map.Entry<String, Long> row : rows.entrySet()) {
            double share = total == 0 ? 0 : (double) row.getValue() / total;
            if (messages > 0) {
                System.out.printf("| %s | %.1f %% | %.2f |%n", row.getKey(), 100 * share, share * cpuSeconds * 1e6 / messages);
            } else {
                System.out.printf("| %s | %.1f %% |%n", row.getKey(), 100 * share);
            }
        }
        if (messages > 0) {
            System.out.printf("| **total** | 100 %% | %.2f |%n", cpuSeconds * 1e6 / messages);
        }
    }

    /** The layer of one stack, root first as async-profiler writes it. */
    static String layer(String[] frames) {
        if (frames.length > 0 && frames[frames.length - 1].endsWith("_[k]")) {
            // Kernel: named by the nearest user-space frame that made the system call.
            for (int i = frames.length - 1; i >= 0; i--) {
                if (!frames[i].endsWith("_[k]")) {
                    String caller = frames[i].toLowerCase(java.util.Locale.ROOT);
                    for (String[] syscall : SYSCALLS) {
                        if (caller.contains(syscall[0])) {
                            return syscall[1];
                        }
                    }
                    break;
                }
            }
            return "kernel: other";
        }
        boolean java = false;
        for (int i = frames.length - 1; i >= 0; i--) {
            String name = frames[i].replace('/', '.');
            java |= name.contains(".");
            String layer = JfrLayers.layerOfFrame(name);
            if (layer != null) {
                return layer;
            }
        }
        // No known package: a JVM thread (GC, JIT compiler, VM operations) or JDK code alone.
        return java ? "JDK (other)" : "JVM (GC, JIT, runtime)";
    }
}
