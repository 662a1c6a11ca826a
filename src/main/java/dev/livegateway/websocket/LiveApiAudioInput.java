package dev.livegateway.websocket;

import com.google.protobuf.ByteString;
import dev.livegateway.api.v1.AudioChunk;
import dev.livegateway.api.v1.ClientEvent;
import dev.livegateway.audio.AudioConverter;
import dev.livegateway.audio.AudioFormat;
import dev.livegateway.session.CallerAudio;
import dev.livegateway.session.InvalidClientEventException;

/**
 * A Live API client's audio at any rate the gateway's resampler knows ({@link AudioFormat#PCM_RATES}):
 * a chunk at a rate the Live API takes as it is ({@link CallerAudio#UNDECLARED_RATES}, e.g. a
 * browser's 44.1 or 48 kHz) passes untouched; one at another (11025, 22050 Hz) is converted to
 * 16 kHz here, with one streaming converter per connection, restarted when the rate changes or the
 * audio stream ends. A Live API setup cannot declare an input format as
 * {@code SessionConfig.input_audio} does, so the rate of each chunk's {@code mimeType} decides.
 * Used on the connection's context only.
 */
final class LiveApiAudioInput {

    private AudioConverter converter;

    /** The event, or its audio converted to 16 kHz when the Live API would not take its rate. */
    ClientEvent convert(ClientEvent event) {
        if (event.hasAudioStreamEnd() || event.hasActivityEnd()) {
            converter = null;
            return event;
        }
        if (!event.hasAudio()) {
            return event;
        }
        AudioChunk chunk = event.getAudio();
        int rate = chunk.getSampleRateHz();
        if (rate == 0 || CallerAudio.UNDECLARED_RATES.contains(rate)) {
            return event;
        }
        if (!AudioFormat.PCM_RATES.contains(rate)) {
            throw new InvalidClientEventException("realtimeInput.audio.mimeType", "rate=" + rate + " is not supported;"
                    + " allowed: " + AudioFormat.PCM_RATES.toString().replaceAll("[\\[\\]]", ""));
        }
        if (chunk.getData().size() % 2 != 0) {
            throw new InvalidClientEventException("realtimeInput.audio.data", chunk.getData().size() + " bytes; PCM16"
                    + " needs a whole number of 2-byte samples");
        }
        if (converter == null || converter.input().sampleRate() != rate) {
            converter = new AudioConverter(AudioFormat.pcm16(rate), AudioFormat.PCM16_16K);
        }
        byte[] converted = converter.convert(chunk.getData().toByteArray());
        return event.toBuilder().setAudio(chunk.toBuilder().setData(ByteString.copyFrom(converted))
                .setSampleRateHz(AudioFormat.PCM16_16K.sampleRate())).build();
    }
}
