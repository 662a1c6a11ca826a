package dev.livegateway.audio;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A mono audio stream format: an encoding and a sample rate. PCM16 (signed 16-bit little-endian) at
 * one of {@link #PCM_RATES}, or G.711 μ-law or A-law at 8,000 Hz, one byte per sample.
 *
 * @param encoding the sample encoding
 * @param sampleRate samples per second
 */
public record AudioFormat(Encoding encoding, int sampleRate) {

    /** The PCM16 sample rates accepted, in Hz. */
    public static final List<Integer> PCM_RATES = List.of(8000, 11025, 16000, 22050, 24000, 32000, 44100, 48000);
    /** The only G.711 sample rate, in Hz. */
    public static final int G711_RATE = 8000;

    /** What the Live API takes best: PCM16 at 16 kHz. */
    public static final AudioFormat PCM16_16K = new AudioFormat(Encoding.PCM16, 16000);
    /** What the Live API sends: PCM16 at 24 kHz. */
    public static final AudioFormat PCM16_24K = new AudioFormat(Encoding.PCM16, 24000);
    /** Telephony μ-law at 8 kHz. */
    public static final AudioFormat MULAW_8K = new AudioFormat(Encoding.MULAW, G711_RATE);
    /** Telephony A-law at 8 kHz. */
    public static final AudioFormat ALAW_8K = new AudioFormat(Encoding.ALAW, G711_RATE);

    /** Sample encodings. */
    public enum Encoding {
        /** Signed 16-bit little-endian linear PCM, 2 bytes per sample. */
        PCM16(2),
        /** ITU-T G.711 μ-law, 1 byte per sample. */
        MULAW(1),
        /** ITU-T G.711 A-law, 1 byte per sample. */
        ALAW(1);

        private final int bytesPerSample;

        Encoding(int bytesPerSample) {
            this.bytesPerSample = bytesPerSample;
        }

        public int bytesPerSample() {
            return bytesPerSample;
        }
    }

    /**
     * @throws IllegalArgumentException naming what is allowed if the rate does not fit the encoding
     */
    public AudioFormat {
        Objects.requireNonNull(encoding, "encoding");
        if (encoding == Encoding.PCM16) {
            checkPcmRate(sampleRate, "PCM16");
        } else if (sampleRate != G711_RATE) {
            throw new IllegalArgumentException(encoding + " sample rate " + sampleRate + " Hz is not supported; "
                    + "allowed: " + G711_RATE + " Hz (G.711)");
        }
    }

    /** PCM16 at {@code sampleRate}. */
    public static AudioFormat pcm16(int sampleRate) {
        return new AudioFormat(Encoding.PCM16, sampleRate);
    }

    public int bytesPerSample() {
        return encoding.bytesPerSample();
    }

    /** Bytes per second of audio. */
    public int bytesPerSecond() {
        return sampleRate * encoding.bytesPerSample();
    }

    /**
     * Bytes in {@code millis} milliseconds of audio (e.g. 160 for 20 ms of μ-law).
     *
     * @throws IllegalArgumentException if that is not a whole number of samples (e.g. 10 ms at 11,025 Hz)
     *     or not positive
     */
    public int bytesPerMillis(int millis) {
        long scaled = (long) sampleRate * millis;
        if (millis <= 0 || scaled % 1000 != 0) {
            throw new IllegalArgumentException(millis + " ms at " + sampleRate + " Hz is not a positive whole "
                    + "number of samples");
        }
        return Math.toIntExact(scaled / 1000 * encoding.bytesPerSample());
    }

    /** The byte of silence: 0 for PCM16, {@code 0xFF} for μ-law, {@code 0xD5} for A-law. */
    public byte silence() {
        switch (encoding) {
            case MULAW:
                return G711.MULAW.silence();
            case ALAW:
                return G711.ALAW.silence();
            default:
                return 0;
        }
    }

    /** Whether {@code byteLength} is a whole number of samples of this format. */
    public boolean isWholeSamples(int byteLength) {
        return byteLength % encoding.bytesPerSample() == 0;
    }

    static void checkPcmRate(int rate, String what) {
        if (!PCM_RATES.contains(rate)) {
            throw new IllegalArgumentException(what + " sample rate " + rate + " Hz is not supported; allowed: "
                    + PCM_RATES.stream().map(String::valueOf).collect(Collectors.joining(", "))
                    + " Hz");
        }
    }

    @Override
    public String toString() {
        return encoding + " " + sampleRate + " Hz";
    }
}
