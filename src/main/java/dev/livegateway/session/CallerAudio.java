package dev.livegateway.session;

import dev.livegateway.api.v1.AudioChunk;
import dev.livegateway.api.v1.AudioEncoding;
import dev.livegateway.api.v1.AudioInputFormat;
import dev.livegateway.api.v1.AudioOutputFormat;
import dev.livegateway.api.v1.ServerEvent;
import dev.livegateway.api.v1.SessionConfig;
import dev.livegateway.audio.AudioConverter;
import dev.livegateway.audio.AudioFormat;
import dev.livegateway.wire.Content;
import java.util.Arrays;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One stream's audio formats ({@code SessionConfig.input_audio} and {@code output_audio}) and the
 * conversion state of both directions. Caller → Live API: every chunk is checked against the
 * declared format and converted to 16 kHz PCM16 ({@link #toUpstream}); what the {@link ReplayBuffer}
 * holds is that converted audio, so a replay after a move never runs the resampler again. Live API →
 * caller: {@link #toCaller} puts a {@link CallerAudioOutput} in front of the caller's events when an
 * output format is declared. Nothing declared: the gateway's behaviour before formats existed (PCM16,
 * the rate per chunk, passed on as it is). Used on the session's context only.
 */
public final class CallerAudio {

    /** The rates a chunk may name without a declared input format; the Live API resamples them. */
    public static final Set<Integer> UNDECLARED_RATES = Set.of(8000, 16000, 24000, 32000, 44100, 48000);
    /** The rate of a chunk without a declared format and without sample_rate_hz. */
    public static final int DEFAULT_INPUT_RATE = 16000;
    private static final String UPSTREAM_MIME = "audio/pcm;rate=" + AudioFormat.PCM16_16K.sampleRate();
    /** {@link #UNDECLARED_RATES} and their mime types, built once: not a string and a boxed rate per chunk. */
    private static final int[] UNDECLARED = UNDECLARED_RATES.stream().mapToInt(Integer::intValue).sorted().toArray();
    private static final String[] UNDECLARED_MIMES = Arrays.stream(UNDECLARED)
            .mapToObj(rate -> "audio/pcm;rate=" + rate).toArray(String[]::new);
    private static final String ENCODINGS = "AUDIO_ENCODING_PCM16, AUDIO_ENCODING_MULAW, AUDIO_ENCODING_ALAW";

    /** Null: no input format declared. */
    private final AudioFormat input;
    /** Null: no output format declared. */
    private final AudioFormat output;
    private final int frameMillis;
    /** Null when nothing is declared or the declared input is already 16 kHz PCM16. */
    private final AudioConverter upstream;
    /** A chunk's bytes, copied out of its ByteString for the converter; grows to the largest chunk. */
    private byte[] scratch = new byte[0];

    private CallerAudio(AudioFormat input, AudioFormat output, int frameMillis) {
        this.input = input;
        this.output = output;
        this.frameMillis = frameMillis;
        this.upstream = input == null || input.equals(AudioFormat.PCM16_16K) ? null
                : new AudioConverter(input, AudioFormat.PCM16_16K);
    }

    /** No format declared: chunks pass as they are, the model's audio too. */
    public static CallerAudio undeclared() {
        return new CallerAudio(null, null, 0);
    }

    /**
     * The formats {@code config} declares, checked.
     *
     * @throws InvalidClientEventException naming the field of {@code config} and what is allowed
     */
    public static CallerAudio of(SessionConfig config) {
        AudioFormat in = config.hasInputAudio() ? inputFormat(config.getInputAudio()) : null;
        AudioFormat out = null;
        int frameMillis = 0;
        if (config.hasOutputAudio()) {
            AudioOutputFormat o = config.getOutputAudio();
            out = format("config.output_audio", o.getEncoding(), o.getSampleRateHz(), AudioFormat.PCM16_24K.sampleRate());
            frameMillis = o.getFrameMs();
            if (frameMillis < 0 || frameMillis > 1000) {
                throw new InvalidClientEventException("config.output_audio.frame_ms", "must be 0 (no framing) to 1000,"
                        + " got " + frameMillis);
            }
            if (frameMillis > 0) {
                try {
                    out.bytesPerMillis(frameMillis);
                } catch (IllegalArgumentException e) {
                    throw new InvalidClientEventException("config.output_audio.frame_ms", e.getMessage()
                            + "; allowed: 1 to 1000 ms making whole samples (at 44100 and 22050 Hz a multiple of"
                            + " 10 ms, at 11025 Hz of 40 ms)");
                }
            }
        }
        return new CallerAudio(in, out, frameMillis);
    }

    private static AudioFormat inputFormat(AudioInputFormat f) {
        return format("config.input_audio", f.getEncoding(), f.getSampleRateHz(), AudioFormat.PCM16_16K.sampleRate());
    }

    private static AudioFormat format(String field, AudioEncoding encoding, int rate, int pcmDefaultRate) {
        AudioFormat.Encoding e = encoding(field + ".encoding", encoding);
        int r = rate != 0 ? rate : e == AudioFormat.Encoding.PCM16 ? pcmDefaultRate : AudioFormat.G711_RATE;
        try {
            return new AudioFormat(e, r);
        } catch (IllegalArgumentException invalid) {
            throw new InvalidClientEventException(field + ".sample_rate_hz", invalid.getMessage());
        }
    }

    private static AudioFormat.Encoding encoding(String field, AudioEncoding encoding) {
        return switch (encoding) {
            case AUDIO_ENCODING_UNSPECIFIED, AUDIO_ENCODING_PCM16 -> AudioFormat.Encoding.PCM16;
            case AUDIO_ENCODING_MULAW -> AudioFormat.Encoding.MULAW;
            case AUDIO_ENCODING_ALAW -> AudioFormat.Encoding.ALAW;
            case UNRECOGNIZED -> throw new InvalidClientEventException(field, "unknown value; allowed: " + ENCODINGS);
        };
    }

    static AudioEncoding protoEncoding(AudioFormat.Encoding encoding) {
        return switch (encoding) {
            case PCM16 -> AudioEncoding.AUDIO_ENCODING_PCM16;
            case MULAW -> AudioEncoding.AUDIO_ENCODING_MULAW;
            case ALAW -> AudioEncoding.AUDIO_ENCODING_ALAW;
        };
    }

    /** The declared input format, or null. */
    public AudioFormat input() {
        return input;
    }

    /** The declared output format, or null. */
    public AudioFormat output() {
        return output;
    }

    /**
     * A chunk checked against the declared format (or, with none, the rates of
     * {@link #UNDECLARED_RATES}) as the Live API audio blob: converted to 16 kHz PCM16 when a format
     * other than that is declared; else the chunk's bytes as they are (one copy, as always).
     *
     * @throws InvalidClientEventException naming {@code audio.encoding}, {@code audio.sample_rate_hz}
     *     or {@code audio.data} and what is allowed
     */
    Content.Blob toUpstream(AudioChunk chunk, int maxBytes) {
        if (input == null) {
            return undeclared(chunk, maxBytes);
        }
        if (chunk.getEncoding() != AudioEncoding.AUDIO_ENCODING_UNSPECIFIED
                && encoding("audio.encoding", chunk.getEncoding()) != input.encoding()) {
            throw new InvalidClientEventException("audio.encoding", chunk.getEncoding() + " does not match"
                    + " config.input_audio (" + input + "); allowed: AUDIO_ENCODING_UNSPECIFIED or "
                    + protoEncoding(input.encoding()));
        }
        if (chunk.getSampleRateHz() != 0 && chunk.getSampleRateHz() != input.sampleRate()) {
            throw new InvalidClientEventException("audio.sample_rate_hz", chunk.getSampleRateHz() + " Hz does not"
                    + " match config.input_audio (" + input + "); allowed: 0 or " + input.sampleRate());
        }
        int size = checkSize(chunk, maxBytes, input.encoding().toString());
        if (!input.isWholeSamples(size)) {
            throw oddLength(size);
        }
        if (upstream == null) {
            return new Content.Blob(UPSTREAM_MIME, chunk.getData().toByteArray());
        }
        if (scratch.length < size) {
            scratch = new byte[size];
        }
        chunk.getData().copyTo(scratch, 0);
        byte[] converted = new byte[upstream.exactOutputLength(size)];
        upstream.convert(scratch, 0, size, converted, 0);
        return new Content.Blob(UPSTREAM_MIME, converted);
    }

    private static Content.Blob undeclared(AudioChunk chunk, int maxBytes) {
        int rate = chunk.getSampleRateHz() == 0 ? DEFAULT_INPUT_RATE : chunk.getSampleRateHz();
        String mime = undeclaredMime(rate);
        if (mime == null) {
            throw new InvalidClientEventException("audio.sample_rate_hz", "unsupported rate " + rate
                    + " Hz; allowed: 8000, 16000 (native), 24000, 32000, 44100, 48000; for other rates and"
                    + " G.711 declare config.input_audio");
        }
        if (chunk.getEncoding() != AudioEncoding.AUDIO_ENCODING_UNSPECIFIED
                && chunk.getEncoding() != AudioEncoding.AUDIO_ENCODING_PCM16) {
            throw new InvalidClientEventException("audio.encoding", chunk.getEncoding() + " needs"
                    + " config.input_audio to declare it; without it allowed: AUDIO_ENCODING_UNSPECIFIED or"
                    + " AUDIO_ENCODING_PCM16");
        }
        int size = checkSize(chunk, maxBytes, "PCM16 little-endian");
        if (size % 2 != 0) {
            throw oddLength(size);
        }
        return new Content.Blob(mime, chunk.getData().toByteArray());
    }

    /** The mime type of a chunk at {@code rate} without a declared format, or null if the rate is not one of them. */
    private static String undeclaredMime(int rate) {
        for (int i = 0; i < UNDECLARED.length; i++) {
            if (UNDECLARED[i] == rate) {
                return UNDECLARED_MIMES[i];
            }
        }
        return null;
    }

    private static int checkSize(AudioChunk chunk, int maxBytes, String what) {
        int size = chunk.getData().size();
        if (size == 0) {
            throw new InvalidClientEventException("audio.data", "empty; send " + what + " samples");
        }
        if (size > maxBytes) {
            throw new InvalidClientEventException("audio.data", size + " bytes is over the limit of "
                    + maxBytes + " bytes per chunk; send 20-100 ms chunks");
        }
        return size;
    }

    private static InvalidClientEventException oddLength(int size) {
        return new InvalidClientEventException("audio.data", "odd length " + size
                + "; PCM16 needs a whole number of 2-byte samples");
    }

    /**
     * The caller's audio stream paused or its activity ended ({@code audio_stream_end},
     * {@code activity_end}): the next chunk starts a new stream. The resampler's look-ahead tail
     * (at most half its filter: 2.9 ms at 8 kHz, 0.7 ms at 48 kHz, none at 16 kHz) is dropped, since
     * an end marker carries no audio.
     */
    void inputEnded() {
        if (upstream != null) {
            upstream.reset();
        }
    }

    /**
     * What the caller's events go through: {@code send} itself when no output format is declared or
     * the declared one is the Live API's own without framing, else a {@link CallerAudioOutput} that
     * converts and frames the audio in front of it.
     */
    Consumer<ServerEvent> toCaller(Consumer<ServerEvent> send) {
        if (output == null || (output.equals(AudioFormat.PCM16_24K) && frameMillis == 0)) {
            return send;
        }
        return new CallerAudioOutput(output, frameMillis, send);
    }
}
