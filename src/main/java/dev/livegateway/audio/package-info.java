/**
 * Audio format conversion for callers that do not speak the Live API's PCM16: ITU-T G.711 μ-law and
 * A-law ({@link dev.livegateway.audio.G711}), a streaming band-limited polyphase resampler between the
 * common PCM rates ({@link dev.livegateway.audio.Resampler}), the {@link dev.livegateway.audio.AudioFormat}
 * value type, a per-direction {@link dev.livegateway.audio.AudioConverter} chaining decode → resample →
 * encode, and a fixed-size {@link dev.livegateway.audio.FramePacker}.
 *
 * <p>Self-contained: depends on the JDK only, on no other package of the gateway. Samples are 16-bit
 * signed little-endian mono ("PCM16") throughout; all conversions are deterministic (G.711 table lookups,
 * the resampler's strict IEEE float sums in a fixed order), so a stream converted in any chunking gives
 * bit-exactly the bytes of converting it in one piece.
 */
package dev.livegateway.audio;
