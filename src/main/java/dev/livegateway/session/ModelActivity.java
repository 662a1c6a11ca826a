package dev.livegateway.session;

import dev.livegateway.wire.ServerMessage.ServerContent;
import java.util.Locale;

/**
 * Whether the model is working for the caller, read from what it relays rather than from
 * {@code turnComplete} alone: on a model that reports {@code serverContent.interactionStatus}
 * (the extended-thinking model reasons in the background and speaks again after
 * {@code turnComplete}) only {@code IDLE} or {@code WAITING_FOR_INPUT} (or
 * {@code waitingForInput: true}) ends its work. The session's resumable moment (the goAway
 * handover), the half-close grace and the stall watchdog follow it. Used on the session's context only.
 *
 * <ul>
 *   <li>{@link #answering()}: a user turn ended and its answer has not completed; the stall watchdog
 *   expects output meanwhile.
 *   <li>{@link #reasoningInBackground()}: the answer completed ({@code turnComplete}) but the model
 *   said it is still {@code IN_PROGRESS}: silence is expected, moving the session would lose the work.
 *   <li>{@link #busy()}: either.
 * </ul>
 */
final class ModelActivity {

    /** Whether the model is followed by interactionStatus: from the start (the table says so) or from its first status. */
    private boolean followsStatus;
    private boolean answering;
    private boolean working;

    /** {@code backgroundReasoning}: the model is known to work on after turnComplete (the capability table). */
    ModelActivity(boolean backgroundReasoning) {
        this.followsStatus = backgroundReasoning;
    }

    /** The caller ended a user turn: an answer is due, and a status-reporting model works until it says it is idle. */
    void userTurnEnded() {
        answering = true;
        if (followsStatus) {
            working = true;
        }
    }

    /** Notes the turn signals of a {@code serverContent}. */
    void note(ServerContent content) {
        String status = interactionStatus(content);
        if (status != null) {
            followsStatus = true;
            switch (status.toUpperCase(Locale.ROOT)) {
                case "IN_PROGRESS" -> working = true;
                // REQUIRES_ACTION: the deprecated spelling of WAITING_FOR_INPUT.
                case "IDLE", "WAITING_FOR_INPUT", "REQUIRES_ACTION" -> {
                    working = false;
                    answering = false;
                }
                default -> { }
            }
        }
        if (Boolean.TRUE.equals(content.waitingForInput())) {
            working = false;
            answering = false;
        }
        if (Boolean.TRUE.equals(content.turnComplete())) {
            answering = false;
        }
    }

    /** An answer to a user turn is due or streaming. */
    boolean answering() {
        return answering;
    }

    /** The answer completed but the model reported it is still working. */
    boolean reasoningInBackground() {
        return !answering && followsStatus && working;
    }

    /** The model owes the caller something: an answer, or the end of its background work. */
    boolean busy() {
        return answering || reasoningInBackground();
    }

    private static String interactionStatus(ServerContent content) {
        String status = content.interactionStatus();
        return status == null || status.isBlank() ? null : status;
    }
}
