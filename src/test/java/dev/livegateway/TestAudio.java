package dev.livegateway;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Generated PCM16 test audio: a tone (speech for the emulator's voice detection) and silence. */
public final class TestAudio {

    private TestAudio() {}

    public static byte[] tone(int sampleRate, int millis, double hz) {
        int samples = sampleRate * millis / 1000;
        ByteBuffer buf = ByteBuffer.allocate(samples * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < samples; i++) {
            buf.putShort((short) (8000 * Math.sin(2 * Math.PI * hz * i / sampleRate)));
        }
        return buf.array();
    }

    public static byte[] silence(int sampleRate, int millis) {
        return new byte[sampleRate * millis / 1000 * 2];
    }

    public static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] p : parts) {
            length += p.length;
        }
        byte[] out = new byte[length];
        int pos = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, pos, p.length);
            pos += p.length;
        }
        return out;
    }
}
