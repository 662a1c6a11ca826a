package dev.livegateway.audio;

import java.nio.ByteBuffer;

/**
 * ITU-T G.711 companding, μ-law and A-law, by table lookup: decoding through a 256-entry table of
 * 16-bit samples, encoding through a 65,536-entry table indexed by the 16-bit sample. Both tables are
 * computed once at class initialisation with the segment arithmetic of the ITU-T G.191 reference
 * implementation ({@code g711.c}: {@code ulaw_compress/ulaw_expand}, {@code alaw_compress/alaw_expand}),
 * so every code and every 16-bit sample maps exactly as the reference does. Linear samples are 16-bit
 * (the reference's left-justified 14-bit μ-law and 13-bit A-law scale): μ-law decodes to ±32,124 at
 * most, A-law to ±32,256.
 *
 * <p>PCM16 is signed little-endian. The array methods write into a caller-given array at an offset and
 * allocate nothing; the convenience methods allocate only the returned array.
 */
public enum G711 {

    /** μ-law (North America, Japan; Twilio, Telnyx and most SIP trunks). Silence is {@code 0xFF}. */
    MULAW,
    /** A-law (Europe and most of the rest of the world). Silence is {@code 0xD5}. */
    ALAW;

    private final short[] decode = new short[256];
    private final byte[] encode = new byte[65536];

    G711() {
        boolean mu = ordinal() == 0;
        for (int code = 0; code < 256; code++) {
            decode[code] = (short) (mu ? ulawExpand(code) : alawExpand(code));
        }
        for (int s = Short.MIN_VALUE; s <= Short.MAX_VALUE; s++) {
            encode[s & 0xFFFF] = (byte) (mu ? ulawCompress(s) : alawCompress(s));
        }
    }

    /** The code for silence (a zero sample): {@code 0xFF} for μ-law, {@code 0xD5} for A-law. */
    public byte silence() {
        return encode[0];
    }

    /** The 16-bit linear sample of one code (only the low 8 bits of {@code code} count). */
    public short decode(int code) {
        return decode[code & 0xFF];
    }

    /** The code of one 16-bit linear sample (only the low 16 bits of {@code sample} count). */
    public byte encode(int sample) {
        return encode[sample & 0xFFFF];
    }

    /**
     * Decodes {@code length} codes from {@code in[inOffset..]} into PCM16 little-endian at
     * {@code out[outOffset..]}, which must have room for {@code 2 * length} bytes.
     *
     * @return the number of bytes written, {@code 2 * length}
     */
    public int decode(byte[] in, int inOffset, int length, byte[] out, int outOffset) {
        checkRange(in, inOffset, length);
        checkRange(out, outOffset, 2 * length);
        short[] table = decode;
        for (int i = 0, o = outOffset; i < length; i++, o += 2) {
            short s = table[in[inOffset + i] & 0xFF];
            out[o] = (byte) s;
            out[o + 1] = (byte) (s >> 8);
        }
        return 2 * length;
    }

    /** Decodes a whole chunk of codes to a new PCM16 little-endian array. */
    public byte[] decode(byte[] in) {
        byte[] out = new byte[2 * in.length];
        decode(in, 0, in.length, out, 0);
        return out;
    }

    /**
     * Decodes all remaining codes of {@code in} into {@code out} as PCM16 little-endian (whatever
     * {@code out}'s byte order), advancing both positions.
     *
     * @throws java.nio.BufferOverflowException if {@code out} has less room than twice {@code in}'s
     *     remaining bytes (then neither buffer is changed)
     */
    public void decode(ByteBuffer in, ByteBuffer out) {
        int n = in.remaining();
        if (out.remaining() < 2 * n) {
            throw new java.nio.BufferOverflowException();
        }
        short[] table = decode;
        for (int i = 0; i < n; i++) {
            short s = table[in.get() & 0xFF];
            out.put((byte) s).put((byte) (s >> 8));
        }
    }

    /**
     * Encodes the PCM16 little-endian samples in {@code in[inOffset..inOffset+byteLength)} into one code
     * each at {@code out[outOffset..]}.
     *
     * @return the number of codes written, {@code byteLength / 2}
     * @throws IllegalArgumentException if {@code byteLength} is odd (half a sample)
     */
    public int encode(byte[] in, int inOffset, int byteLength, byte[] out, int outOffset) {
        checkEven(byteLength);
        checkRange(in, inOffset, byteLength);
        int n = byteLength >> 1;
        checkRange(out, outOffset, n);
        byte[] table = encode;
        for (int i = 0, p = inOffset; i < n; i++, p += 2) {
            out[outOffset + i] = table[(in[p] & 0xFF) | (in[p + 1] & 0xFF) << 8];
        }
        return n;
    }

    /** Encodes a whole chunk of PCM16 little-endian samples to a new array of codes. */
    public byte[] encode(byte[] in) {
        checkEven(in.length);
        byte[] out = new byte[in.length >> 1];
        encode(in, 0, in.length, out, 0);
        return out;
    }

    /**
     * Encodes all remaining PCM16 little-endian samples of {@code in} (whatever its byte order) into
     * {@code out}, advancing both positions.
     *
     * @throws IllegalArgumentException if {@code in} holds an odd number of bytes
     * @throws java.nio.BufferOverflowException if {@code out} has less room than half of {@code in}'s
     *     remaining bytes (then neither buffer is changed)
     */
    public void encode(ByteBuffer in, ByteBuffer out) {
        checkEven(in.remaining());
        int n = in.remaining() >> 1;
        if (out.remaining() < n) {
            throw new java.nio.BufferOverflowException();
        }
        byte[] table = encode;
        for (int i = 0; i < n; i++) {
            int lo = in.get() & 0xFF;
            out.put(table[lo | (in.get() & 0xFF) << 8]);
        }
    }

    static void checkEven(int byteLength) {
        if ((byteLength & 1) != 0) {
            throw new IllegalArgumentException(
                    "PCM16 needs an even number of bytes (2 per sample), got " + byteLength);
        }
    }

    static void checkRange(byte[] array, int offset, int length) {
        if (offset < 0 || length < 0 || offset > array.length - length) {
            throw new IndexOutOfBoundsException(
                    "offset " + offset + ", length " + length + " out of an array of " + array.length);
        }
    }

    // The ITU-T G.191 reference arithmetic, used only to fill the tables. The segment (exponent) is the
    // bit length of the magnitude, found with numberOfLeadingZeros instead of the reference's shift loop.

    /** G.191 ulaw_compress for one 16-bit sample (14 most significant bits used). */
    private static int ulawCompress(int sample) {
        int magnitude = ((sample < 0 ? ~sample : sample) >> 2) + 33; // one's complement magnitude, biased
        if (magnitude > 0x1FFF) {
            magnitude = 0x1FFF;
        }
        int segment = 33 - Integer.numberOfLeadingZeros(magnitude >> 6); // 1..8
        int code = (8 - segment) << 4 | (15 - ((magnitude >> segment) & 0xF));
        return sample >= 0 ? code | 0x80 : code;
    }

    /** G.191 ulaw_expand for one code. */
    private static int ulawExpand(int code) {
        int inverted = ~code;
        int exponent = (inverted >> 4) & 7;
        int mantissa = inverted & 0xF;
        int step = 4 << (exponent + 1);
        int magnitude = (0x80 << exponent) + step * mantissa + step / 2 - 4 * 33;
        return code < 0x80 ? -magnitude : magnitude;
    }

    /** G.191 alaw_compress for one 16-bit sample (12 most significant bits used). */
    private static int alawCompress(int sample) {
        int magnitude = (sample < 0 ? ~sample : sample) >> 4; // one's complement magnitude, 0..2047
        int code;
        if (magnitude <= 15) {
            code = magnitude;
        } else {
            int exponent = 28 - Integer.numberOfLeadingZeros(magnitude); // 16..31 -> 1, 32..63 -> 2, ...
            code = exponent << 4 | ((magnitude >> (exponent - 1)) & 0xF);
        }
        if (sample >= 0) {
            code |= 0x80;
        }
        return code ^ 0x55;
    }

    /** G.191 alaw_expand for one code. */
    private static int alawExpand(int code) {
        int ix = (code ^ 0x55) & 0x7F;
        int exponent = ix >> 4;
        int mantissa = ix & 0xF;
        if (exponent > 0) {
            mantissa += 16;
        }
        mantissa = (mantissa << 4) + 8;
        if (exponent > 1) {
            mantissa <<= exponent - 1;
        }
        return code > 127 ? mantissa : -mantissa;
    }
}
