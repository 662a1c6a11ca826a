package dev.livegateway.session;

import dev.livegateway.wire.ServerMessage;

/**
 * What each message from the Live API changes besides the session's state: the observer's counts
 * (messages, the first output of an answer, token usage) and the tool calls the model makes or
 * withdraws. Used on the session's context only.
 */
final class ServerMessageBookkeeping {

    private final LiveSession session;
    private final SessionObserver observer;
    private final ToolCalls toolCalls;

    ServerMessageBookkeeping(LiveSession session, SessionObserver observer, ToolCalls toolCalls) {
        this.session = session;
        this.observer = observer;
        this.toolCalls = toolCalls;
    }

    /** Notes {@code message}; true when the model called tools (the caller's answer must then be read). */
    boolean note(ServerMessage message, boolean awaitingReply) {
        observer.serverMessage(session);
        boolean called = message.toolCall() != null && message.toolCall().functionCalls() != null;
        if (called) {
            toolCalls.called(message.toolCall());
        }
        if (message.toolCallCancellation() != null && message.toolCallCancellation().ids() != null) {
            toolCalls.cancelled(message.toolCallCancellation().ids());
        }
        if (awaitingReply && (message.serverContent() != null || message.toolCall() != null)) {
            observer.firstOutput(session);
        }
        if (message.usageMetadata() != null) {
            observer.usage(session, message.usageMetadata());
        }
        return called;
    }
}
