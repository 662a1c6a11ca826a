package dev.livegateway.audio;


/**
 * A streaming sample-rate converter for PCM16 mono (signed 16-bit little-endian) between any two of
 * the rates of {@link AudioFormat#PCM_RATES}: a band-limited polyphase FIR filter at the rational ratio
 * L/M = (out/g)/(in/g), g = gcd(in, out). One instance converts one stream; it is not thread-safe.
 *
 * <h2>Filter</h2>
 * One linear-phase low-pass prototype per rate pair, designed at the upsampled rate L·in by the
 * window method (ideal sinc × Kaiser window), then split into L phases of T taps:
 * <ul>
 *   <li>pass band up to {@value #PASS_EDGE} × the lower of the two rates (3.2 kHz for 8 kHz telephony,
 *       6.4 kHz for the Live API's 16 kHz), stop band from the lower rate's Nyquist frequency
 *       ({@value #STOP_EDGE} × the lower rate), cutoff half-way between;</li>
 *   <li>Kaiser window for {@value #ATTENUATION_DB} dB stop-band attenuation (β = 0.1102 (A − 8.7)),
 *       length by Kaiser's formula N = (A − 7.95) / (2.285 Δω) + 1 rounded up to odd, so that the
 *       group delay (N − 1) / 2 is a whole number of samples at the upsampled rate and is compensated:
 *       output sample n is the signal at input time n·M/L, no added delay; the first output samples
 *       look ahead by about half the filter (0.7 ms for 48 → 16 kHz, 2.9 ms for 8 → 16 kHz);</li>
 *   <li>taps per output sample T = ⌈N / L⌉, about 48 × (input rate / lower rate): 48 for 8 → 16 kHz and
 *       24 → 48 kHz, 143 for 48 → 16 kHz and 24 → 8 kHz, 129 for 44.1 → 16 kHz (20,597 taps in 160
 *       phases); a design takes at most about 100 ms (cold JVM, 30,000 taps), once per rate pair per
 *       process;</li>
 *   <li>fixed point: coefficients rounded to Q{@value #COEFFICIENT_BITS} integers, each phase adjusted to
 *       sum to exactly 1.0 (DC gain 1 in every phase, so a constant stays exactly constant and no tone at
 *       the phase rate appears), dot products exact in 64-bit integers, rounded half up and saturated to
 *       16 bits. Integer arithmetic makes the output bit-exact for any chunking of the input. Symmetric
 *       phases (all of them for pure decimation and for doubling) are folded: one multiplication per
 *       two mirrored taps, the same exact sum.</li>
 * </ul>
 * Measured by the tests: pass band within 0.1 dB, images and aliases ≥ 60 dB down, ≥ 70 dB SNR against
 * a double-precision sinc interpolation for a speech-like signal (75–79 dB measured; the Kaiser
 * pass-band ripple, about −75 dB, and the 16-bit output rounding are the limit). Designs are cached per rate pair and
 * shared (immutable) by all instances.
 *
 * <h2>Stream</h2>
 * The state (the last T input samples and the filter phase) carries across calls to {@link #process},
 * so converting in any chunking gives exactly the bytes of converting in one call. {@link #flush}
 * ends the stream at a turn end: it feeds silence until all ⌈inputSamples × L / M⌉ output samples of
 * the stream are out, then starts a new stream. {@link #reset} drops the state without output (barge-in:
 * no stale tail). Same rate in and out is the identity: {@link #process(byte[])} returns its argument.
 * No allocation per chunk beyond the returned array; the offset methods allocate nothing.
 *
 * <p>Hand-written because no maintained pure-Java resampler is on Maven Central (TarsosDSP and JSSRC
 * are not published there, checked with {@code dependency:get}; javax.sound.sampled offers rate
 * conversion only inside AudioInputStream pipelines, with no chunk-exact streaming state).
 */
public final class Resampler {

    /** Pass-band edge as a fraction of the lower of the two rates. */
    public static final double PASS_EDGE = 0.40;
    /** Stop-band edge as a fraction of the lower of the two rates (its Nyquist frequency). */
    public static final double STOP_EDGE = 0.50;
    /** Kaiser design stop-band attenuation in dB. */
    public static final double ATTENUATION_DB = 75;

    /** Input samples taken per inner block: bounds the working buffers, not the chunk size. */
    private static final int BLOCK = 512;
    /**
     * Outputs of one class are computed in whole multiples of this many lanes (the extra ones are
     * dropped), so that C2's vectorised loop never ends in a scalar tail.
     */
    private static final int LANES = 32;
    /** Ratios with more phases than this (the 44.1 kHz family with the others) take {@link #scalar}. */
    private static final int MAX_VECTOR_UP = 8;
    /** Shifted input rows per run, at least (see {@link #filter}); rounded up to a multiple of M. */
    private static final int SHIFTS = 8;

    private final int inRate;
    private final int outRate;
    private final FilterDesign design;
    /**
     * The input samples kept, as floats, split into {@code ways} polyphase streams {@code stride}
     * apart: input i (counted from the oldest kept) at buf[(i mod ways) × stride + i div ways];
     * ways = M on the vector path (so that a class's lanes, M inputs apart, are contiguous), 1 on the
     * scalar path. Null for the identity.
     */
    private final float[] buf;
    private final int ways;
    private final int stride;
    /**
     * S = {@link #SHIFTS} rounded up to a multiple of M input rows of the run (see {@link #filter}):
     * shifted[u][i] = buf[base + u + i M], base the first input of the run's first output.
     */
    private final float[][] shifted;
    /** The outputs of one class being computed, at a moving position (see {@link #filter}). */
    private final float[] acc;
    private int bufLength;
    /** Index in buf of the newest input sample the next output's dot product ends at. */
    private int end;
    /** Filter phase of the next output, 0..L-1. */
    private int phase;
    /** Input samples taken and output samples produced since the stream (re)started. */
    private long inCount;
    private long outCount;

    /**
     * A converter from {@code inRate} to {@code outRate}, both one of {@link AudioFormat#PCM_RATES}.
     *
     * @throws IllegalArgumentException naming the allowed rates if either is not one of them
     */
    public Resampler(int inRate, int outRate) {
        AudioFormat.checkPcmRate(inRate, "input");
        AudioFormat.checkPcmRate(outRate, "output");
        this.inRate = inRate;
        this.outRate = outRate;
        if (inRate == outRate) {
            design = null;
            buf = null;
            ways = 0;
            stride = 0;
            shifted = null;
            acc = null;
        } else {
            design = FilterDesign.of(inRate, outRate);
            int m = design.down;
            boolean vector = design.up <= MAX_VECTOR_UP;
            ways = vector ? m : 1;
            stride = (design.taps + BLOCK + ways) / ways + 2 + LANES;
            buf = new float[ways * stride];
            if (!vector) {
                shifted = null;
                acc = null;
            } else {
                int group = m % 4 == 0 ? m : m % 2 == 0 ? 2 * m : 4 * m; // lcm(4, M)
                int rows = group * ((SHIFTS + group - 1) / group);
                int length = (design.taps + 2 * m + rows) / m + BLOCK / m + 4 + LANES;
                shifted = new float[rows][length];
                acc = new float[length];
            }
            reset();
        }
    }

    public int inputRate() {
        return inRate;
    }

    public int outputRate() {
        return outRate;
    }

    /** Whether this converter passes audio through unchanged (same rate in and out). */
    public boolean isIdentity() {
        return design == null;
    }

    /** The shared filter design (null for the identity): for tests and documentation. */
    FilterDesign design() {
        return design;
    }

    /**
     * Upper bound of the output samples of one {@link #process} call with {@code inputSamples} input
     * samples, whatever the state: ⌈inputSamples × L / M⌉.
     */
    public int outputLength(int inputSamples) {
        if (design == null) {
            return inputSamples;
        }
        return (int) ceilDiv((long) inputSamples * design.up, design.down);
    }

    /** Upper bound of the output samples of {@link #flush()}, whatever the state. */
    public int flushLength() {
        return design == null ? 0 : (int) ceilDiv((long) design.delay, design.down) + 1;
    }

    /** The exact number of output samples the next {@code process} call with this input will produce. */
    public int exactOutputLength(int inputSamples) {
        if (design == null) {
            return inputSamples;
        }
        return (int) (available(inCount + inputSamples) - outCount);
    }

    /** The exact number of output samples {@link #flush()} would produce now. */
    public int exactFlushLength() {
        return design == null ? 0 : (int) (ceilDiv(inCount * design.up, design.down) - outCount);
    }

    /** Output samples computable from the first {@code inputs} input samples (the others unknown). */
    private long available(long inputs) {
        // output n needs input floor((n M + D) / L) < inputs, i.e. n M + D < inputs L
        long numerator = inputs * design.up - design.delay;
        return numerator <= 0 ? 0 : ceilDiv(numerator, design.down);
    }

    /**
     * Converts a chunk of PCM16 little-endian samples, returning the new output samples (possibly
     * none); the identity returns {@code in} itself.
     *
     * @throws IllegalArgumentException if {@code in} holds an odd number of bytes
     */
    public byte[] process(byte[] in) {
        G711.checkEven(in.length);
        if (design == null) {
            return in;
        }
        byte[] out = new byte[2 * exactOutputLength(in.length >> 1)];
        process(in, 0, in.length, out, 0);
        return out;
    }

    /**
     * Converts {@code in[inOffset..inOffset+byteLength)} (PCM16 little-endian) into
     * {@code out[outOffset..]}, which needs room for {@code 2 × outputLength(byteLength / 2)} bytes
     * (exactly {@code 2 × exactOutputLength(byteLength / 2)} are written).
     *
     * @return the number of bytes written
     * @throws IllegalArgumentException if {@code byteLength} is odd
     */
    public int process(byte[] in, int inOffset, int byteLength, byte[] out, int outOffset) {
        G711.checkEven(byteLength);
        G711.checkRange(in, inOffset, byteLength);
        if (design == null) {
            G711.checkRange(out, outOffset, byteLength);
            System.arraycopy(in, inOffset, out, outOffset, byteLength);
            return byteLength;
        }
        G711.checkRange(out, outOffset, 2 * exactOutputLength(byteLength >> 1));
        int samples = byteLength >> 1;
        int o = outOffset;
        int p = inOffset;
        while (samples > 0) {
            int n = Math.min(samples, BLOCK);
            final float[] b = buf;
            final int w = ways;
            if (w == 1) {
                for (int i = bufLength, last = bufLength + n; i < last; i++, p += 2) {
                    b[i] = (short) ((in[p] & 0xFF) | in[p + 1] << 8);
                }
            } else { // sample bufLength + k into stream r at q: index r × stride + q
                int r = bufLength % w;
                int i = r * stride + bufLength / w;
                for (int k = 0; k < n; k++, p += 2) {
                    b[i] = (short) ((in[p] & 0xFF) | in[p + 1] << 8);
                    i += stride;
                    if (++r == w) {
                        r = 0;
                        i -= w * stride - 1;
                    }
                }
            }
            bufLength += n;
            inCount += n;
            samples -= n;
            o = run(out, o, Long.MAX_VALUE);
        }
        return o - outOffset;
    }

    /**
     * Ends the stream (turn end): returns the remaining output samples, computed with silence after the
     * last input, so the stream's output totals ⌈inputSamples × L / M⌉ samples; then starts a new stream
     * as {@link #reset} does. The identity returns an empty array.
     */
    public byte[] flush() {
        byte[] out = new byte[2 * exactFlushLength()];
        flush(out, 0);
        return out;
    }

    /**
     * {@link #flush()} into {@code out[outOffset..]}, which needs room for {@code 2 × flushLength()}
     * bytes.
     *
     * @return the number of bytes written
     */
    public int flush(byte[] out, int outOffset) {
        if (design == null) {
            return 0;
        }
        long target = ceilDiv(inCount * design.up, design.down);
        G711.checkRange(out, outOffset, (int) (2 * (target - outCount)));
        int o = outOffset;
        while (outCount < target) {
            for (int i = bufLength; i < bufLength + BLOCK; i++) { // silence; not counted as input
                buf[(i % ways) * stride + i / ways] = 0;
            }
            bufLength += BLOCK;
            o = run(out, o, target);
        }
        reset();
        return o - outOffset;
    }

    /** Drops the state (buffered input and phase) without output and starts a new stream. */
    public void reset() {
        if (design == null) {
            return;
        }
        // T - 1 zeros of history before the first input sample; output 0 is centred on input 0
        java.util.Arrays.fill(buf, 0);
        bufLength = design.taps - 1;
        int d = design.delay;
        end = bufLength + d / design.up;
        phase = d % design.up;
        inCount = 0;
        outCount = 0;
    }

    /**
     * Computes the outputs whose input is all in the buffer (up to output index {@code limit}), writes
     * them at {@code out[o..]}, then drops the input no later output needs. The outputs of one run fall
     * in L classes (every L-th output, starting at the run's first, second, ...): one filter phase each,
     * their newest inputs M apart, so each class is one vertical pass over contiguous input (a polyphase
     * stream of the input when M > 1).
     */
    private int run(byte[] out, int o, long limit) {
        final int up = design.up;
        final int down = design.down;
        int e = end;
        int ph = phase;
        int len = bufLength;
        // output n (from this run's first) has its newest input at e + (ph + n M) / L: count those < len
        long ready = e < len ? ceilDiv((long) (len - e) * up - ph, down) : 0;
        int count = (int) Math.min(ready, limit - outCount);
        if (count > 0 && up > MAX_VECTOR_UP) {
            scalar(out, o, e, ph, count);
            o += 2 * count;
            long j = ph + (long) count * down;
            e += (int) (j / up);
            ph = (int) (j % up);
            outCount += count;
        } else if (count > 0) {
            int base = e - design.taps + 1;
            shift(base, len);
            for (int s = 0; s < Math.min(up, count); s++) {
                int j = ph + s * down;
                int lanes = (count - s + up - 1) / up;
                int at = filter(e + j / up - design.taps + 1 - base, j % up, lanes);
                write(out, o + 2 * s, 2 * up, at, lanes);
            }
            o += 2 * count;
            long j = ph + (long) count * down;
            e += (int) (j / up);
            ph = (int) (j % up);
            outCount += count;
        }
        // keep from the first sample the next output needs (or everything, if it needs future input),
        // dropping whole rows of the streams
        int drop = Math.min(e - design.taps + 1, len) / ways;
        if (drop > 0) {
            int keep = (len + ways - 1) / ways - drop;
            for (int r = 0; r < ways; r++) {
                System.arraycopy(buf, r * stride + drop, buf, r * stride, keep);
            }
            len -= drop * ways;
            e -= drop * ways;
        }
        end = e;
        phase = ph;
        bufLength = len;
        return o;
    }

    /**
     * Fills the S shifted rows from the kept input from base on: shifted[u][i] = input base + u + i M,
     * each one System.arraycopy from its stream, with a few stale (finite) samples after the end,
     * which only the rounding-up lanes of {@link #filter} read.
     */
    private void shift(int base, int len) {
        final int w = ways;
        final float[][] y = shifted;
        for (int u = 0; u < y.length; u++) {
            int from = base + u;
            int count = Math.max(0, (len - from + w - 1) / w) + LANES;
            System.arraycopy(buf, (from % w) * stride + from / w, y[u], 0, count);
        }
    }

    /**
     * Computes one class of outputs into acc and returns the position of its first: lane k at
     * acc[at + k] = Σ_t c[p][t] · input[first + t + k M] for k &lt; lanes, first = base + delta, each in
     * float, from 0, taps in ascending order: the same operations, so the same bits, whichever lane,
     * class or chunking computes an output (and as {@link #scalar}).
     *
     * <p>The multiply-add loops index every array with the same index: the only shape C2's SuperWord
     * vectorises on JDK 17 (not when a load is offset from the store by a variable). Tap t of lane k
     * is input base + d + k M with d = delta + t; writing d = g S + u (u &lt; S, S a multiple of M), that
     * is shifted[u][g S / M + k]. So the taps of one group g all read their rows at the same index as
     * acc when acc holds lane k at g S / M + k; between groups acc moves by S / M (one arraycopy). The
     * lane count is rounded up to whole vectors: the extra lanes compute garbage that is not written.
     */
    private int filter(int delta, int p, int lanes) {
        final float[] a = acc;
        final float[] c = design.coefficients;
        final float[][] y = shifted;
        final int rows = y.length;
        final int step = rows / design.down;
        final int taps = design.taps;
        final int n = (lanes + LANES - 1) & -LANES;
        final int cp = p * taps;
        int g = delta / rows;
        int at = g * step;
        java.util.Arrays.fill(a, at, at + n, 0f);
        int t = 0;
        while (true) {
            int u = delta + t - g * rows;
            int end = Math.min(taps, (g + 1) * rows - delta);
            for (; t + 4 <= end; t += 4, u += 4) {
                taps4(a, at, n, y[u], y[u + 1], y[u + 2], y[u + 3],
                        c[cp + t], c[cp + t + 1], c[cp + t + 2], c[cp + t + 3]);
            }
            for (; t < end; t++, u++) {
                tap(a, at, n, y[u], c[cp + t]);
            }
            if (t == taps) {
                return at;
            }
            System.arraycopy(a, at, a, at + step, n);
            at += step;
            g++;
        }
    }

    private static void taps4(float[] a, int from, int n, float[] x0, float[] x1, float[] x2, float[] x3,
            float c0, float c1, float c2, float c3) {
        for (int j = from; j < from + n; j++) {
            float v = a[j];
            v += c0 * x0[j];
            v += c1 * x1[j];
            v += c2 * x2[j];
            v += c3 * x3[j];
            a[j] = v;
        }
    }

    private static void tap(float[] a, int from, int n, float[] x0, float c0) {
        for (int j = from; j < from + n; j++) {
            a[j] += c0 * x0[j];
        }
    }

    /**
     * The same outputs as {@link #filter} for ratios with many phases (the 44.1 kHz family with the
     * others: L = 80 to 441), whose classes hold one or two outputs per chunk: output by output, four
     * at a time so that their independent sums overlap in the CPU, each the same float sum in the
     * same order as {@link #filter}'s.
     */
    private void scalar(byte[] out, int o, int e, int ph, int count) {
        final float[] b = buf;
        final float[] c = design.coefficients;
        final int taps = design.taps;
        final int up = design.up;
        final int stepWhole = design.down / up;
        final int stepPart = design.down % up;
        for (int n = 0; n < count; ) {
            int group = Math.min(4, count - n);
            int b0 = e - taps + 1;
            int c0 = ph * taps;
            int b1 = b0;
            int c1 = c0;
            int b2 = b0;
            int c2 = c0;
            int b3 = b0;
            int c3 = c0;
            for (int g = 0; g < group; g++) {
                if (g == 1) {
                    b1 = e - taps + 1;
                    c1 = ph * taps;
                } else if (g == 2) {
                    b2 = e - taps + 1;
                    c2 = ph * taps;
                } else if (g == 3) {
                    b3 = e - taps + 1;
                    c3 = ph * taps;
                }
                e += stepWhole;
                ph += stepPart;
                if (ph >= up) {
                    ph -= up;
                    e++;
                }
            }
            float a0 = 0;
            float a1 = 0;
            float a2 = 0;
            float a3 = 0;
            for (int t = 0; t < taps; t++) {
                a0 += c[c0 + t] * b[b0 + t];
                a1 += c[c1 + t] * b[b1 + t];
                a2 += c[c2 + t] * b[b2 + t];
                a3 += c[c3 + t] * b[b3 + t];
            }
            put(out, o, a0);
            if (group > 1) {
                put(out, o + 2, a1);
            }
            if (group > 2) {
                put(out, o + 4, a2);
            }
            if (group > 3) {
                put(out, o + 6, a3);
            }
            o += 2 * group;
            n += group;
        }
    }

    /**
     * Writes acc[0..lanes) as PCM16 at out[pos], out[pos + step], ...: rounded half up
     * (⌊v + ½⌋, exact in double) and saturated to 16 bits.
     */
    private void write(byte[] out, int pos, int step, int at, int lanes) {
        final float[] a = acc;
        for (int k = at; k < at + lanes; k++, pos += step) {
            put(out, pos, a[k]);
        }
    }

    /** Writes v as PCM16 at out[pos]: rounded half up (⌊v + ½⌋, exact in double), saturated. */
    private static void put(byte[] out, int pos, float v) {
        int s = Math.max(0, Math.min(0xFFFF, (int) ((double) v + 32768.5))) - 32768;
        out[pos] = (byte) s;
        out[pos + 1] = (byte) (s >> 8);
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }

    @Override
    public String toString() {
        return design == null ? "Resampler[" + inRate + " Hz, identity]"
                : "Resampler[" + inRate + " -> " + outRate + " Hz, " + design + "]";
    }
}
