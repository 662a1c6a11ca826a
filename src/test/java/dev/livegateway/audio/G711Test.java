package dev.livegateway.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * G.711 against the ITU-T reference: known code/sample pairs of both laws, every code against a
 * transcription of the G.191 {@code g711.c} expand loops, every 16-bit sample against its compress
 * loops (written here independently of {@link G711}: the original shift loops, not its
 * numberOfLeadingZeros), and the decode → encode round trip.
 */
class G711Test {

    // ITU-T G.191 g711.c, transcribed literally (ulaw_compress, ulaw_expand, alaw_compress, alaw_expand)

    private static int referenceUlawCompress(short linear) {
        int absno = linear < 0 ? ((~linear) >> 2) + 33 : (linear >> 2) + 33;
        if (absno > 0x1FFF) {
            absno = 0x1FFF;
        }
        int i = absno >> 6;
        int segno = 1;
        while (i != 0) {
            segno++;
            i >>= 1;
        }
        int highNibble = 0x0008 - segno;
        int lowNibble = (absno >> segno) & 0x000F;
        lowNibble = 0x000F - lowNibble;
        int log = (highNibble << 4) | lowNibble;
        if (linear >= 0) {
            log = log | 0x0080;
        }
        return log;
    }

    private static short referenceUlawExpand(int log) {
        int sign = log < 0x0080 ? -1 : 1;
        int mantissa = ~log;
        int exponent = (mantissa >> 4) & 0x0007;
        int segment = exponent + 1;
        mantissa = mantissa & 0x000F;
        int step = 4 << segment;
        return (short) (sign * ((0x0080 << exponent) + step * mantissa + step / 2 - 4 * 33));
    }

    private static int referenceAlawCompress(short linear) {
        int ix = linear < 0 ? (~linear) >> 4 : linear >> 4;
        if (ix > 15) {
            int iexp = 1;
            while (ix > 16 + 15) {
                ix >>= 1;
                iexp++;
            }
            ix -= 16;
            ix += iexp << 4;
        }
        if (linear >= 0) {
            ix |= 0x0080;
        }
        return ix ^ 0x0055;
    }

    private static short referenceAlawExpand(int log) {
        int ix = log ^ 0x0055;
        ix &= 0x007F;
        int iexp = ix >> 4;
        int mant = ix & 0x000F;
        if (iexp > 0) {
            mant = mant + 16;
        }
        mant = (mant << 4) + 0x0008;
        if (iexp > 1) {
            mant = mant << (iexp - 1);
        }
        return (short) (log > 127 ? mant : -mant);
    }

    @Test
    void muLawKnownValues() {
        // decode: sign bit set = positive; all bits inverted; 0xFF and 0x7F are +0 and -0
        assertThat(G711.MULAW.decode(0xFF)).isEqualTo((short) 0);
        assertThat(G711.MULAW.decode(0x7F)).isEqualTo((short) 0);
        assertThat(G711.MULAW.decode(0xFE)).isEqualTo((short) 8);
        assertThat(G711.MULAW.decode(0x7E)).isEqualTo((short) -8);
        assertThat(G711.MULAW.decode(0xF0)).isEqualTo((short) 120); // end of the first segment
        assertThat(G711.MULAW.decode(0xEF)).isEqualTo((short) 132);
        assertThat(G711.MULAW.decode(0x80)).isEqualTo((short) 32124); // max
        assertThat(G711.MULAW.decode(0x00)).isEqualTo((short) -32124); // min
        // encode
        assertThat(G711.MULAW.encode(0)).isEqualTo((byte) 0xFF);
        assertThat(G711.MULAW.encode(-1)).isEqualTo((byte) 0x7F);
        assertThat(G711.MULAW.encode(8)).isEqualTo((byte) 0xFE);
        assertThat(G711.MULAW.encode(-8)).isEqualTo((byte) 0x7E);
        assertThat(G711.MULAW.encode(32124)).isEqualTo((byte) 0x80);
        assertThat(G711.MULAW.encode(Short.MAX_VALUE)).isEqualTo((byte) 0x80); // clipped
        assertThat(G711.MULAW.encode(Short.MIN_VALUE)).isEqualTo((byte) 0x00);
        assertThat(G711.MULAW.silence()).isEqualTo((byte) 0xFF);
    }

    @Test
    void aLawKnownValues() {
        // decode: even bits inverted (XOR 0x55); sign bit set = positive; no zero code, smallest ±8
        assertThat(G711.ALAW.decode(0xD5)).isEqualTo((short) 8);
        assertThat(G711.ALAW.decode(0x55)).isEqualTo((short) -8);
        assertThat(G711.ALAW.decode(0xD4)).isEqualTo((short) 24);
        assertThat(G711.ALAW.decode(0xC5)).isEqualTo((short) 264); // first code of segment 1
        assertThat(G711.ALAW.decode(0xAA)).isEqualTo((short) 32256); // max
        assertThat(G711.ALAW.decode(0x2A)).isEqualTo((short) -32256); // min
        // encode
        assertThat(G711.ALAW.encode(0)).isEqualTo((byte) 0xD5);
        assertThat(G711.ALAW.encode(-1)).isEqualTo((byte) 0x55);
        assertThat(G711.ALAW.encode(15)).isEqualTo((byte) 0xD5);
        assertThat(G711.ALAW.encode(16)).isEqualTo((byte) 0xD4);
        assertThat(G711.ALAW.encode(Short.MAX_VALUE)).isEqualTo((byte) 0xAA);
        assertThat(G711.ALAW.encode(Short.MIN_VALUE)).isEqualTo((byte) 0x2A);
        assertThat(G711.ALAW.silence()).isEqualTo((byte) 0xD5);
    }

    @Test
    void everyCodeDecodesAsTheReference() {
        for (int code = 0; code < 256; code++) {
            assertThat(G711.MULAW.decode(code)).as("mu-law %02x", code).isEqualTo(referenceUlawExpand(code));
            assertThat(G711.ALAW.decode(code)).as("A-law %02x", code).isEqualTo(referenceAlawExpand(code));
        }
    }

    @Test
    void everySampleEncodesAsTheReference() {
        for (int s = Short.MIN_VALUE; s <= Short.MAX_VALUE; s++) {
            int mu = referenceUlawCompress((short) s);
            int a = referenceAlawCompress((short) s);
            if ((G711.MULAW.encode(s) & 0xFF) != mu || (G711.ALAW.encode(s) & 0xFF) != a) {
                assertThat(G711.MULAW.encode(s) & 0xFF).as("mu-law of %d", s).isEqualTo(mu);
                assertThat(G711.ALAW.encode(s) & 0xFF).as("A-law of %d", s).isEqualTo(a);
            }
        }
    }

    @Test
    void decodeThenEncodeIsTheIdentityOnEveryCode() {
        for (int code = 0; code < 256; code++) {
            assertThat(G711.ALAW.encode(G711.ALAW.decode(code)) & 0xFF).as("A-law %02x", code).isEqualTo(code);
            // mu-law has two zeros: -0 (0x7F) decodes to 0, which encodes as +0 (0xFF); all others round trip
            int expected = code == 0x7F ? 0xFF : code;
            assertThat(G711.MULAW.encode(G711.MULAW.decode(code)) & 0xFF).as("mu-law %02x", code)
                    .isEqualTo(expected);
        }
    }

    @Test
    void arrayMethodsWriteLittleEndianAtTheOffsets() {
        byte[] codes = {(byte) 0x80, (byte) 0x00, (byte) 0xFE, (byte) 0xFF};
        byte[] pcm = new byte[3 + 8];
        assertThat(G711.MULAW.decode(codes, 0, 4, pcm, 3)).isEqualTo(8);
        ByteBuffer le = ByteBuffer.wrap(pcm, 3, 8).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(new short[] {le.getShort(), le.getShort(), le.getShort(), le.getShort()})
                .containsExactly((short) 32124, (short) -32124, (short) 8, (short) 0);
        assertThat(G711.MULAW.decode(codes)).isEqualTo(java.util.Arrays.copyOfRange(pcm, 3, 11));

        byte[] back = new byte[2 + 4];
        assertThat(G711.MULAW.encode(pcm, 3, 8, back, 2)).isEqualTo(4);
        assertThat(java.util.Arrays.copyOfRange(back, 2, 6)).isEqualTo(codes);
        assertThat(G711.MULAW.encode(java.util.Arrays.copyOfRange(pcm, 3, 11))).isEqualTo(codes);
    }

    @Test
    void byteBufferMethodsMatchTheArrayMethods() {
        byte[] codes = new byte[256];
        for (int i = 0; i < 256; i++) {
            codes[i] = (byte) i;
        }
        for (G711 law : G711.values()) {
            ByteBuffer pcm = ByteBuffer.allocateDirect(512);
            ByteBuffer in = ByteBuffer.wrap(codes);
            law.decode(in, pcm);
            assertThat(in.hasRemaining()).isFalse();
            pcm.flip();
            byte[] pcmBytes = new byte[512];
            pcm.duplicate().get(pcmBytes);
            assertThat(pcmBytes).isEqualTo(law.decode(codes));
            ByteBuffer back = ByteBuffer.allocate(256);
            law.encode(pcm, back);
            assertThat(back.array()).isEqualTo(law.encode(pcmBytes));
        }
    }

    @Test
    void rejectsHalfSamplesAndShortOutputs() {
        assertThatThrownBy(() -> G711.MULAW.encode(new byte[3])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("even number of bytes");
        assertThatThrownBy(() -> G711.ALAW.decode(new byte[4], 0, 4, new byte[7], 0))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> G711.ALAW.decode(ByteBuffer.allocate(4), ByteBuffer.allocate(7)))
                .isInstanceOf(java.nio.BufferOverflowException.class);
    }
}
