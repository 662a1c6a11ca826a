package dev.livegateway.session;

import dev.livegateway.wire.ServerMessage;
import dev.livegateway.wire.Setup;

/**
 * The Live API's session resumption handle: the latest usable one, and whether the Live API says
 * the session is resumable right now. Used on the session's context only.
 */
final class ResumptionHandle {

    private String value;
    private boolean resumable;

    ResumptionHandle(String initial) {
        this.value = initial;
        this.resumable = initial != null;
    }

    /** The latest usable handle, or null before the first. */
    String value() {
        return value;
    }

    boolean resumable() {
        return resumable;
    }

    /** Takes an update; true when it carries a new usable handle. */
    boolean update(ServerMessage.SessionResumptionUpdate update) {
        resumable = Boolean.TRUE.equals(update.resumable()) && update.newHandle() != null
                && !update.newHandle().isEmpty();
        if (resumable) {
            value = update.newHandle();
        }
        return resumable;
    }

    /** {@code setup}, resuming the Live session when there is a handle. */
    Setup applyTo(Setup setup) {
        if (value == null) {
            return setup;
        }
        Setup.SessionResumption current = setup.sessionResumption();
        return setup.withSessionResumption(new Setup.SessionResumption(value,
                current == null ? null : current.transparent()));
    }
}
