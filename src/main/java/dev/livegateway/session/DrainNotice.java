package dev.livegateway.session;

import dev.livegateway.api.v1.GoingAwayReason;
import dev.livegateway.api.v1.ServerEvent;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The replica's drain as one session sees it: the caller is told how long it has and how to
 * continue (GoingAway, GATEWAY_SHUTDOWN, with its resume token), at once if the session has
 * started, else right after its SessionStarted. Used on the session's context only.
 */
final class DrainNotice {

    private final Consumer<ServerEvent> send;
    private final Supplier<String> tokenForCaller;
    /** Set when the replica drains: the moment the drain ends this session (System.nanoTime()). */
    private Long deadlineNanos;

    DrainNotice(Consumer<ServerEvent> send, Supplier<String> tokenForCaller) {
        this.send = send;
        this.tokenForCaller = tokenForCaller;
    }

    /** The replica drains, ending the session at {@code deadlineNanos}; the caller is told now if {@code started}. */
    void draining(Duration timeLeft, long deadlineNanos, boolean started) {
        this.deadlineNanos = deadlineNanos;
        if (started) {
            tell(timeLeft);
        }
    }

    /** SessionStarted was just sent: a drain that began while the session connected is told now. */
    void sessionStarted() {
        if (deadlineNanos != null) {
            tell(Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime())));
        }
    }

    private void tell(Duration timeLeft) {
        send.accept(SessionEvents.goingAway(GoingAwayReason.GOING_AWAY_REASON_GATEWAY_SHUTDOWN, timeLeft,
                tokenForCaller.get()));
    }
}
