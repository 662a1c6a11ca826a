package dev.livegateway.session;

import com.google.protobuf.UnsafeByteOperations;
import dev.livegateway.api.v1.AudioEncoding;
import dev.livegateway.api.v1.AudioOutput;
import dev.livegateway.api.v1.ServerEvent;
import dev.livegateway.audio.AudioConverter;
import dev.livegateway.audio.AudioFormat;
import dev.livegateway.audio.FramePacker;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The model's audio in the caller's format ({@code SessionConfig.output_audio}), in front of the
 * caller's events: each {@code AudioOutput} is converted (resampled and G.711-encoded as declared)
 * and, with {@code frame_ms}, cut into events of exactly that size, the rest carried into the next.
 * Every other event passes through in its place, so transcripts, {@code interrupted} and the turn
 * events keep their order relative to the audio, except that the audio held back (less than one frame
 * plus the resampler's look-ahead of a few milliseconds) follows them out. At
 * {@code generation_complete} and {@code turn_complete} the held audio is flushed (the last frame
 * padded with silence) before the event; at {@code interrupted} it is dropped, so nothing stale is
 * played after a barge-in. Used on the session's context only.
 */
final class CallerAudioOutput implements Consumer<ServerEvent> {

    private static final Logger LOG = Logger.getLogger(CallerAudioOutput.class);

    private final AudioFormat format;
    private final AudioEncoding encoding;
    private final Consumer<ServerEvent> send;
    /** Null without frame_ms. */
    private final FramePacker packer;
    /** From the model's rate of the current answer; null before its first audio. */
    private AudioConverter converter;
    private byte[] in = new byte[0];
    private byte[] out = new byte[0];

    CallerAudioOutput(AudioFormat format, int frameMillis, Consumer<ServerEvent> send) {
        this.format = format;
        this.encoding = CallerAudio.protoEncoding(format.encoding());
        this.send = send;
        this.packer = frameMillis > 0 ? FramePacker.of(format, frameMillis) : null;
    }

    @Override
    public void accept(ServerEvent event) {
        switch (event.getEventCase()) {
            case AUDIO -> audio(event);
            case INTERRUPTED -> {
                drop();
                send.accept(event);
            }
            case GENERATION_COMPLETE, TURN_COMPLETE -> {
                flush();
                send.accept(event);
            }
            default -> send.accept(event);
        }
    }

    private void audio(ServerEvent event) {
        AudioOutput audio = event.getAudio();
        int rate = audio.getSampleRateHz();
        if (converter == null || converter.input().sampleRate() != rate) {
            flush();
            if (!AudioFormat.PCM_RATES.contains(rate)) {
                LOG.warnf("model audio at %d Hz cannot be converted; passed on as it is", rate);
                converter = null;
                send.accept(event);
                return;
            }
            converter = new AudioConverter(AudioFormat.pcm16(rate), format);
        }
        int size = audio.getData().size() & ~1; // PCM16 from the Live API: whole samples
        if (in.length < size) {
            in = new byte[size];
        }
        audio.getData().copyTo(in, 0, 0, size);
        if (packer == null) {
            byte[] converted = new byte[converter.exactOutputLength(size)];
            converter.convert(in, 0, size, converted, 0);
            if (converted.length > 0) {
                emit(converted);
            }
            return;
        }
        int length = converter.exactOutputLength(size);
        if (out.length < length) {
            out = new byte[length];
        }
        int n = converter.convert(in, 0, size, out, 0);
        packer.add(out, 0, n, this::emit);
    }

    /** The end of an answer: the resampler's tail, then the last frame padded with silence. */
    private void flush() {
        if (converter == null) {
            return;
        }
        byte[] tail = converter.flush();
        if (packer == null) {
            if (tail.length > 0) {
                emit(tail);
            }
            return;
        }
        packer.add(tail, 0, tail.length, this::emit);
        packer.flush().ifPresent(this::emit);
    }

    /** A barge-in: whatever is held back of the interrupted answer is dropped. */
    private void drop() {
        if (converter != null) {
            converter.reset();
        }
        if (packer != null) {
            packer.reset();
        }
    }

    private void emit(byte[] data) {
        // Each array is fresh (the converter's or the packer's result) and never written again.
        send.accept(ServerEvent.newBuilder().setAudio(AudioOutput.newBuilder()
                .setData(UnsafeByteOperations.unsafeWrap(data))
                .setSampleRateHz(format.sampleRate())
                .setEncoding(encoding)).build());
    }
}
