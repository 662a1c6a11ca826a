package dev.livegateway.session;

import dev.livegateway.api.v1.ServerEvent;
import dev.livegateway.wire.ServerMessage;
import java.util.function.Consumer;

/**
 * The Live API → caller path of one message (the other way is {@link InputRelay}'s): what it counts
 * ({@link ServerMessageBookkeeping}), the gateway-run calls it starts or cancels
 * ({@link GatewayToolRunner}), its events for the caller (translated, without the gateway's own
 * calls, in the caller's audio format), what it says of the model's activity, and the resumption
 * updates and goAways it hands to the {@link ConnectionHandover}; then the stall watch goes on.
 * Whether the session is done is the session's to decide. Used on the session's context only.
 */
final class OutputRelay {

    private final LiveSession session;
    private final ServerMessageBookkeeping bookkeeping;
    private final GatewayToolRunner gatewayTools;
    /** The caller's events: without the gateway's own calls, through the output audio conversion if declared. */
    private final Consumer<ServerEvent> toCaller;
    private final ModelActivity activity;
    private final ConnectionHandover handover;
    private final StallWatchdog stall;

    OutputRelay(LiveSession session, ServerMessageBookkeeping bookkeeping, GatewayToolRunner gatewayTools,
            Consumer<ServerEvent> toCaller, ModelActivity activity, ConnectionHandover handover, StallWatchdog stall) {
        this.session = session;
        this.bookkeeping = bookkeeping;
        this.gatewayTools = gatewayTools;
        this.toCaller = gatewayTools.callerView(toCaller);
        this.activity = activity;
        this.handover = handover;
        this.stall = stall;
    }

    /** Relays {@code message} to the caller and acts on what it says; the session is not ended. */
    void relay(ServerMessage message) {
        if (bookkeeping.note(message, activity.answering())) {
            // The caller's answer must be read even if the session was held back (see ReplayBuffer.sent).
            session.pullInput(0);
        }
        gatewayTools.note(message);
        ServerEventTranslator.translate(message, toCaller);
        boolean wasReasoning = activity.reasoningInBackground();
        if (message.serverContent() != null) {
            activity.note(message.serverContent());
        }
        if (message.sessionResumptionUpdate() != null) {
            handover.onResumptionUpdate(message.sessionResumptionUpdate());
        }
        if (message.goAway() != null) {
            handover.onGoAway(message.goAway());
        } else if (wasReasoning && !activity.reasoningInBackground()) {
            handover.onBackgroundWorkDone();
        }
        stall.watch();
    }
}
