package dev.livegateway.audio;

import java.util.Objects;

/**
 * Converts one audio stream, one direction, from one {@link AudioFormat} to another: G.711 decode (if
 * the input is μ-law or A-law) → {@link Resampler} (if the rates differ) → G.711 encode (if the output
 * is). Stateful like its resampler: chunks of one stream go through one instance in order, and the
 * result is bit-exactly the same for any chunking. Not thread-safe.
 *
 * <p>When the formats are equal the converter is the identity and {@link #convert(byte[])} returns its
 * argument, no copy. Otherwise it allocates only the returned array; the offset methods allocate
 * nothing (the intermediate PCM16 goes through two fixed scratch buffers of the instance).
 *
 * <p>At a turn end call {@link #flush()} for the resampler's tail; on a barge-in ({@code interrupted})
 * call {@link #reset()} so that no stale tail is played.
 */
public final class AudioConverter {

    /** Input samples per inner block when a G.711 step needs the scratch buffers. */
    private static final int BLOCK = 512;
    private static final byte[] EMPTY = new byte[0];

    private final AudioFormat input;
    private final AudioFormat output;
    private final G711 decoder;
    private final G711 encoder;
    private final Resampler resampler;
    private final boolean identity;
    private final byte[] decoded;
    private final byte[] resampled;

    public AudioConverter(AudioFormat input, AudioFormat output) {
        this.input = Objects.requireNonNull(input, "input");
        this.output = Objects.requireNonNull(output, "output");
        decoder = codec(input);
        encoder = codec(output);
        resampler = new Resampler(input.sampleRate(), output.sampleRate());
        identity = input.equals(output);
        decoded = decoder == null ? null : new byte[2 * BLOCK];
        resampled = encoder == null || resampler.isIdentity() ? null
                : new byte[2 * Math.max(resampler.outputLength(BLOCK), resampler.flushLength())];
    }

    private static G711 codec(AudioFormat format) {
        switch (format.encoding()) {
            case MULAW:
                return G711.MULAW;
            case ALAW:
                return G711.ALAW;
            default:
                return null;
        }
    }

    public AudioFormat input() {
        return input;
    }

    public AudioFormat output() {
        return output;
    }

    /** Whether the formats are equal, so that audio passes through untouched. */
    public boolean isIdentity() {
        return identity;
    }

    /** Upper bound of the output bytes of one {@link #convert} call with {@code inputBytes}. */
    public int outputLength(int inputBytes) {
        return resampler.outputLength(inputBytes / input.bytesPerSample()) * output.bytesPerSample();
    }

    /** The exact output bytes of the next {@link #convert} call with {@code inputBytes}. */
    public int exactOutputLength(int inputBytes) {
        return resampler.exactOutputLength(inputBytes / input.bytesPerSample()) * output.bytesPerSample();
    }

    /** Upper bound of the output bytes of {@link #flush()}. */
    public int flushLength() {
        return resampler.flushLength() * output.bytesPerSample();
    }

    /**
     * Converts a chunk, returning the new output (possibly empty); the identity returns {@code in}.
     *
     * @throws IllegalArgumentException if {@code in} is not a whole number of input samples
     */
    public byte[] convert(byte[] in) {
        if (identity) {
            checkWhole(in.length);
            return in;
        }
        checkWhole(in.length);
        byte[] out = new byte[exactOutputLength(in.length)];
        convert(in, 0, in.length, out, 0);
        return out;
    }

    /**
     * Converts {@code in[inOffset..inOffset+length)} into {@code out[outOffset..]}, which needs room
     * for {@link #outputLength(int) outputLength(length)} bytes.
     *
     * @return the number of bytes written
     * @throws IllegalArgumentException if {@code length} is not a whole number of input samples
     */
    public int convert(byte[] in, int inOffset, int length, byte[] out, int outOffset) {
        checkWhole(length);
        G711.checkRange(in, inOffset, length);
        if (decoder == null && encoder == null) {
            return resampler.process(in, inOffset, length, out, outOffset); // copies for the identity
        }
        G711.checkRange(out, outOffset, exactOutputLength(length));
        int o = outOffset;
        int bytesPerSample = input.bytesPerSample();
        int p = inOffset;
        int remaining = length / bytesPerSample;
        while (remaining > 0) {
            int n = Math.min(remaining, BLOCK);
            if (encoder == null && resampler.isIdentity()) {
                o += decoder.decode(in, p, n, out, o); // G.711 to PCM16 at the same rate: straight into out
            } else {
                byte[] pcm = in;
                int pcmOffset = p;
                if (decoder != null) {
                    decoder.decode(in, p, n, decoded, 0);
                    pcm = decoded;
                    pcmOffset = 0;
                }
                if (encoder == null) {
                    o += resampler.process(pcm, pcmOffset, 2 * n, out, o);
                } else if (resampler.isIdentity()) {
                    o += encoder.encode(pcm, pcmOffset, 2 * n, out, o);
                } else {
                    int r = resampler.process(pcm, pcmOffset, 2 * n, resampled, 0);
                    o += encoder.encode(resampled, 0, r, out, o);
                }
            }
            p += n * bytesPerSample;
            remaining -= n;
        }
        return o - outOffset;
    }

    /**
     * Ends the stream (turn end): returns the rest of the output (the resampler's tail, empty when
     * the rates are equal) and starts a new stream.
     */
    public byte[] flush() {
        int samples = resampler.exactFlushLength();
        if (samples == 0) {
            resampler.reset();
            return EMPTY;
        }
        byte[] out = new byte[samples * output.bytesPerSample()];
        flush(out, 0);
        return out;
    }

    /**
     * {@link #flush()} into {@code out[outOffset..]}, which needs room for {@link #flushLength()} bytes.
     *
     * @return the number of bytes written
     */
    public int flush(byte[] out, int outOffset) {
        if (encoder == null) {
            return resampler.flush(out, outOffset);
        }
        if (resampler.isIdentity()) {
            return 0;
        }
        int r = resampler.flush(resampled, 0);
        return encoder.encode(resampled, 0, r, out, outOffset);
    }

    /** Drops the stream's state without output (barge-in): the next chunk starts a new stream. */
    public void reset() {
        resampler.reset();
    }

    private void checkWhole(int length) {
        if (!input.isWholeSamples(length)) {
            throw new IllegalArgumentException(input + " needs whole samples of " + input.bytesPerSample()
                    + " bytes, got " + length + " bytes");
        }
    }

    @Override
    public String toString() {
        return "AudioConverter[" + input + " -> " + output + (identity ? ", identity" : ", " + resampler) + "]";
    }
}
