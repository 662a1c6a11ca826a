package dev.livegateway.session;

import dev.livegateway.api.v1.ResumeReason;
import dev.livegateway.api.v1.ServerEvent;
import dev.livegateway.toolrun.CallResult;
import dev.livegateway.tools.GatewayFunction;
import dev.livegateway.wire.ServerMessage;
import java.time.Duration;

/** What a session reports as it runs: the hooks for metrics. Called on the session's context. */
public interface SessionObserver {

    /** The session was created and starts opening its first upstream connection. */
    default void started(LiveSession session) {}

    default void connected(LiveSession session, Duration connectTime) {}

    /** A caller event forwarded to the Live API as {@code bytes} of JSON. */
    default void clientMessage(LiveSession session, String kind, int bytes) {}

    default void serverMessage(LiveSession session) {}

    /**
     * A caller event was relayed: {@code nanos} from its arrival in the session (before translation)
     * until its JSON was handed to the Live API's WebSocket. Not called for input held for a later connection.
     */
    default void relayedToModel(long nanos) {}

    /**
     * A Live API message was relayed: {@code nanos} from its frame's arrival (before parsing) until
     * its events were handed to the caller's stream (or its outbox, when the caller is not ready).
     */
    default void relayedToCaller(long nanos) {}

    /** An event handed to the caller's stream (its serialized size is cached by protobuf once sent). */
    default void serverEvent(LiveSession session, ServerEvent event) {}

    default void turnEnded(LiveSession session) {}

    default void firstOutput(LiveSession session) {}

    default void usage(LiveSession session, ServerMessage.UsageMetadata usage) {}

    default void replayOverflow(LiveSession session) {}

    default void goAway(LiveSession session) {}

    default void moving(LiveSession session, ResumeReason reason) {}

    default void resumed(LiveSession session, ResumeReason reason, int replayed, Duration took) {}

    default void stalled(LiveSession session) {}

    /** The gateway started running {@code function} for the model's call {@code callId}. */
    default void gatewayToolStarted(LiveSession session, GatewayFunction function, String callId) {}

    /** A gateway-run call ended (also when cancelled, or when the session ended meanwhile). */
    default void gatewayToolFinished(LiveSession session, GatewayFunction function, String callId, CallResult result,
            Duration took) {}

    /** The session ended, exactly once per started session, before its end listeners run. */
    default void ended(LiveSession session, SessionOutcome outcome) {}

    SessionObserver NONE = new SessionObserver() {};
}
