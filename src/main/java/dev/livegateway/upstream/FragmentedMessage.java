package dev.livegateway.upstream;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * The frames of one fragmented WebSocket message (a first frame that is not final, then
 * CONTINUATION frames), joined into one array up to the largest message accepted. One per
 * message, dropped once it is read: the Live API fragments rarely (audio chunks travel in one
 * frame), and a large message's array should not stay with the connection. Used on the
 * connection's context only.
 */
final class FragmentedMessage {

    private final int maxBytes;
    private byte[] bytes = new byte[0];
    private int length;

    FragmentedMessage(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** Appends a frame's payload; false when the message would exceed the maximum. */
    boolean append(ByteBuf payload) {
        int more = payload.readableBytes();
        if (more > maxBytes - length) {
            return false;
        }
        int needed = length + more;
        if (needed > bytes.length) {
            bytes = Arrays.copyOf(bytes, (int) Math.min(maxBytes, Math.max((long) needed, 2L * bytes.length)));
        }
        payload.getBytes(payload.readerIndex(), bytes, length, more);
        length = needed;
        return true;
    }

    /** The joined message is {@code array()[0, length())}. */
    byte[] array() {
        return bytes;
    }

    int length() {
        return length;
    }
}
