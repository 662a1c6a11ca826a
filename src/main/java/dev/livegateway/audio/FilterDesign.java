package dev.livegateway.audio;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One immutable polyphase low-pass filter for a rate pair, shared by all {@link Resampler}s of that
 * pair: a linear-phase prototype designed at the upsampled rate L·in by the window method (ideal sinc ×
 * Kaiser window), split into L phases of T taps.
 * <ul>
 *   <li>pass band up to {@value Resampler#PASS_EDGE} × the lower of the two rates (3.2 kHz for 8 kHz telephony,
 *       6.4 kHz for the Live API's 16 kHz), stop band from the lower rate's Nyquist frequency
 *       ({@value Resampler#STOP_EDGE} × the lower rate), cutoff half-way between;</li>
 *   <li>Kaiser window for {@value Resampler#ATTENUATION_DB} dB stop-band attenuation (β = 0.1102 (A − 8.7)),
 *       length by Kaiser's formula N = (A − 7.95) / (2.285 Δω) + 1 rounded up to odd, so that the
 *       group delay (N − 1) / 2 is a whole number of samples at the upsampled rate and can be
 *       compensated;</li>
 *   <li>taps per output sample T = ⌈N / L⌉, about 48 × (input rate / lower rate): 48 for 8 → 16 kHz and
 *       24 → 48 kHz, 143 for 48 → 16 kHz and 24 → 8 kHz, 129 for 44.1 → 16 kHz (20,597 taps in 160
 *       phases); a design takes at most about 100 ms (cold JVM, 30,000 taps), once per rate pair per
 *       process;</li>
 *   <li>each phase normalised to sum 1.0 (DC gain 1 in every phase, so no tone at the phase rate),
 *       then rounded to {@code float} (24-bit mantissa: the rounding is 2^-25 relative, far below the
 *       16-bit output); the prototype is made exactly symmetric, so phases that mirror themselves
 *       (all of them for pure decimation and for doubling) stay exactly symmetric.</li>
 * </ul>
 */
final class FilterDesign {

    private static final Map<Long, FilterDesign> DESIGNS = new ConcurrentHashMap<>();

    /** Upsampling factor L = out / gcd(in, out). */
    final int up;
    /** Downsampling factor M = in / gcd(in, out). */
    final int down;
    /** Prototype length N (odd), at the upsampled rate. */
    final int length;
    /** Group delay (N - 1) / 2 at the upsampled rate. */
    final int delay;
    /** Taps per phase T = ceil(N / L). */
    final int taps;
    final double beta;
    final double cutoffHz;
    /**
     * L phases of T taps, each in time-reversed order (phase p, tap t multiplies the input sample
     * T − 1 − t before the newest one): {@code coefficients[p * T + t] = h[p + (T − 1 − t) L]}, padding
     * taps (beyond the prototype) zero.
     */
    final float[] coefficients;

    /** The shared design for a rate pair (two different rates of {@link AudioFormat#PCM_RATES}). */
    static FilterDesign of(int inRate, int outRate) {
        return DESIGNS.computeIfAbsent((long) inRate << 32 | outRate, k -> new FilterDesign(inRate, outRate));
    }

    private FilterDesign(int inRate, int outRate) {
        int g = gcd(inRate, outRate);
        up = outRate / g;
        down = inRate / g;
        double lower = Math.min(inRate, outRate);
        double filterRate = (double) up * inRate;
        double transition = (Resampler.STOP_EDGE - Resampler.PASS_EDGE) * lower;
        cutoffHz = (Resampler.PASS_EDGE + Resampler.STOP_EDGE) / 2 * lower;
        beta = 0.1102 * (Resampler.ATTENUATION_DB - 8.7);
        double deltaOmega = 2 * Math.PI * transition / filterRate;
        int n = (int) Math.ceil((Resampler.ATTENUATION_DB - 7.95) / (2.285 * deltaOmega)) + 1;
        length = n | 1;
        delay = (length - 1) / 2;
        taps = (length + up - 1) / up;

        double[] prototype = new double[length]; // gain L, exactly symmetric about the delay
        double fc = cutoffHz / filterRate; // cycles per upsampled sample
        double i0Beta = besselI0(beta);
        for (int k = 0; k <= delay; k++) {
            double x = delay - k;
            double sinc = x == 0 ? 2 * fc : Math.sin(2 * Math.PI * fc * x) / (Math.PI * x);
            double r = x / delay;
            double window = besselI0(beta * Math.sqrt(Math.max(0, 1 - r * r))) / i0Beta;
            prototype[k] = up * sinc * window;
            prototype[length - 1 - k] = prototype[k];
        }

        coefficients = new float[up * taps];
        for (int p = 0; p < up; p++) {
            double sum = 0;
            for (int t = 0; t < taps; t++) {
                int k = p + (taps - 1 - t) * up;
                sum += k < length ? prototype[k] : 0;
            }
            for (int t = 0; t < taps; t++) {
                int k = p + (taps - 1 - t) * up;
                coefficients[p * taps + t] = k < length ? (float) (prototype[k] / sum) : 0f;
            }
        }
    }

    private static double besselI0(double x) {
        double sum = 1;
        double term = 1;
        double halfX = x / 2;
        for (int k = 1; k < 200; k++) {
            term *= (halfX / k) * (halfX / k);
            sum += term;
            if (term < sum * 1e-17) {
                break;
            }
        }
        return sum;
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    @Override
    public String toString() {
        return "L/M " + up + "/" + down + ", " + length + " taps (" + taps + " per phase), cutoff "
                + Math.round(cutoffHz) + " Hz, Kaiser beta " + Math.round(beta * 100) / 100.0 + ", float";
    }
}
