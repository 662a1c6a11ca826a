package dev.livegateway.audio;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Cuts a byte stream into frames of exactly one size (e.g. 20 ms of 8 kHz μ-law = 160 bytes, as
 * telephony media streams expect), carrying the remainder of each chunk into the next. At a turn end
 * {@link #flush()} emits the remainder padded with the format's silence to a whole frame; on a barge-in
 * {@link #reset()} drops it. Not thread-safe.
 */
public final class FramePacker {

    private final int frameBytes;
    private final byte silence;
    private final byte[] pending;
    private int pendingLength;

    /**
     * @param frameBytes the size of every frame, positive
     * @param silence the byte that pads the last frame at {@link #flush()}
     */
    public FramePacker(int frameBytes, byte silence) {
        if (frameBytes <= 0) {
            throw new IllegalArgumentException("frame size must be positive, got " + frameBytes);
        }
        this.frameBytes = frameBytes;
        this.silence = silence;
        this.pending = new byte[frameBytes];
    }

    /**
     * Frames of {@code frameMillis} milliseconds of {@code format}, padded with its silence.
     *
     * @throws IllegalArgumentException if that is not a positive whole number of samples
     */
    public static FramePacker of(AudioFormat format, int frameMillis) {
        return new FramePacker(format.bytesPerMillis(frameMillis), format.silence());
    }

    public int frameBytes() {
        return frameBytes;
    }

    /** Bytes carried to the next call (less than one frame). */
    public int pending() {
        return pendingLength;
    }

    /** Frames that adding {@code moreBytes} would emit now. */
    public int frameCount(int moreBytes) {
        return (pendingLength + moreBytes) / frameBytes;
    }

    /** Adds {@code data[offset..offset+length)}, passing each completed frame to {@code frames}. */
    public void add(byte[] data, int offset, int length, Consumer<byte[]> frames) {
        G711.checkRange(data, offset, length);
        int p = offset;
        int end = offset + length;
        if (pendingLength > 0) {
            int n = Math.min(frameBytes - pendingLength, length);
            System.arraycopy(data, p, pending, pendingLength, n);
            pendingLength += n;
            p += n;
            if (pendingLength < frameBytes) {
                return;
            }
            frames.accept(pending.clone());
            pendingLength = 0;
        }
        while (end - p >= frameBytes) {
            frames.accept(Arrays.copyOfRange(data, p, p + frameBytes));
            p += frameBytes;
        }
        System.arraycopy(data, p, pending, 0, end - p);
        pendingLength = end - p;
    }

    /** Adds a chunk and returns the frames it completed (possibly none). */
    public List<byte[]> add(byte[] data) {
        List<byte[]> frames = new ArrayList<>(frameCount(data.length));
        add(data, 0, data.length, frames::add);
        return frames;
    }

    /**
     * Ends the turn: the pending bytes padded with silence to a whole frame, or empty if none are
     * pending.
     */
    public Optional<byte[]> flush() {
        if (pendingLength == 0) {
            return Optional.empty();
        }
        byte[] frame = Arrays.copyOf(pending, frameBytes);
        Arrays.fill(frame, pendingLength, frameBytes, silence);
        pendingLength = 0;
        return Optional.of(frame);
    }

    /** Drops the pending bytes (barge-in). */
    public void reset() {
        pendingLength = 0;
    }
}
