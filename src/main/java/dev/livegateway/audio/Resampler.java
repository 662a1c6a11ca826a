package dev.livegateway.audio;


/**
 * A streaming sample-rate converter for PCM16 mono (signed 16-bit little-endian) between any two of
 * the rates of {@link AudioFormat#PCM_RATES}: a band-limited polyphase FIR filter at the rational ratio
 * L/M = (out/g)/(in/g), g = gcd(in, out). One instance converts one stream; it is not thread-safe.
 *
 * <h2>Filter</h2>
 * One linear-phase low-pass prototype per rate pair ({@link FilterDesign}: windowed sinc, Kaiser
 * window for {@value #ATTENUATION_DB} dB, pass band to {@value #PASS_EDGE} × the lower rate, stop band
 * from its Nyquist frequency), split into L phases of T taps (48 for 8 → 16 kHz and 24 → 48 kHz, 143
 * for 48 → 16 kHz and 24 → 8 kHz, 129 for 44.1 → 16 kHz). Its group delay is compensated: output
 * sample n is the signal at input time n·M/L, no added delay; the first output samples look ahead by
 * about half the filter (0.7 ms for 48 → 16 kHz, 2.9 ms for 8 → 16 kHz).
 *
 * <h2>Arithmetic</h2>
 * Single-precision float: coefficients (each phase normalised to DC gain 1) and samples in float,
 * each output the float sum of its T products from 0 in ascending tap order, rounded half up and
 * saturated to 16 bits ({@link PolyphaseFilter}). Java evaluates float arithmetic exactly as IEEE 754
 * prescribes, with no fused multiply-add unless asked, so the sum is the same bits in a SIMD lane or
 * in scalar code, and the output is bit-exact for any chunking of the input. Float's 24-bit mantissa
 * puts the arithmetic's error some 100 dB below a full-scale signal, far under the filter's own
 * ripple. The sums are computed class by class over all of a chunk's outputs at once, in loops C2
 * vectorises (AVX2/AVX-512), for every ratio with L ≤ 8 (all pairs of 8, 16, 24, 32, 48 kHz, and
 * within the 11.025, 22.05, 44.1 kHz family); the ratios between the two families (L = 80 to 441,
 * one or two outputs per phase per chunk) take a scalar path, four outputs at a time.
 * Measured by the tests: pass band within 0.1 dB, images and aliases ≥ 60 dB down, ≥ 70 dB SNR against
 * a double-precision sinc interpolation for a speech-like signal (75–79 dB measured; the Kaiser
 * pass-band ripple, about −75 dB, and the 16-bit output rounding are the limit). Cost per 20 ms chunk:
 * docs/benchmarks.md, "CPU per 20 ms chunk".
 *
 * <h2>Stream</h2>
 * The state (the last T input samples, kept as M polyphase streams, and the filter phase) carries
 * across calls to {@link #process}, so converting in any chunking gives exactly the bytes of
 * converting in one call. {@link #flush} ends the stream at a turn end: it feeds silence until all
 * ⌈inputSamples × L / M⌉ output samples of the stream are out, then starts a new stream. {@link #reset}
 * drops the state without output (barge-in: no stale tail). Same rate in and out is the identity:
 * {@link #process(byte[])} returns its argument. No allocation per chunk beyond the returned array
 * (the working buffers, a few to some 20 KB per instance, are allocated once); the offset methods
 * allocate nothing.
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
    /** Computes the outputs from the kept input. */
    private final PolyphaseFilter filter;
    private int bufLength;
    /** Index (in input order) of the newest input sample the next output's sum ends at. */
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
            filter = null;
        } else {
            design = FilterDesign.of(inRate, outRate);
            ways = PolyphaseFilter.ways(design);
            stride = (design.taps + BLOCK + ways) / ways + 2 + PolyphaseFilter.LANES;
            buf = new float[ways * stride];
            filter = new PolyphaseFilter(design, BLOCK, stride);
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
        if (count > 0) {
            filter.compute(buf, len, e, ph, count, out, o);
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

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }

    @Override
    public String toString() {
        return design == null ? "Resampler[" + inRate + " Hz, identity]"
                : "Resampler[" + inRate + " -> " + outRate + " Hz, " + design + "]";
    }
}
