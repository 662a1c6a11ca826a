package dev.livegateway.emulator;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Little-endian 16-bit mono PCM helpers: rates from MIME types, loudness, and a speech-like signal. */
public final class Pcm16 {

    /** The Live API's output rate. */
    public static final int OUTPUT_RATE = 24_000;
    /** The Live API's native input rate, assumed when the MIME type names none. */
    public static final int DEFAULT_INPUT_RATE = 16_000;

    private static final Pattern RATE = Pattern.compile("rate=(\\d+)");

    private Pcm16() {}

    /** The sample rate of {@code audio/pcm;rate=N}, or 16000 when absent. */
    public static int rateOf(String mimeType) {
        if (mimeType == null) {
            return DEFAULT_INPUT_RATE;
        }
        Matcher m = RATE.matcher(mimeType.toLowerCase(Locale.ROOT));
        return m.find() ? Integer.parseInt(m.group(1)) : DEFAULT_INPUT_RATE;
    }

    public static int sampleCount(byte[] pcm) {
        return pcm.length / 2;
    }

    public static short sample(byte[] pcm, int index) {
        return (short) ((pcm[2 * index] & 0xff) | (pcm[2 * index + 1] << 8));
    }

    /** Root mean square of samples [from, to), on the 0..32768 scale. */
    public static double rms(byte[] pcm, int from, int to) {
        if (to <= from) {
            return 0;
        }
        double sum = 0;
        for (int i = from; i < to; i++) {
            double s = sample(pcm, i);
            sum += s * s;
        }
        return Math.sqrt(sum / (to - from));
    }

    /**
     * A deterministic speech-like signal: a voiced tone whose pitch and loudness move slowly,
     * {@code samples} long at 24 kHz, starting at sample offset {@code offset} so consecutive chunks
     * join. It repeats every {@value #SPEECH_LOOP_SECONDS} seconds: the samples are computed once
     * (four sines each), as an audio echo under load asks for thousands of chunks a second.
     */
    public static byte[] speechLike(int samples, long offset) {
        byte[] loop = SpeechLoop.PCM;
        byte[] out = new byte[samples * 2];
        int at = (int) ((offset % (loop.length / 2)) * 2);
        for (int filled = 0; filled < out.length; ) {
            int n = Math.min(out.length - filled, loop.length - at);
            System.arraycopy(loop, at, out, filled, n);
            filled += n;
            at = 0;
        }
        return out;
    }

    static final int SPEECH_LOOP_SECONDS = 10;

    /** Computed on first use, so that tests and tools that never ask for speech do not pay for it. */
    private static final class SpeechLoop {
        static final byte[] PCM = compute(SPEECH_LOOP_SECONDS * OUTPUT_RATE);

        private static byte[] compute(int samples) {
            byte[] out = new byte[samples * 2];
            for (int i = 0; i < samples; i++) {
                double t = i / (double) OUTPUT_RATE;
                double pitch = 160 + 40 * Math.sin(2 * Math.PI * 1.3 * t);
                double envelope = 0.55 + 0.45 * Math.sin(2 * Math.PI * 3.1 * t);
                double v = envelope * (0.6 * Math.sin(2 * Math.PI * pitch * t) + 0.3 * Math.sin(4 * Math.PI * pitch * t));
                short s = (short) Math.round(v * 9000);
                out[2 * i] = (byte) s;
                out[2 * i + 1] = (byte) (s >> 8);
            }
            return out;
        }
    }

    /** A sine tone (for tests and tools): {@code millis} long at {@code rate}, amplitude 0..32767. */
    public static byte[] tone(int rate, int millis, double frequency, int amplitude) {
        int samples = rate * millis / 1000;
        byte[] out = new byte[samples * 2];
        for (int i = 0; i < samples; i++) {
            short s = (short) Math.round(amplitude * Math.sin(2 * Math.PI * frequency * i / rate));
            out[2 * i] = (byte) s;
            out[2 * i + 1] = (byte) (s >> 8);
        }
        return out;
    }

    /** Digital silence: {@code millis} long at {@code rate}. */
    public static byte[] silence(int rate, int millis) {
        return new byte[rate * millis / 1000 * 2];
    }
}
