package dev.livegateway.emulator;

import dev.livegateway.wire.ClientMessage.FunctionResponse;
import dev.livegateway.wire.Content;
import dev.livegateway.wire.Flavour;
import dev.livegateway.wire.ServerMessage;
import dev.livegateway.wire.ServerMessage.ServerContent;
import dev.livegateway.wire.Setup;
import dev.livegateway.wire.Tool;
import io.vertx.core.Vertx;
import java.util.List;

/**
 * The scripted model's side of the conversation on one connection: answers each turn the
 * {@link TurnDetector} reports with tool calls ({@link PendingToolCalls}) or a reply
 * ({@link ReplyStream}), stops on barge-in, and answers tool results as their scheduling says.
 * Runs on the connection's event loop.
 */
final class ScriptedConversation implements TurnDetector.Turns {

    /** What the conversation needs of its connection. */
    interface Connection {
        void send(ServerMessage message);

        /** False once the connection is closed or stalled. */
        boolean live();

        /** Closes with 1007 and this reason. */
        void reject(String reason);

        /** Runs after each {@code turnComplete} the model sends. */
        void turnComplete();
    }

    private final Flavour flavour;
    private final EmulatedModel model;
    private Setup setup;
    private final EmulatedSession session;
    private final Connection connection;
    private final PendingToolCalls tools;
    private final ReplyStream reply;

    ScriptedConversation(Vertx vertx, EmulatorOptions options, Flavour flavour, Setup setup, EmulatedSession session,
            long connectionNumber, Connection connection) {
        this.flavour = flavour;
        this.model = EmulatedModel.of(setup.model());
        // A resumed session keeps the context its last contextUpdate set.
        this.setup = session.model.systemInstruction != null || session.model.tools != null
                ? setup.withContext(session.model.systemInstruction != null ? session.model.systemInstruction
                        : setup.systemInstruction(), session.model.tools != null ? session.model.tools : setup.tools())
                : setup;
        this.session = session;
        this.connection = connection;
        this.tools = new PendingToolCalls(connectionNumber, model, session);
        this.reply = new ReplyStream(vertx, options, flavour, model, this.setup, session.record, connection::send,
                connection::live, this::onTurnComplete, tools::nonBlockingPending);
    }

    /**
     * A {@code contextUpdate}: the system instruction and/or the tools replace the ones in use (the
     * model's rules hold for the new tools: a refused one closes 1007), for this connection and any
     * that resumes the session from a later handle.
     */
    void onContextUpdate(dev.livegateway.wire.ClientMessage.ContextUpdate update) {
        List<Tool> newTools = update.tools() == null ? null
                : update.tools().tools() == null ? List.of() : update.tools().tools();
        if (newTools != null) {
            String refusal = model.toolRefusal(newTools);
            if (refusal != null) {
                connection.reject(CloseReasons.INVALID_ARGUMENT);
                return;
            }
            session.model.tools = newTools;
        }
        if (update.systemInstruction() != null) {
            session.model.systemInstruction = update.systemInstruction();
        }
        setup = setup.withContext(update.systemInstruction() != null ? update.systemInstruction() : setup.systemInstruction(),
                newTools != null ? newTools : setup.tools());
        reply.context(setup);
    }

    /** Idle: no reply in flight and no blocking tool call pending (a resumption handle may be issued). */
    boolean idle() {
        return !reply.busy() && !tools.blocking();
    }

    /** Stops the reply in flight, still counting it as in flight (a stalled connection). */
    void halt() {
        reply.halt();
    }

    /** Stops the reply in flight (the connection closes). */
    void stop() {
        reply.cancel();
    }

    @Override
    public void bargeIn() {
        if (tools.blocking()) {
            connection.send(ServerMessage.of(new ServerMessage.ToolCallCancellation(tools.cancelBlocking())));
            reply.cancel();
            connection.send(ServerMessage.of(ServerContent.interruptedTurn()));
            connection.send(ServerMessage.of(ServerContent.turnCompleted()));
        } else if (reply.cancel()) {
            connection.send(ServerMessage.of(ServerContent.interruptedTurn()));
            connection.send(ServerMessage.of(ServerContent.turnCompleted()));
        }
    }

    @Override
    public void textTurn(String text) {
        session.record.addHistory(Content.text("user", text));
        List<Tool.FunctionDeclaration> called = ScriptedModel.functionsCalledBy(text, setup);
        if (!called.isEmpty()) {
            callFunctions(text, called);
            return;
        }
        reply.answer(text, ScriptedModel.replyText(text, session.input.takeVideoFrames()), text);
    }

    @Override
    public void audioTurn(double heardSeconds) {
        String heard = ScriptedModel.heardText(heardSeconds);
        session.record.addHistory(Content.text("user", heard));
        if (setup.inputAudioTranscription() != null) {
            connection.send(ServerMessage.of(ServerContent.input(new ServerMessage.Transcription(heard, Boolean.TRUE))));
        }
        bargeIn();
        reply.answer(heard, ScriptedModel.replyText(heard, session.input.takeVideoFrames()), heard);
    }

    @Override
    public void echo(int outSamples) {
        reply.sendAudioChunk(outSamples);
    }

    @Override
    public void reject(String reason) {
        connection.reject(reason);
    }

    private void callFunctions(String userText, List<Tool.FunctionDeclaration> declarations) {
        PendingToolCalls.Issued issued = tools.issue(declarations, flavour);
        // Only NON_BLOCKING calls: the model keeps talking while they run.
        String replyAfter = tools.blocking() ? null : ScriptedModel.replyText(userText, session.input.takeVideoFrames())
                + " Started " + String.join(", ", issued.nonBlockingNames()) + ".";
        reply.callTools(issued.calls(), userText, replyAfter);
    }

    /** A {@code toolResponse}: answers blocking results at once, NON_BLOCKING ones as scheduled. */
    void onToolResponse(List<FunctionResponse> responses) {
        PendingToolCalls.Answers answers = tools.accept(responses);
        for (FunctionResponse r : answers.nonBlockingResults()) {
            session.record.addHistory(Content.text("user", PendingToolCalls.describe(List.of(r))));
        }
        if (answers.interrupt()) {
            bargeIn();
        }
        if (!answers.answerNow().isEmpty() && idle()) {
            reply.say(PendingToolCalls.describe(answers.answerNow()));
        }
        answerWhenIdle();
    }

    private void onTurnComplete() {
        connection.turnComplete();
        answerWhenIdle();
    }

    private void answerWhenIdle() {
        if (!idle() || !connection.live()) {
            return;
        }
        List<FunctionResponse> next = tools.nextIdleAnswer();
        if (next != null) {
            reply.say(PendingToolCalls.describe(next));
        }
    }
}
