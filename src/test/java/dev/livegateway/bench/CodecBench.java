package dev.livegateway.bench;

import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.livegateway.audio.AudioConverter;
import dev.livegateway.audio.AudioFormat;
import dev.livegateway.wire.ClientMessage;
import dev.livegateway.wire.Content;
import dev.livegateway.wire.ServerMessage;
import dev.livegateway.wire.Wire;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * CPU cost of the relay's per-message codec steps, measured in thread CPU time (not wall time),
 * so that the figures hold on a machine shared with other work. Compares the Jackson data-binding
 * path with the gateway's {@link Wire} (which takes the hand-written fast paths for audio), and the
 * cost of converting a 20 ms chunk between audio formats ({@link AudioConverter}).
 *
 * <pre>java -cp 'target/quarkus-app/lib/main/*:target/quarkus-app/app/*' dev.livegateway.bench.CodecBench</pre>
 *
 * Arguments: iterations per round (default 200,000), then optionally {@code audio} for the audio
 * conversions only, or {@code audio-all} for those and every other rate pair the resampler takes
 * without the scalar path (all pairs of 8, 16, 24, 32, 48 kHz; within 11.025, 22.05, 44.1 kHz) and
 * the 44.1 kHz family's pairs with the Live API's rates.
 */
public final class CodecBench {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static volatile long sink;

    private CodecBench() {}

    public static void main(String[] args) {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        if (args.length > 1 && args[1].startsWith("audio")) {
            audio(iterations, args[1].equals("audio-all"));
            return;
        }
        ObjectWriter jacksonWriter = Wire.mapper().writerFor(ClientMessage.class);
        ObjectReader jacksonReader = Wire.mapper().readerFor(ServerMessage.class);
        System.out.println("CPU ns per operation (thread CPU time, median of 5 rounds of " + iterations + ")");
        for (int chunkMs : new int[] {20, 100}) {
            byte[] pcmIn = LoadGenerator.quietNoise(chunkMs * 32);
            byte[] pcmOut = LoadGenerator.quietNoise(chunkMs * 48);
            ClientMessage audio = ClientMessage.of(ClientMessage.RealtimeInput.audio(
                    new Content.Blob("audio/pcm;rate=16000", pcmIn)));
            byte[] echo = Wire.write(ServerMessage.of(ServerMessage.ServerContent.modelTurn(new Content("model",
                    List.of(Content.Part.inline(new Content.Blob("audio/pcm", pcmOut)))))), false);
            System.out.printf(Locale.ROOT, "%n%d ms chunks (%d bytes in, %d bytes out)%n", chunkMs, pcmIn.length,
                    pcmOut.length);
            report("out: realtimeInput.audio to JSON, Jackson data binding", iterations, () -> {
                try {
                    return jacksonWriter.writeValueAsBytes(audio).length;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            report("out: realtimeInput.audio to JSON, Wire.write", iterations, () -> Wire.write(audio).length);
            byte[] json = Wire.write(audio);
            report("out: JSON bytes -> String -> UTF-8 (writeTextMessage round trip)", iterations,
                    () -> new String(json, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8).length);
            report("in: modelTurn.inlineData from JSON, Jackson data binding", iterations, () -> {
                try {
                    return ((ServerMessage) jacksonReader.readValue(echo)).serverContent().modelTurn().parts().size();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            report("in: modelTurn.inlineData from JSON, Wire.readServer", iterations, () -> {
                try {
                    return Wire.readServer(echo).serverContent().modelTurn().parts().size();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            report("in: audio bytes to protobuf, ByteString.copyFrom", iterations,
                    () -> ByteString.copyFrom(pcmOut).size());
            report("in: audio bytes to protobuf, UnsafeByteOperations.unsafeWrap", iterations,
                    () -> UnsafeByteOperations.unsafeWrap(pcmOut).size());
        }
        audio(iterations, false);
    }

    /**
     * CPU per 20 ms chunk of each audio conversion, on one continuous stream per conversion (the
     * resampler's state carried from chunk to chunk, as in a call), into a reused output array.
     */
    private static void audio(int iterations, boolean allPairs) {
        System.out.printf(Locale.ROOT, "%nAudio conversion, one 20 ms chunk (AudioConverter, into a reused array)%n");
        List<AudioFormat[]> conversions = new ArrayList<>(List.of(new AudioFormat[][] {
            {AudioFormat.MULAW_8K, AudioFormat.PCM16_16K},
            {AudioFormat.PCM16_16K, AudioFormat.MULAW_8K},
            {AudioFormat.PCM16_24K, AudioFormat.MULAW_8K},
            {AudioFormat.ALAW_8K, AudioFormat.PCM16_16K},
            {AudioFormat.PCM16_24K, AudioFormat.ALAW_8K},
            {AudioFormat.pcm16(48000), AudioFormat.PCM16_16K},
            {AudioFormat.PCM16_24K, AudioFormat.pcm16(48000)},
            {AudioFormat.pcm16(44100), AudioFormat.PCM16_16K},
            {AudioFormat.PCM16_24K, AudioFormat.pcm16(44100)},
            {AudioFormat.MULAW_8K, AudioFormat.pcm16(8000)},
            {AudioFormat.pcm16(8000), AudioFormat.MULAW_8K},
        }));
        if (allPairs) {
            int[][] families = {{8000, 16000, 24000, 32000, 48000}, {11025, 22050, 44100}};
            for (int[] family : families) {
                for (int in : family) {
                    for (int out : family) {
                        if (in != out) {
                            conversions.add(new AudioFormat[] {AudioFormat.pcm16(in), AudioFormat.pcm16(out)});
                        }
                    }
                }
            }
            for (int rate : new int[] {11025, 22050, 44100}) {
                conversions.add(new AudioFormat[] {AudioFormat.pcm16(rate), AudioFormat.PCM16_16K});
                conversions.add(new AudioFormat[] {AudioFormat.PCM16_24K, AudioFormat.pcm16(rate)});
            }
            conversions.add(new AudioFormat[] {AudioFormat.pcm16(44100), AudioFormat.pcm16(48000)});
        }
        for (AudioFormat[] c : conversions) {
            AudioConverter converter = new AudioConverter(c[0], c[1]);
            // 20 ms; 220 samples (19.95 ms) at 11.025 kHz, whose 20 ms is not a whole number of samples
            byte[] in = LoadGenerator.quietNoise(c[0].bytesPerSample() * (c[0].sampleRate() / 50));
            byte[] out = new byte[converter.outputLength(in.length)];
            long allocated = allocatedBytes();
            long outBytes = c[1].bytesPerSample()
                    * Math.round((double) in.length / c[0].bytesPerSample() * c[1].sampleRate() / c[0].sampleRate());
            report(c[0] + " -> " + c[1] + " (" + in.length + " -> " + outBytes + " bytes)",
                    iterations, () -> converter.convert(in, 0, in.length, out, 0));
            // the converter writes into the reused array: anything allocated is per-chunk garbage
            System.out.printf(Locale.ROOT, "  %-72s %7.2f B%n", "  allocated per chunk",
                    (double) (allocatedBytes() - allocated) / (6L * iterations));
        }
    }

    /** Bytes this thread has allocated so far (HotSpot's com.sun.management extension). */
    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) THREADS).getCurrentThreadAllocatedBytes();
    }

    private static void report(String name, int iterations, LongSupplier op) {
        for (int i = 0; i < iterations; i++) {
            sink += op.getAsLong(); // warm-up: let the JIT compile it
        }
        long[] rounds = new long[5];
        for (int r = 0; r < rounds.length; r++) {
            long start = THREADS.getCurrentThreadCpuTime();
            for (int i = 0; i < iterations; i++) {
                sink += op.getAsLong();
            }
            rounds[r] = (THREADS.getCurrentThreadCpuTime() - start) / iterations;
        }
        java.util.Arrays.sort(rounds);
        System.out.printf(Locale.ROOT, "  %-72s %7d ns%n", name, rounds[2]);
    }
}
