package dev.livegateway.bench;

import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.livegateway.wire.ClientMessage;
import dev.livegateway.wire.Content;
import dev.livegateway.wire.ServerMessage;
import dev.livegateway.wire.Wire;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * CPU cost of the relay's per-message codec steps, measured in thread CPU time (not wall time),
 * so that the figures hold on a machine shared with other work. Compares the Jackson data-binding
 * path with the gateway's {@link Wire} (which takes the hand-written fast paths for audio).
 *
 * <pre>java -cp 'target/quarkus-app/lib/main/*:target/quarkus-app/app/*' dev.livegateway.bench.CodecBench</pre>
 */
public final class CodecBench {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static volatile long sink;

    private CodecBench() {}

    public static void main(String[] args) {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
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
