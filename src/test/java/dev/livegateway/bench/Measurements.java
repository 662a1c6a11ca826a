package dev.livegateway.bench;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What one pass measures, shared by all its sessions (written from the event loops). The window is
 * defined in <em>scheduled</em> send time: a chunk belongs to the measurement when it was due to be
 * sent inside the window, whenever it actually left, so a stalled sender cannot hide latency
 * (coordinated omission).
 */
final class Measurements {

    private static final long HIGHEST = TimeUnit.SECONDS.toNanos(60);

    final Recorder audioRoundTrip = new Recorder(HIGHEST, 3);
    final Recorder textFirstReply = new Recorder(HIGHEST, 3);
    final LongAdder audioSent = new LongAdder();
    final LongAdder audioEchoed = new LongAdder();
    final LongAdder textSent = new LongAdder();
    /** Every message received in the window (echoes, text, transcripts, control), for throughput. */
    final LongAdder received = new LongAdder();
    final LongAdder unexpectedEchoes = new LongAdder();
    final LongAdder openFailures = new LongAdder();
    final LongAdder streamFailures = new LongAdder();
    final Map<String, LongAdder> failureReasons = new ConcurrentHashMap<>();

    private volatile long windowStart = Long.MAX_VALUE;
    private volatile long windowEnd = Long.MAX_VALUE;

    void window(long startNanos, long endNanos) {
        windowEnd = endNanos;
        windowStart = startNanos;
    }

    boolean inWindow(long scheduledNanos) {
        return scheduledNanos >= windowStart && scheduledNanos < windowEnd;
    }

    boolean receivedInWindow() {
        long now = System.nanoTime();
        return now >= windowStart && now < windowEnd;
    }

    void failure(String reason, boolean atOpen) {
        (atOpen ? openFailures : streamFailures).increment();
        String key = reason.length() > 160 ? reason.substring(0, 160) : reason;
        failureReasons.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    static Histogram snapshot(Recorder recorder) {
        return recorder.getIntervalHistogram();
    }
}
