package dev.livegateway.session;

import dev.livegateway.upstream.LiveConnection;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The session's caller input the Live API has not confirmed: messages sent on the current
 * connection and kept until {@code lastConsumedClientMessageIndex} covers them, and messages held
 * while there is no open connection. Both are replayed, in order, on the next connection. Every
 * byte is counted in the session's {@link InputBudget.Account}. Used on the session's context only.
 *
 * <p>Kept compactly: the JSON arrays themselves and the index of the oldest unconfirmed one, no
 * record per message. The indices of the unconfirmed messages are consecutive, because
 * {@link LiveConnection#sendJson} numbers the messages of its connection one by one, this buffer
 * sends every one of them, and a replay starts from an empty buffer on the new connection.
 */
final class ReplayBuffer {

    private final InputBudget.Account budget;
    /** Called once per message dropped from the replay buffer (see {@link #sent}). */
    private final Runnable overflowed;
    /** Sent and unconfirmed, oldest first: message {@code firstUnconfirmed + i} is the i-th. */
    private final ArrayDeque<byte[]> unconfirmed = new ArrayDeque<>();
    /** The index of {@code unconfirmed}'s head; meaningless while it is empty. */
    private long firstUnconfirmed;
    private long unconfirmedBytes;
    private final ArrayDeque<byte[]> held = new ArrayDeque<>();
    private long heldBytes;
    private long overflows;

    ReplayBuffer(InputBudget.Account budget, Runnable overflowed) {
        this.budget = budget;
        this.overflowed = overflowed;
    }

    /** Keeps input that could not be sent (no open connection) for the next connection. */
    void hold(byte[] json) {
        held.add(json);
        heldBytes += json.length;
        budget.add(json.length);
    }

    /**
     * Keeps input sent as message {@code index} until the Live API confirms it. While a tool call
     * is pending the Live API confirms nothing, and the caller's answer may be queued behind its
     * media: input keeps flowing, and the buffer keeps only the newest within the allowance.
     */
    void sent(long index, byte[] json, boolean toolCallPending) {
        if (unconfirmed.isEmpty()) {
            firstUnconfirmed = index;
        } else if (index != firstUnconfirmed + unconfirmed.size()) {
            throw new IllegalStateException("message " + index + " sent after " + (firstUnconfirmed
                    + unconfirmed.size() - 1) + ": unconfirmed input must be numbered consecutively");
        }
        unconfirmed.add(json);
        unconfirmedBytes += json.length;
        budget.add(json.length);
        if (toolCallPending) {
            long allowance = budget.allowance();
            while (budget.bytes() > allowance && unconfirmed.size() > 1) {
                byte[] dropped = unconfirmed.poll();
                firstUnconfirmed++;
                unconfirmedBytes -= dropped.length;
                budget.release(dropped.length);
                overflows++;
                overflowed.run();
            }
        }
    }

    /**
     * Sends {@code json} on {@code connection}, or holds it when the connection is closed or closing;
     * whether it was sent.
     */
    boolean send(LiveConnection connection, byte[] json, boolean toolCallPending) {
        long index = connection.sendJson(json);
        if (index >= 0) {
            sent(index, json, toolCallPending);
            return true;
        }
        hold(json); // its close handler moves the session; the input goes to the next connection
        return false;
    }

    /** Forgets input the Live API confirmed (up to message {@code index}); whether any room was freed. */
    boolean confirmed(long index) {
        long before = unconfirmedBytes;
        while (!unconfirmed.isEmpty() && firstUnconfirmed <= index) {
            unconfirmedBytes -= unconfirmed.poll().length;
            firstUnconfirmed++;
        }
        if (unconfirmedBytes < before) {
            budget.release(before - unconfirmedBytes);
            return true;
        }
        return false;
    }

    /**
     * Sends everything kept, unconfirmed first, then held, on a new connection; returns how many
     * of them were unconfirmed (replayed rather than delivered late).
     */
    int replayOnto(LiveConnection connection, boolean toolCallPending) {
        List<byte[]> replay = new ArrayList<>(unconfirmed.size() + held.size());
        replay.addAll(unconfirmed);
        int replayed = unconfirmed.size();
        replay.addAll(held);
        unconfirmed.clear();
        budget.release(unconfirmedBytes + heldBytes);
        unconfirmedBytes = 0;
        held.clear();
        heldBytes = 0;
        for (byte[] json : replay) {
            send(connection, json, toolCallPending);
        }
        return replayed;
    }

    /** Messages held while there was no open connection. */
    int heldCount() {
        return held.size();
    }

    /** Without a handle a session can only be rebuilt if no unconfirmed input was ever dropped. */
    boolean coversWholeSession() {
        return overflows == 0;
    }
}
