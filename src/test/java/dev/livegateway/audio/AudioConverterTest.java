package dev.livegateway.audio;

import static dev.livegateway.audio.Signals.pcm;
import static dev.livegateway.audio.Signals.samples;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The decode → resample → encode chain, the format type and the frame packer. */
class AudioConverterTest {

    private static final List<AudioFormat> FORMATS = List.of(AudioFormat.MULAW_8K, AudioFormat.ALAW_8K,
            AudioFormat.pcm16(8000), AudioFormat.pcm16(11025), AudioFormat.PCM16_16K, AudioFormat.pcm16(22050),
            AudioFormat.PCM16_24K, AudioFormat.pcm16(32000), AudioFormat.pcm16(44100), AudioFormat.pcm16(48000));

    /** The input of a format: a 440 Hz tone plus noise, 0.3 s, encoded in that format. */
    private static byte[] input(AudioFormat format, long seed) {
        Random random = new Random(seed);
        double[] s = new double[format.sampleRate() * 3 / 10];
        for (int i = 0; i < s.length; i++) {
            s[i] = 8000 * Math.sin(2 * Math.PI * 440 * i / format.sampleRate()) + 1500 * random.nextGaussian();
        }
        byte[] pcm = pcm(s);
        switch (format.encoding()) {
            case MULAW:
                return G711.MULAW.encode(pcm);
            case ALAW:
                return G711.ALAW.encode(pcm);
            default:
                return pcm;
        }
    }

    /** The chain step by step with the parts: decode, resample (+ flush), encode. */
    private static byte[] byParts(AudioFormat from, AudioFormat to, byte[] in) {
        byte[] pcm = from.encoding() == AudioFormat.Encoding.MULAW ? G711.MULAW.decode(in)
                : from.encoding() == AudioFormat.Encoding.ALAW ? G711.ALAW.decode(in) : in;
        byte[] resampled = Signals.convertWhole(new Resampler(from.sampleRate(), to.sampleRate()), pcm);
        return to.encoding() == AudioFormat.Encoding.MULAW ? G711.MULAW.encode(resampled)
                : to.encoding() == AudioFormat.Encoding.ALAW ? G711.ALAW.encode(resampled) : resampled;
    }

    /**
     * Every pair of the ten formats (μ-law, A-law, PCM16 at eight rates): the converter's output, in
     * one piece and in 5 seeded random chunkings (offset method into one buffer, or the allocating one),
     * equals decoding, resampling and encoding with the parts one after the other.
     */
    @Test
    void everyFormatPairEqualsThePartsInAnyChunking() {
        Random random = new Random(16);
        for (AudioFormat from : FORMATS) {
            for (AudioFormat to : FORMATS) {
                byte[] in = input(from, random.nextLong());
                byte[] expected = byParts(from, to, in);
                AudioConverter whole = new AudioConverter(from, to);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.writeBytes(whole.convert(in));
                out.writeBytes(whole.flush());
                assertThat(out.toByteArray()).as("%s -> %s in one piece", from, to).isEqualTo(expected);
                for (int trial = 0; trial < 5; trial++) {
                    AudioConverter c = new AudioConverter(from, to);
                    int unit = from.bytesPerSample();
                    byte[] buffer = new byte[expected.length + 16];
                    int o = 3;
                    int p = 0;
                    while (p < in.length) {
                        int n = Math.min(in.length - p, unit * random.nextInt(1500 / unit));
                        if (trial % 2 == 0) {
                            assertThat(c.exactOutputLength(n)).isLessThanOrEqualTo(c.outputLength(n));
                            o += c.convert(in, p, n, buffer, o);
                        } else {
                            byte[] part = c.convert(Arrays.copyOfRange(in, p, p + n));
                            System.arraycopy(part, 0, buffer, o, part.length);
                            o += part.length;
                        }
                        p += n;
                    }
                    assertThat(c.flushLength()).isGreaterThanOrEqualTo(0);
                    o += c.flush(buffer, o);
                    assertThat(Arrays.copyOfRange(buffer, 3, o)).as("%s -> %s, chunking %d", from, to, trial)
                            .isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void sameFormatPassesThroughWithoutCopy() {
        for (AudioFormat f : FORMATS) {
            AudioConverter c = new AudioConverter(f, f);
            byte[] chunk = input(f, 1);
            assertThat(c.isIdentity()).isTrue();
            assertThat(c.convert(chunk)).isSameAs(chunk);
            assertThat(c.flush()).isEmpty();
        }
        assertThat(new AudioConverter(AudioFormat.MULAW_8K, AudioFormat.pcm16(8000)).isIdentity()).isFalse();
    }

    /**
     * Telephony round trip: 8 kHz μ-law → 16 kHz PCM16 (to the Live API) and a 24 kHz reply → 8 kHz
     * μ-law: a 1 kHz tone keeps its level within 0.5 dB (G.711 quantisation included) and the reply
     * is 20 ms of μ-law = 160 bytes per 20 ms of 24 kHz input.
     */
    @Test
    void telephonyRoundTripKeepsTheTone() {
        byte[] mulaw = G711.MULAW.encode(pcm(Signals.sine(8000, 1000, 10000, 8000)));
        AudioConverter up = new AudioConverter(AudioFormat.MULAW_8K, AudioFormat.PCM16_16K);
        double[] wideband = samples(up.convert(mulaw));
        Signals.Fit tone = Signals.fit(wideband, 800, wideband.length - 800, 1000, 16000);
        assertThat(20 * Math.log10(tone.amplitude() / 10000)).isCloseTo(0, within(0.5));
        assertThat(tone.residualDb()).as("G.711 quantisation noise and images").isLessThan(-30);

        AudioConverter down = new AudioConverter(AudioFormat.PCM16_24K, AudioFormat.MULAW_8K);
        byte[] reply = pcm(Signals.sine(24000, 1000, 10000, 480 * 50));
        int total = 0;
        for (int i = 0; i < 50; i++) {
            total += down.convert(Arrays.copyOfRange(reply, i * 960, (i + 1) * 960)).length;
        }
        total += down.flush().length;
        assertThat(total).isEqualTo(50 * 160);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /** Barge-in: after reset the converter plays no tail: silence in gives exactly μ-law silence out. */
    @Test
    void resetDropsTheTail() {
        AudioConverter c = new AudioConverter(AudioFormat.PCM16_24K, AudioFormat.MULAW_8K);
        c.convert(pcm(Signals.sine(24000, 1000, 20000, 4801)));
        c.reset();
        assertThat(c.flush()).isEmpty();
        byte[] out = concat(c.convert(new byte[960]), c.flush()); // 20 ms of silence, then the turn's end
        assertThat(out).hasSize(160).containsOnly((byte) 0xFF);
    }

    /**
     * No allocation per chunk: 2,000 chunks of 20 ms through the offset method into a reused array
     * allocate (almost) nothing on this thread, for each conversion of the benchmark.
     */
    @Test
    void noAllocationPerChunkIntoACallerArray() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        AudioFormat[][] conversions = {{AudioFormat.MULAW_8K, AudioFormat.PCM16_16K},
            {AudioFormat.PCM16_24K, AudioFormat.MULAW_8K}, {AudioFormat.pcm16(48000), AudioFormat.PCM16_16K},
            {AudioFormat.PCM16_24K, AudioFormat.pcm16(48000)}, {AudioFormat.pcm16(44100), AudioFormat.PCM16_16K}};
        for (AudioFormat[] c : conversions) {
            AudioConverter converter = new AudioConverter(c[0], c[1]);
            byte[] in = input(c[0], 3);
            int chunk = c[0].bytesPerMillis(20);
            byte[] out = new byte[converter.outputLength(chunk)];
            for (int i = 0; i < 200; i++) {
                converter.convert(in, 0, chunk, out, 0);
            }
            long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
            for (int i = 0; i < 2000; i++) {
                converter.convert(in, (i % 10) * chunk, chunk, out, 0);
            }
            long allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
            assertThat(allocated).as("%s -> %s: bytes allocated by 2,000 chunks", c[0], c[1]).isLessThan(2000);
        }
    }

    @Test
    void rejectsHalfSamples() {
        assertThatThrownBy(() -> new AudioConverter(AudioFormat.PCM16_16K, AudioFormat.MULAW_8K).convert(new byte[5]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("PCM16 16000 Hz needs whole samples of 2 bytes, got 5 bytes");
    }

    @Test
    void formatValidationListsWhatIsAllowed() {
        assertThatThrownBy(() -> AudioFormat.pcm16(12000)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("PCM16 sample rate 12000 Hz is not supported; allowed: 8000, 11025, 16000, 22050, "
                        + "24000, 32000, 44100, 48000 Hz");
        assertThatThrownBy(() -> new AudioFormat(AudioFormat.Encoding.MULAW, 16000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("MULAW sample rate 16000 Hz is not supported; allowed: 8000 Hz (G.711)");
        assertThatThrownBy(() -> new AudioFormat(null, 8000)).isInstanceOf(NullPointerException.class);
        assertThat(AudioFormat.MULAW_8K.bytesPerMillis(20)).isEqualTo(160);
        assertThat(AudioFormat.PCM16_16K.bytesPerMillis(20)).isEqualTo(640);
        assertThat(AudioFormat.pcm16(44100).bytesPerMillis(20)).isEqualTo(1764);
        assertThatThrownBy(() -> AudioFormat.pcm16(11025).bytesPerMillis(10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("whole number of samples");
        assertThat(AudioFormat.PCM16_24K.bytesPerSecond()).isEqualTo(48000);
        assertThat(AudioFormat.ALAW_8K.silence()).isEqualTo((byte) 0xD5);
        assertThat(AudioFormat.MULAW_8K).hasToString("MULAW 8000 Hz").isEqualTo(new AudioFormat(
                AudioFormat.Encoding.MULAW, 8000));
    }

    /**
     * Frames of exactly 160 bytes (20 ms of μ-law) from chunks of random sizes: every frame is 160
     * bytes, the remainder is carried (the frames concatenated are the input's prefix), the flush pads
     * the last partial frame with μ-law silence, and reset drops the remainder.
     */
    @Test
    void framePackerEmitsExactFramesAndCarriesTheRemainder() {
        Random random = new Random(20);
        byte[] stream = new byte[10_007];
        random.nextBytes(stream);
        FramePacker packer = FramePacker.of(AudioFormat.MULAW_8K, 20);
        assertThat(packer.frameBytes()).isEqualTo(160);
        ByteArrayOutputStream framed = new ByteArrayOutputStream();
        int p = 0;
        while (p < stream.length) {
            int n = Math.min(stream.length - p, random.nextInt(400));
            int before = packer.pending();
            int expectedFrames = packer.frameCount(n);
            List<byte[]> frames = packer.add(Arrays.copyOfRange(stream, p, p + n));
            assertThat(frames).hasSize(expectedFrames).allSatisfy(f -> assertThat(f).hasSize(160));
            frames.forEach(framed::writeBytes);
            assertThat(packer.pending()).isEqualTo((before + n) % 160);
            p += n;
        }
        assertThat(framed.toByteArray()).isEqualTo(Arrays.copyOf(stream, 10_007 / 160 * 160));
        byte[] last = packer.flush().orElseThrow();
        assertThat(last).hasSize(160);
        assertThat(Arrays.copyOf(last, 10_007 % 160)).isEqualTo(Arrays.copyOfRange(stream, 10_007 / 160 * 160, 10_007));
        for (int i = 10_007 % 160; i < 160; i++) {
            assertThat(last[i]).isEqualTo((byte) 0xFF);
        }
        assertThat(packer.flush()).isEmpty();

        packer.add(new byte[100]);
        packer.reset();
        assertThat(packer.pending()).isZero();
        assertThat(packer.flush()).isEmpty();

        FramePacker pcm = FramePacker.of(AudioFormat.PCM16_16K, 20);
        assertThat(pcm.add(new byte[1000])).hasSize(1);
        assertThat(pcm.flush().orElseThrow()).hasSize(640).containsOnly((byte) 0);
        assertThatThrownBy(() -> new FramePacker(0, (byte) 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
