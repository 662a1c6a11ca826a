package dev.livegateway.emulator;

import dev.livegateway.wire.Flavour;

/**
 * What a connection asks of the emulator's shared state: a new or resumed Live session,
 * resumption handles, and a place under the concurrent-session limit. Thread-safe: connections
 * call it from their own event loops.
 */
interface SessionBook {

    /** Starts a new Live session (recorded when recording is on). */
    EmulatedSession open(Flavour flavour);

    /** The session as it was when {@code handle} was issued, or null when the handle is unknown or expired. */
    EmulatedSession.Snapshot resume(String handle);

    /** Issues a handle to the session as it is now. */
    String issueHandle(EmulatedSession session);

    /** Takes a place for a connection past setup; false when the limit is reached. */
    boolean admit(EmulatorConnection connection);

    /** Gives the connection's place back. */
    void release(EmulatorConnection connection);
}
