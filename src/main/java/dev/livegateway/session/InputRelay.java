package dev.livegateway.session;

import dev.livegateway.upstream.LiveConnection;
import dev.livegateway.wire.ClientMessage;
import dev.livegateway.wire.Tool;
import dev.livegateway.wire.Wire;
import java.util.List;

/**
 * The caller → Live API path of one message: note what it means for the conversation (a context
 * update's tools under the model's rules, tool responses, the end of a user turn), write its JSON
 * once, and send it on the open connection or hold it for the next one (the {@link ReplayBuffer}
 * keeps it until the Live API confirms it). Used on the session's context only.
 */
final class InputRelay {

    private final LiveSession session;
    private final SessionPlan plan;
    private final CallerInput input;
    private final ReplayBuffer replay;
    private final ToolCalls toolCalls;
    private final ModelActivity activity;
    private final StallWatchdog stall;
    private final SessionObserver observer;

    InputRelay(LiveSession session, SessionPlan plan, CallerInput input, ReplayBuffer replay, ToolCalls toolCalls,
            ModelActivity activity, StallWatchdog stall, SessionObserver observer) {
        this.session = session;
        this.plan = plan;
        this.input = input;
        this.replay = replay;
        this.toolCalls = toolCalls;
        this.activity = activity;
        this.stall = stall;
        this.observer = observer;
    }

    /**
     * Relays {@code message} (the caller's {@code kind} of event) onto {@code open}, or holds it when
     * the session is moving or not yet open ({@code open} null): never an error for the caller.
     * Returns whether it was handed to the connection now (false: held for the next one).
     *
     * @throws InvalidClientEventException when the model's rules refuse it (a context update's tools)
     */
    boolean relay(ClientMessage message, String kind, LiveConnection open) {
        note(message);
        byte[] json = Wire.write(message);
        input.relaying(json.length);
        boolean sent = false;
        if (open != null) {
            sent = replay.send(open, json, toolCalls.anyBlocking());
        } else {
            replay.hold(json);
        }
        observer.clientMessage(session, kind, json.length);
        return sent;
    }

    private void note(ClientMessage message) {
        if (message.contextUpdate() != null && message.contextUpdate().tools() != null) {
            // The model's rules hold for tools swapped in mid-conversation too.
            List<Tool> tools = message.contextUpdate().tools().tools();
            plan.rules().checkTools(tools, "context_update.tools");
            toolCalls.declared(tools);
        }
        if (message.toolResponse() != null && message.toolResponse().functionResponses() != null) {
            toolCalls.answered(message.toolResponse());
        }
        if (ClientEventTranslator.endsTurn(message)) {
            activity.userTurnEnded();
            stall.watch();
            observer.turnEnded(session);
        }
    }
}
