package dev.livegateway.emulator;

import dev.livegateway.wire.Content;
import dev.livegateway.wire.Flavour;
import dev.livegateway.wire.Tool;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The emulator's server-side state of one Live session (not the gateway's {@code session.LiveSession}),
 * shared by the connections that resume it: the record (consumed messages, history) and the user
 * input gathered for the next turn.
 */
final class EmulatedSession {

    final String id;
    final Flavour flavour;
    final RecordedSession record;
    TurnInput input = new TurnInput();
    ModelState model = new ModelState();

    EmulatedSession(String id, Flavour flavour, RecordedSession record) {
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

        /** The video frames seen since the last reply that mentioned them; forgets them. */
        int takeVideoFrames() {
            int frames = videoFrames;
            videoFrames = 0;
            return frames;
        }

        /** Forgets the audio of an answered turn (video frames are reset when a reply mentions them). */
        void resetAudio() {
            audioSeconds = 0;
            trailingSilenceSeconds = 0;
            speech = false;
        }
    }

    /**
     * What the model keeps across connections and rolls back with a handle: the NON_BLOCKING calls
     * it issued and has no final result for (their results are accepted on any connection of the
     * session), and the context a {@code contextUpdate} set (null: the setup's).
     */
    static final class ModelState {
        Map<String, String> nonBlockingCalls = new LinkedHashMap<>();
        Content systemInstruction;
        List<Tool> tools;

        ModelState copy() {
            ModelState c = new ModelState();
            c.nonBlockingCalls = new LinkedHashMap<>(nonBlockingCalls);
            c.systemInstruction = systemInstruction;
            c.tools = tools;
            return c;
        }
    }

    /** A resumption handle: the session as it was when the handle was issued. */
    record Snapshot(EmulatedSession session, int consumedSize, int historySize, TurnInput input, ModelState model,
            long expiresAtMillis) {}
}
