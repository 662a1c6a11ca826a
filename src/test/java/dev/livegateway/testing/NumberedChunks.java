package dev.livegateway.testing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The exactly-once check's audio: 20 ms chunks of PCM16 16 kHz speech-like tone whose first 8
 * samples carry the chunk's sequence number (one nibble each), so the emulator's audio echo of what
 * the Live API consumed can be read back as the sequence of chunks it received.
 */
public final class NumberedChunks {

    /** Samples of one chunk: 20 ms at 16 kHz. */
    public static final int CHUNK_SAMPLES = 320;

    private NumberedChunks() {
    }

    /** Chunk number {@code seq} as PCM16 little-endian bytes. */
    public static byte[] chunk(int seq) {
        ByteBuffer buf = ByteBuffer.allocate(CHUNK_SAMPLES * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < CHUNK_SAMPLES; i++) {
            short sample = i < 8 ? (short) ((seq >> (4 * i)) & 0xF) : (short) (6000 * Math.sin(2 * Math.PI * 440 * i / 16000.0));
            buf.putShort(sample);
        }
        return buf.array();
    }

    /** The sequence number a chunk (or its echo) carries. */
    public static int sequenceOf(byte[] pcm) {
        ByteBuffer buf = ByteBuffer.wrap(pcm).order(ByteOrder.LITTLE_ENDIAN);
        int seq = 0;
        for (int i = 0; i < 8; i++) {
            seq |= (buf.getShort(i * 2) & 0xF) << (4 * i);
        }
        return seq;
    }
}
