package dev.livegateway.example;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Minimal RIFF/WAVE reading and writing: 16-bit PCM (format tag 1, or WAVE_FORMAT_EXTENSIBLE; mono
 * or multi-channel, downmixed to mono) and 8-bit G.711 A-law (tag 6) and μ-law (tag 7), mono.
 *
 * @param formatTag {@link #PCM}, {@link #ALAW} or {@link #MULAW}
 * @param sampleRate samples per second
 * @param data the samples: PCM16 little-endian, or one G.711 byte each
 */
public record Wav(int formatTag, int sampleRate, byte[] data) {

    /** WAVE format tag of linear PCM. */
    public static final int PCM = 1;
    /** WAVE format tag of ITU-T G.711 A-law. */
    public static final int ALAW = 6;
    /** WAVE format tag of ITU-T G.711 μ-law. */
    public static final int MULAW = 7;
    private static final int EXTENSIBLE = 0xFFFE;

    public Wav {
        if (formatTag != PCM && formatTag != ALAW && formatTag != MULAW) {
            throw new IllegalArgumentException("WAV format " + formatTag + " is not supported; allowed: 1 (PCM, 16-bit),"
                    + " 6 (A-law), 7 (mu-law)");
        }
    }

    /** 16-bit PCM mono. */
    public Wav(int sampleRate, byte[] pcm16) {
        this(PCM, sampleRate, pcm16);
    }

    /** The samples of a 16-bit PCM file. */
    public byte[] pcm16() {
        if (formatTag != PCM) {
            throw new IllegalStateException("not PCM but WAV format " + formatTag);
        }
        return data;
    }

    public int bytesPerSample() {
        return formatTag == PCM ? 2 : 1;
    }

    public static Wav read(Path path) throws IOException {
        return parse(Files.readAllBytes(path));
    }

    public static Wav parse(byte[] file) {
        ByteBuffer buf = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        if (file.length < 12 || buf.getInt(0) != 0x46464952 || buf.getInt(8) != 0x45564157) {
            throw new IllegalArgumentException("not a RIFF/WAVE file");
        }
        int pos = 12;
        int format = -1;
        int channels = 0;
        int rate = 0;
        int bits = 0;
        while (pos + 8 <= file.length) {
            int id = buf.getInt(pos);
            int size = buf.getInt(pos + 4);
            int body = pos + 8;
            if (id == 0x20746d66) { // "fmt "
                format = buf.getShort(body) & 0xffff;
                channels = buf.getShort(body + 2);
                rate = buf.getInt(body + 4);
                bits = buf.getShort(body + 14);
                if (format == EXTENSIBLE) {
                    format = PCM;
                }
                if (format != PCM && format != ALAW && format != MULAW) {
                    throw new IllegalArgumentException("WAV format " + format + " is not supported; allowed: 1 (PCM),"
                            + " 6 (A-law), 7 (mu-law)");
                }
            } else if (id == 0x61746164) { // "data"
                int length = Math.min(size, file.length - body);
                if (format == PCM) {
                    if (bits != 16 || channels < 1) {
                        throw new IllegalArgumentException("need 16-bit PCM, got " + bits + " bits, " + channels
                                + " channels");
                    }
                    return new Wav(rate, downmix(file, body, length, channels));
                }
                if (format == ALAW || format == MULAW) {
                    if (bits != 8 || channels != 1) {
                        throw new IllegalArgumentException("need 8-bit mono G.711, got " + bits + " bits, " + channels
                                + " channels");
                    }
                    byte[] data = new byte[length];
                    System.arraycopy(file, body, data, 0, length);
                    return new Wav(format, rate, data);
                }
                throw new IllegalArgumentException("WAV data chunk before its fmt chunk");
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

    /** The file: a 16-byte fmt chunk for PCM; for G.711 an 18-byte one and a fact chunk, as the format asks. */
    public byte[] toBytes() {
        boolean pcm = formatTag == PCM;
        int fmtSize = pcm ? 16 : 18;
        int factSize = pcm ? 0 : 12;
        int pad = data.length & 1;
        ByteBuffer buf = ByteBuffer.allocate(12 + 8 + fmtSize + factSize + 8 + data.length + pad)
                .order(ByteOrder.LITTLE_ENDIAN);
        buf.putInt(0x46464952).putInt(buf.capacity() - 8).putInt(0x45564157);
        buf.putInt(0x20746d66).putInt(fmtSize).putShort((short) formatTag).putShort((short) 1).putInt(sampleRate)
                .putInt(sampleRate * bytesPerSample()).putShort((short) bytesPerSample())
                .putShort((short) (8 * bytesPerSample()));
        if (!pcm) {
            buf.putShort((short) 0); // cbSize
            buf.putInt(0x74636166).putInt(4).putInt(data.length); // "fact": sample count
        }
        buf.putInt(0x61746164).putInt(data.length).put(data);
        return buf.array();
    }

    public void write(Path path) throws IOException {
        Files.write(path, toBytes());
    }

    public double seconds() {
        return data.length / (double) bytesPerSample() / sampleRate;
    }
}
