package dev.livegateway.audio;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Test signals and measurements on PCM16 little-endian mono. */
final class Signals {

    static final int[] RATES = {8000, 11025, 16000, 22050, 24000, 32000, 44100, 48000};

    private Signals() {}

    /** Every ordered pair of different rates (56). */
    static List<int[]> ratePairs() {
        List<int[]> pairs = new ArrayList<>();
        for (int in : RATES) {
            for (int out : RATES) {
                if (in != out) {
                    pairs.add(new int[] {in, out});
                }
            }
        }
        return pairs;
    }

    static byte[] pcm(double[] samples) {
        byte[] out = new byte[2 * samples.length];
        for (int i = 0; i < samples.length; i++) {
            int s = (int) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(samples[i])));
            out[2 * i] = (byte) s;
            out[2 * i + 1] = (byte) (s >> 8);
        }
        return out;
    }

    static double[] samples(byte[] pcm) {
        double[] out = new double[pcm.length / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (short) ((pcm[2 * i] & 0xFF) | pcm[2 * i + 1] << 8);
        }
        return out;
    }

    static double[] sine(int rate, double hz, double amplitude, int count) {
        double[] s = new double[count];
        for (int i = 0; i < count; i++) {
            s[i] = amplitude * Math.sin(2 * Math.PI * hz * i / rate + 0.3);
        }
        return s;
    }

    /**
     * Speech-like test signal: a voiced sound with a fundamental gliding around 140 Hz, harmonics up
     * to {@code maxHz} with a formant-like spectral envelope, amplitude-modulated at a syllable rate of
     * 4 Hz, peak about -6 dBFS. Its spectrum lies below {@code maxHz}.
     */
    static double[] speechLike(int rate, double maxHz, int count) {
        double[] s = new double[count];
        double f0 = 140;
        int harmonics = (int) (maxHz / (f0 * 1.03));
        double[] weight = new double[harmonics + 1];
        double total = 0;
        for (int h = 1; h <= harmonics; h++) {
            double f = h * f0;
            weight[h] = 1 / Math.sqrt(h) * (1 + 2 * Math.exp(-Math.pow((f - 700) / 300, 2))
                    + 1.5 * Math.exp(-Math.pow((f - 1800) / 400, 2)));
            total += weight[h];
        }
        for (int i = 0; i < count; i++) {
            double t = (double) i / rate;
            double phase = 2 * Math.PI * (f0 * t + 3 * Math.sin(2 * Math.PI * 2.5 * t) / (2 * Math.PI * 2.5));
            double envelope = 0.55 + 0.45 * Math.sin(2 * Math.PI * 4 * t);
            double v = 0;
            for (int h = 1; h <= harmonics; h++) {
                v += weight[h] * Math.sin(h * phase + h * 0.7);
            }
            s[i] = 16000 * envelope * v / total;
        }
        return s;
    }

    /** The tone at {@code hz} fitted by least squares over {@code y[from..to)}: amplitude and residual. */
    static Fit fit(double[] y, int from, int to, double hz, int rate) {
        double cc = 0;
        double ss = 0;
        double cs = 0;
        double yc = 0;
        double ys = 0;
        for (int n = from; n < to; n++) {
            double w = 2 * Math.PI * hz * n / rate;
            double c = Math.cos(w);
            double s = Math.sin(w);
            cc += c * c;
            ss += s * s;
            cs += c * s;
            yc += y[n] * c;
            ys += y[n] * s;
        }
        double det = cc * ss - cs * cs;
        double a = (yc * ss - ys * cs) / det;
        double b = (ys * cc - yc * cs) / det;
        double residual = 0;
        for (int n = from; n < to; n++) {
            double w = 2 * Math.PI * hz * n / rate;
            double e = y[n] - a * Math.cos(w) - b * Math.sin(w);
            residual += e * e;
        }
        return new Fit(Math.hypot(a, b), Math.sqrt(residual / (to - from)));
    }

    /** A fitted tone: its amplitude and the RMS of everything else (images, aliases, noise). */
    record Fit(double amplitude, double residualRms) {
        /** Everything else relative to the tone, in dB (negative: below). */
        double residualDb() {
            return 20 * Math.log10(residualRms / (amplitude / Math.sqrt(2)));
        }
    }

    static double rms(double[] y, int from, int to) {
        double sum = 0;
        for (int n = from; n < to; n++) {
            sum += y[n] * y[n];
        }
        return Math.sqrt(sum / (to - from));
    }

    /** The whole signal in one call, then the flush. */
    static byte[] convertWhole(Resampler r, byte[] pcm) {
        byte[] body = r.process(pcm);
        byte[] tail = r.flush();
        byte[] all = java.util.Arrays.copyOf(body, body.length + tail.length);
        System.arraycopy(tail, 0, all, body.length, tail.length);
        return all;
    }

    /** Random even chunk sizes from 0 up to {@code maxBytes} (seeded). */
    static List<Integer> randomChunking(Random random, int total, int maxBytes) {
        List<Integer> sizes = new ArrayList<>();
        int left = total;
        while (left > 0) {
            int n = Math.min(left, 2 * random.nextInt(maxBytes / 2 + 1));
            sizes.add(n);
            left -= n;
        }
        return sizes;
    }

    static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        parts.forEach(out::writeBytes);
        return out.toByteArray();
    }
}
