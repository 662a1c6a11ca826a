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
 */
final class ReplayBuffer {

    private record Sent(long index, byte[] json) {}

    private final InputBudget.Account budget;
    /** Called once per message dropped from the replay buffer (see {@link #sent}). */
    private final Runnable overflowed;
    private final ArrayDeque<Sent> unconfirmed = new ArrayDeque<>();
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
        unconfirmed.add(new Sent(index, json));
        unconfirmedBytes += json.length;
        budget.add(json.length);
        if (toolCallPending) {
            long allowance = budget.allowance();
            while (budget.bytes() > allowance && unconfirmed.size() > 1) {
                Sent dropped = unconfirmed.poll();
                unconfirmedBytes -= dropped.json().length;
                budget.release(dropped.json().length);
                overflows++;
                overflowed.run();
            }
        }
    }

    /** Sends {@code json} on {@code connection}, or holds it when the connection is closed or closing. */
    void send(LiveConnection connection, byte[] json, boolean toolCallPending) {
        long index = connection.sendJson(json);
        if (index >= 0) {
            sent(index, json, toolCallPending);
        } else {
            hold(json); // its close handler moves the session; the input goes to the next connection
        }
    }

    /** Forgets input the Live API confirmed (up to message {@code index}); whether any room was freed. */
    boolean confirmed(long index) {
        long before = unconfirmedBytes;
        while (!unconfirmed.isEmpty() && unconfirmed.peek().index() <= index) {
            unconfirmedBytes -= unconfirmed.poll().json().length;
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
        unconfirmed.forEach(s -> replay.add(s.json()));
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
