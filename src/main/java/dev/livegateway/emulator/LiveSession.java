package dev.livegateway.emulator;

import dev.livegateway.wire.Flavour;

/**
 * Server-side state of one Live session, shared by the connections that resume it: the record
 * (consumed messages, history) and the user input gathered for the next turn.
 */
final class LiveSession {

    final String id;
    final Flavour flavour;
    final RecordedSession record;
    TurnInput input = new TurnInput();

    LiveSession(String id, Flavour flavour, RecordedSession record) {
        this.id = id;
        this.flavour = flavour;
        this.record = record;
    }

    /** User input not yet answered: audio measured in audio time, video frames, partial text. */
    static final class TurnInput {
        double audioSeconds;
        double trailingSilenceSeconds;
        boolean speech;
        boolean activityOpen;
        int videoFrames;
        StringBuilder pendingText = new StringBuilder();

        TurnInput copy() {
            TurnInput c = new TurnInput();
            c.audioSeconds = audioSeconds;
            c.trailingSilenceSeconds = trailingSilenceSeconds;
            c.speech = speech;
            c.activityOpen = activityOpen;
            c.videoFrames = videoFrames;
            c.pendingText = new StringBuilder(pendingText);
            return c;
        }

        /** Forgets the audio of an answered turn (video frames are reset when a reply mentions them). */
        void resetAudio() {
            audioSeconds = 0;
            trailingSilenceSeconds = 0;
            speech = false;
        }
    }

    /** A resumption handle: the session as it was when the handle was issued. */
    record Snapshot(LiveSession session, int consumedSize, int historySize, TurnInput input, long expiresAtMillis) {}
}
