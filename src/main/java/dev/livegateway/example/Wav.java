package dev.livegateway.example;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Minimal RIFF/WAVE reading and writing for 16-bit PCM, mono or multi-channel (downmixed to mono). */
public record Wav(int sampleRate, byte[] pcm16) {

    public static Wav read(Path path) throws IOException {
        return parse(Files.readAllBytes(path));
    }

    public static Wav parse(byte[] file) {
        ByteBuffer buf = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        if (file.length < 12 || buf.getInt(0) != 0x46464952 || buf.getInt(8) != 0x45564157) {
            throw new IllegalArgumentException("not a RIFF/WAVE file");
        }
        int pos = 12;
        int channels = 0;
        int rate = 0;
        int bits = 0;
        while (pos + 8 <= file.length) {
            int id = buf.getInt(pos);
            int size = buf.getInt(pos + 4);
            int body = pos + 8;
            if (id == 0x20746d66) { // "fmt "
                int format = buf.getShort(body) & 0xffff;
                channels = buf.getShort(body + 2);
                rate = buf.getInt(body + 4);
                bits = buf.getShort(body + 14);
                if (format != 1 && format != 0xFFFE) {
                    throw new IllegalArgumentException("WAV format " + format + " is not PCM");
                }
            } else if (id == 0x61746164) { // "data"
                if (bits != 16 || channels < 1) {
                    throw new IllegalArgumentException("need 16-bit PCM, got " + bits + " bits, " + channels + " channels");
                }
                int length = Math.min(size, file.length - body);
                return new Wav(rate, downmix(file, body, length, channels));
            }
            pos = body + size + (size & 1);
        }
        throw new IllegalArgumentException("WAV file has no data chunk");
    }

    private static byte[] downmix(byte[] file, int offset, int length, int channels) {
        if (channels == 1) {
            byte[] out = new byte[length & ~1];
            System.arraycopy(file, offset, out, 0, out.length);
            return out;
        }
        ByteBuffer in = ByteBuffer.wrap(file, offset, length).order(ByteOrder.LITTLE_ENDIAN);
        int frames = length / (2 * channels);
        ByteBuffer out = ByteBuffer.allocate(frames * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int f = 0; f < frames; f++) {
            int sum = 0;
            for (int c = 0; c < channels; c++) {
                sum += in.getShort();
            }
            out.putShort((short) (sum / channels));
        }
        return out.array();
    }

    public byte[] toBytes() {
        ByteBuffer buf = ByteBuffer.allocate(44 + pcm16.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.putInt(0x46464952).putInt(36 + pcm16.length).putInt(0x45564157);
        buf.putInt(0x20746d66).putInt(16).putShort((short) 1).putShort((short) 1).putInt(sampleRate)
                .putInt(sampleRate * 2).putShort((short) 2).putShort((short) 16);
        buf.putInt(0x61746164).putInt(pcm16.length).put(pcm16);
        return buf.array();
    }

    public void write(Path path) throws IOException {
        Files.write(path, toBytes());
    }

    public double seconds() {
        return pcm16.length / 2.0 / sampleRate;
    }
}
