package dev.livegateway.session;

import dev.livegateway.api.v1.ResumeReason;
import dev.livegateway.wire.ServerMessage;
import java.time.Duration;

/** What a session reports as it runs: the hooks for metrics. Called on the session's context. */
public interface SessionObserver {

    default void connected(LiveSession session, Duration connectTime) {}

    default void clientMessage(LiveSession session, String kind) {}

    default void serverMessage(LiveSession session) {}

    default void serverEvent(LiveSession session) {}

    default void turnEnded(LiveSession session) {}

    default void firstOutput(LiveSession session) {}

    default void usage(LiveSession session, ServerMessage.UsageMetadata usage) {}

    default void replayOverflow(LiveSession session) {}

    default void goAway(LiveSession session) {}

    default void moving(LiveSession session, ResumeReason reason) {}

    default void resumed(LiveSession session, ResumeReason reason, int replayed, Duration took) {}

    default void stalled(LiveSession session) {}

    SessionObserver NONE = new SessionObserver() {};
}
