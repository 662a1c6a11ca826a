package dev.livegateway.bench;

import java.util.ArrayDeque;

/**
 * One simulated conversation: audio chunks on a fixed real-time schedule plus periodic text turns,
 * each echoed chunk matched to its send by a FIFO (the emulator echoes in order). Subclasses speak
 * one transport; all methods run on the session's event loop, so the state needs no locks.
 */
abstract class BenchSession {

    /** A cancellable periodic task on the session's event loop. */
    interface Ticker {
        void cancel();
    }

    protected final Measurements measurements;
    private final long periodNanos;
    private final long textEveryNanos;
    private final ArrayDeque<Long> awaitingEcho = new ArrayDeque<>();
    private Ticker ticker;
    private long firstDue;
    private long chunksDue;
    private long nextTextDue = Long.MAX_VALUE;
    private long textAwaitingSince = -1;
    private boolean streaming;
    protected boolean ended;

    BenchSession(Measurements measurements, long periodNanos, long textEveryNanos) {
        this.measurements = measurements;
        this.periodNanos = periodNanos;
        this.textEveryNanos = textEveryNanos;
    }

    /** Opens the conversation; {@link #ready()} follows once the other side has accepted it. */
    abstract void open();

    abstract void sendAudio();

    abstract void sendText(String text);

    /** Ends the conversation politely. */
    abstract void close();

    abstract Ticker every(long initialDelayNanos, long periodNanos, Runnable task);

    abstract void runOnLoop(Runnable task);

    /** Called by subclasses when the session is accepted (sessionStarted / setupComplete). */
    protected final void ready() {
        if (ended) {
            return;
        }
        streaming = true;
        // Spread the sessions' ticks over the period so that they do not all send at once.
        long offset = (long) (Math.random() * periodNanos);
        firstDue = System.nanoTime() + offset;
        chunksDue = 0;
        if (textEveryNanos > 0) {
            nextTextDue = firstDue + (long) (Math.random() * textEveryNanos);
        }
        ticker = every(offset, periodNanos, this::tick);
    }

    private void tick() {
        if (!streaming || ended) {
            return;
        }
        long now = System.nanoTime();
        // Catch up on every chunk that was due (a late timer sends a burst, as a real client would).
        while (firstDue + chunksDue * periodNanos <= now) {
            long due = firstDue + chunksDue * periodNanos;
            chunksDue++;
            awaitingEcho.addLast(due);
            if (measurements.inWindow(due)) {
                measurements.audioSent.increment();
            }
            sendAudio();
            if (due >= nextTextDue) {
                nextTextDue = due + textEveryNanos;
                if (textAwaitingSince < 0) {
                    textAwaitingSince = due;
                }
                if (measurements.inWindow(due)) {
                    measurements.textSent.increment();
                }
                sendText("benchmark turn " + chunksDue);
            }
        }
    }

    /** An output audio chunk arrived: the echo of the oldest unanswered input chunk. */
    protected final void onEcho() {
        long now = System.nanoTime();
        countReceived();
        Long due = awaitingEcho.pollFirst();
        if (due == null) {
            measurements.unexpectedEchoes.increment();
            return;
        }
        if (measurements.inWindow(due)) {
            measurements.audioEchoed.increment();
            measurements.audioRoundTrip.recordValue(Math.max(0, now - due));
        }
    }

    /** Text from the model: the first chunk after a text turn times that turn. */
    protected final void onText() {
        long now = System.nanoTime();
        countReceived();
        if (textAwaitingSince >= 0) {
            if (measurements.inWindow(textAwaitingSince)) {
                measurements.textFirstReply.recordValue(Math.max(0, now - textAwaitingSince));
            }
            textAwaitingSince = -1;
        }
    }

    protected final void countReceived() {
        if (measurements.receivedInWindow()) {
            measurements.received.increment();
        }
    }

    /** Stops sending (the session stays open: idle). */
    final void stopStreaming() {
        runOnLoop(() -> {
            streaming = false;
            if (ticker != null) {
                ticker.cancel();
                ticker = null;
            }
        });
    }

    /** Chunks sent and not echoed yet. */
    final int awaitingEchoes() {
        return awaitingEcho.size();
    }

    /** Chunks sent inside the window that never came back. */
    final long lostInWindow() {
        long lost = 0;
        for (Long due : awaitingEcho) {
            if (measurements.inWindow(due)) {
                lost++;
            }
        }
        return lost;
    }

    /** The stream failed: counted once, as an open failure if it never became ready. */
    protected final void failed(String reason) {
        if (ended) {
            return;
        }
        ended = true;
        boolean atOpen = !streaming && ticker == null;
        streaming = false;
        if (ticker != null) {
            ticker.cancel();
            ticker = null;
        }
        measurements.failure(reason, atOpen);
    }

    final boolean isStreaming() {
        return streaming && !ended;
    }
}
