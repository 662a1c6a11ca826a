package dev.livegateway.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a Linux process's CPU time and resident memory from /proc. */
final class ProcStats {

    /** Clock ticks per second of /proc/[pid]/stat; 100 on every mainstream Linux build. */
    static final long CLOCK_TICKS = clockTicks();

    private ProcStats() {}

    /** User + system CPU time consumed so far, in seconds. */
    static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name may contain spaces: fields are counted after its closing parenthesis.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long utime = Long.parseLong(f[11]);
            long stime = Long.parseLong(f[12]);
            return (utime + stime) / (double) CLOCK_TICKS;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** Resident set size in bytes (VmRSS). */
    static long rssBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // process gone
        }
        return -1;
    }

    /**
     * The machine's CPU time so far from the first line of /proc/stat: {total, steal, idle} in
     * clock ticks. Steal is time the hypervisor gave this virtual machine's CPUs to someone else;
     * idle counts idle and iowait (a CPU waiting for a disk could have run the benchmark).
     */
    static long[] machineTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                total += Long.parseLong(f[i]); // user nice system idle iowait irq softirq steal
            }
            long idle = Long.parseLong(f[4]) + (f.length > 5 ? Long.parseLong(f[5]) : 0);
            return new long[] {total, f.length > 8 ? Long.parseLong(f[8]) : 0, idle};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0, 0};
        }
    }

    /** Percentage of the machine's CPU time stolen between two {@link #machineTicks()} readings. */
    static double stealPercent(long[] before, long[] after) {
        long total = after[0] - before[0];
        return total <= 0 ? Double.NaN : 100.0 * (after[1] - before[1]) / total;
    }

    /**
     * Percentage of the machine's CPU time left idle between two {@link #machineTicks()} readings:
     * near zero, every process on the box (not only the gateway) was short of CPU.
     */
    static double idlePercent(long[] before, long[] after) {
        long total = after[0] - before[0];
        return total <= 0 ? Double.NaN : 100.0 * (after[2] - before[2]) / total;
    }

    /** The 1-minute load average. */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private static long clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            p.waitFor();
            return Long.parseLong(out);
        } catch (Exception e) {
            return 100;
        }
    }
}
