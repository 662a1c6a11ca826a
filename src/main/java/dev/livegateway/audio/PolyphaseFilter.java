package dev.livegateway.audio;

/**
 * Computes a {@link Resampler}'s output samples from its kept input: for a run of consecutive outputs,
 * each Σ_t c[p][t] · x[first + t] over the T taps of its phase p, in float, from 0, taps in ascending
 * order, then rounded half up (⌊v + ½⌋, exact in double) and saturated to PCM16. Every path computes
 * exactly these operations for every output, so the bytes do not depend on the chunking, nor on
 * which path, lane or class computes an output. One instance per resampler (its scratch buffers);
 * not thread-safe.
 *
 * <h2>Vector path (L ≤ {@value #MAX_VECTOR_UP}: every pair of 8, 16, 24, 32, 48 kHz, and within the
 * 11.025, 22.05, 44.1 kHz family)</h2>
 * The outputs of a run fall in L classes (every L-th output): one phase each, their newest inputs M
 * apart. A class is computed "vertically": for each tap, one multiply-add over all its outputs at
 * once, a loop over contiguous memory that C2 turns into SIMD (AVX2/AVX-512) instructions. Java does
 * not contract a·b + c into a fused multiply-add, so a SIMD lane computes the same bits as scalar
 * code. C2's SuperWord (JDK 17) only vectorises such a loop when every array in it is indexed with
 * the same index (not when a load is offset from the store by a variable), so the input is laid out
 * for that: S + 3 shifted rows of the input (S ≥ {@value #SHIFTS}, a multiple of M),
 * shifted[u][i] = input base + u + i M, filled by one System.arraycopy each from the resampler's M
 * polyphase streams; tap t of lane k, with delta + t = g S + u, is shifted[u][g S / M + k], so four
 * consecutive taps (u to u + 3) read at the accumulator's index when the accumulator holds lane k at
 * g S / M + k; when g steps, the accumulator moves by S / M (one arraycopy of the lanes).
 *
 * <h2>Scalar path (the ratios between the 44.1 kHz family and the others, L = 80 to 441)</h2>
 * Their classes hold one or two outputs per 20 ms chunk, too few for lanes: output by output, four at
 * a time so that their independent sums overlap in the CPU.
 */
final class PolyphaseFilter {

    /**
     * Outputs of one class are computed in whole multiples of this many lanes (the extra ones read
     * stale but finite buffer contents and are not written out), so that C2's vectorised loop never
     * ends in a scalar tail.
     */
    static final int LANES = 32;
    /** Ratios with more phases than this take the scalar path. */
    static final int MAX_VECTOR_UP = 8;
    /** Shifted input rows, at least. */
    private static final int SHIFTS = 8;

    private final FilterDesign design;
    private final int ways;
    private final int stride;
    /** S: a multiple of M, at least {@link #SHIFTS} (vector path). */
    private final int span;
    /** The S + 3 shifted input rows of a run (vector path). */
    private final float[][] shifted;
    /** The outputs of one class being computed, at a moving position (vector path). */
    private final float[] acc;

    /**
     * The number of polyphase streams the resampler keeps its input in for this design: M on the
     * vector path (so that a class's lanes, M inputs apart, are contiguous), 1 on the scalar path.
     */
    static int ways(FilterDesign design) {
        return design.up <= MAX_VECTOR_UP ? design.down : 1;
    }

    /**
     * @param block the most input samples added to the kept input between two runs
     * @param stride the distance between the resampler's polyphase streams in its buffer
     */
    PolyphaseFilter(FilterDesign design, int block, int stride) {
        this.design = design;
        this.ways = ways(design);
        this.stride = stride;
        if (design.up > MAX_VECTOR_UP) {
            span = 0;
            shifted = null;
            acc = null;
        } else {
            int m = design.down;
            span = m * ((SHIFTS + m - 1) / m);
            int length = (design.taps + 2 * m + span) / m + block / m + 4 + LANES;
            shifted = new float[span + 3][length];
            acc = new float[length];
        }
    }

    /**
     * Writes {@code count} outputs as PCM16 at out[o..]: the first has its newest input at {@code e}
     * (an index of the kept input, {@code len} samples in {@code ways(design)} streams) and phase
     * {@code ph}; each next one M / L inputs later.
     */
    void compute(float[] buf, int len, int e, int ph, int count, byte[] out, int o) {
        final int up = design.up;
        final int down = design.down;
        final int taps = design.taps;
        if (up > MAX_VECTOR_UP) {
            scalar(buf, out, o, e, ph, count);
            return;
        }
        int base = e - taps + 1;
        shift(buf, base, len);
        for (int s = 0; s < Math.min(up, count); s++) {
            int j = ph + s * down;
            int lanes = (count - s + up - 1) / up;
            int at = filter(e + j / up - taps + 1 - base, j % up, lanes);
            write(out, o + 2 * s, 2 * up, at, lanes);
        }
    }

    /**
     * Fills the S shifted rows from the kept input from base on: shifted[u][i] = input base + u + i M,
     * each one System.arraycopy from its stream, with a few stale (finite) samples after the end,
     * which only the rounding-up lanes of {@link #filter} read.
     */
    private void shift(float[] buf, int base, int len) {
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
     * <p>Four taps per pass over the lanes, each pass indexing every array with the same index (see
     * the class comment); a last pass of one to three taps adds exact zeros for the missing ones. The
     * lane count is rounded up to whole vectors: the extra lanes compute garbage that is not written.
     */
    private int filter(int delta, int p, int lanes) {
        final float[] a = acc;
        final float[] c = design.coefficients;
        final float[][] y = shifted;
        final int rows = span;
        final int step = rows / design.down;
        final int taps = design.taps;
        final int n = (lanes + LANES - 1) & -LANES;
        final int cp = p * taps;
        int g = delta / rows;
        int at = g * step;
        java.util.Arrays.fill(a, at, at + n, 0f);
        for (int t = 0; t < taps; t += 4) {
            int d = delta + t;
            if (d >= (g + 1) * rows) {
                System.arraycopy(a, at, a, at + step, n);
                at += step;
                g++;
            }
            int u = d - g * rows; // < S, so u + 3 is a row too
            if (t + 4 <= taps) {
                taps4(a, at, n, y[u], y[u + 1], y[u + 2], y[u + 3],
                        c[cp + t], c[cp + t + 1], c[cp + t + 2], c[cp + t + 3]);
            } else { // the last one to three taps; a zero coefficient adds an exact zero
                taps4(a, at, n, y[u], y[u + 1], y[u + 2], y[u + 3], c[cp + t],
                        t + 1 < taps ? c[cp + t + 1] : 0f, t + 2 < taps ? c[cp + t + 2] : 0f, 0f);
            }
        }
        return at;
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

    /** The scalar path: output by output, four at a time (see the class comment). */
    private void scalar(float[] buf, byte[] out, int o, int e, int ph, int count) {
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

}
