package dev.livegateway.emulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livegateway.wire.Content;
import dev.livegateway.wire.Flavour;
import dev.livegateway.wire.ServerMessage;
import dev.livegateway.wire.ServerMessage.ModalityTokenCount;
import dev.livegateway.wire.ServerMessage.ServerContent;
import dev.livegateway.wire.ServerMessage.UsageMetadata;
import dev.livegateway.wire.Setup;
import dev.livegateway.wire.Tool;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The scripted model's replies on one connection: composes a reply (text or audio chunks,
 * transcription, code execution, grounding, usage) and streams it one message per step, paced by
 * the chunk delay, at most one reply in flight, cancellable on barge-in. Runs on the connection's
 * event loop.
 */
final class ReplyStream {

    private static final int AUDIO_MS_PER_WORD = 60;
    private static final int AUDIO_CHUNK_MS = 40;

    private final Vertx vertx;
    private final EmulatorOptions options;
    private final Flavour flavour;
    private final EmulatedModel model;
    private Setup setup;
    private final RecordedSession history;
    private final Consumer<ServerMessage> send;
    private final BooleanSupplier live;
    private final Runnable onTurnComplete;
    /** Whether NON_BLOCKING calls still wait for results (the extended-thinking model then ends WAITING_FOR_INPUT). */
    private final BooleanSupplier awaitingResults;

    private Generation generation;
    private long audioOutSamples;

    /**
     * @param send           writes a message to the client
     * @param live           false once the connection is closed or stalled: no step runs then
     * @param onTurnComplete runs after each {@code turnComplete} the stream sends
     */
    ReplyStream(Vertx vertx, EmulatorOptions options, Flavour flavour, EmulatedModel model, Setup setup,
            RecordedSession history, Consumer<ServerMessage> send, BooleanSupplier live, Runnable onTurnComplete,
            BooleanSupplier awaitingResults) {
        this.vertx = vertx;
        this.options = options;
        this.flavour = flavour;
        this.model = model;
        this.awaitingResults = awaitingResults;
        this.setup = setup;
        this.history = history;
        this.send = send;
        this.live = live;
        this.onTurnComplete = onTurnComplete;
    }

    /** The setup as a context update changed it (system instruction, tools). */
    void context(Setup updated) {
        setup = updated;
    }

    /** Whether a reply (or a tool call, or background reasoning) is in flight. */
    boolean busy() {
        return generation != null;
    }

    /** Cancels the reply in flight; false when there was none. */
    boolean cancel() {
        if (generation == null) {
            return false;
        }
        generation.cancel();
        generation = null;
        return true;
    }

    /** Stops the reply in flight without forgetting it (a stalled connection stays busy). */
    void halt() {
        if (generation != null) {
            generation.cancel();
        }
    }

    /** Answers a user turn with {@code reply}, adding what the setup's built-in tools contribute. */
    void answer(String userText, String reply, String prompt) {
        List<Content.Part> preParts = new ArrayList<>();
        ObjectNode grounding = null;
        if (ScriptedModel.hasTool(setup, t -> t.codeExecution() != null)) {
            var execution = CodeRunner.forRequest(userText);
            if (execution.isPresent()) {
                preParts.add(new Content.Part(null, null, new Content.ExecutableCode("PYTHON", execution.get().code()),
                        null, null));
                preParts.add(new Content.Part(null, null, null,
                        new Content.CodeExecutionResult("OUTCOME_OK", execution.get().output()), null));
                reply = execution.get().answer();
            }
        }
        if (ScriptedModel.hasTool(setup, t -> t.googleSearch() != null)) {
            grounding = ScriptedModel.searchGrounding(userText);
        }
        for (Tool tool : setup.tools() == null ? List.<Tool>of() : setup.tools()) {
            if (tool.retrieval() != null && tool.retrieval().vertexRagStore() != null) {
                ObjectNode rag = ScriptedModel.ragGrounding(userText, tool.retrieval().vertexRagStore());
                if (grounding == null) {
                    grounding = rag;
                } else {
                    ((ArrayNode) grounding.withArray("groundingChunks")).addAll((ArrayNode) rag.get("groundingChunks"));
                }
            }
        }
        Generation g = new Generation();
        inProgress(g);
        addReply(g, prompt, reply, preParts, grounding);
        reasonInBackground(g, userText);
        finish(g);
        start(g);
    }

    /** Says {@code text} as a whole reply (the model's answer to tool results). */
    void say(String text) {
        Generation g = new Generation();
        inProgress(g);
        addReply(g, text, text, List.of(), null);
        finish(g);
        start(g);
    }

    /**
     * Sends a tool call; then, when {@code replyAfter} is not null (only NON_BLOCKING calls), goes
     * on talking while the calls run.
     */
    void callTools(List<ServerMessage.FunctionCall> calls, String userText, String replyAfter) {
        Generation g = new Generation();
        inProgress(g);
        g.step(() -> {
            calls.forEach(call -> history.addIssuedFunctionCall(call.id()));
            send.accept(ServerMessage.of(new ServerMessage.ToolCall(calls)));
        });
        if (replyAfter != null) {
            addReply(g, userText, replyAfter, List.of(), null);
            reasonInBackground(g, userText);
            finish(g);
        }
        start(g);
    }

    /** Sends {@code samples} of output audio at once (the echo of input audio). */
    void sendAudioChunk(int samples) {
        byte[] pcm = Pcm16.speechLike(samples, audioOutSamples);
        audioOutSamples += samples;
        String mime = flavour == Flavour.VERTEX ? "audio/pcm" : "audio/pcm;rate=24000";
        send.accept(ServerMessage.of(ServerContent.modelTurn(modelTurn(List.of(Content.Part.inline(new Content.Blob(mime, pcm)))))));
    }

    private boolean audioOut() {
        Setup.GenerationConfig config = setup.generationConfig();
        if (config == null || config.responseModalities() == null || config.responseModalities().isEmpty()) {
            return false;
        }
        return config.responseModalities().stream().anyMatch(m -> "AUDIO".equalsIgnoreCase(m));
    }

    /** Appends the streamed reply, generationComplete and turnComplete+usage to a generation. */
    private void addReply(Generation g, String prompt, String reply, List<Content.Part> preParts, ObjectNode grounding) {
        int effort = model.effort(setup);
        if (EmulatedModel.includeThoughts(setup)) {
            for (int i = 1; i <= effort; i++) {
                Content.Part thought = new Content.Part(ScriptedModel.thoughtText(prompt, EmulatedModel.effortName(setup),
                        i, effort), null, null, null, Boolean.TRUE);
                g.step(() -> send.accept(ServerMessage.of(ServerContent.modelTurn(modelTurn(List.of(thought))))));
            }
        }
        for (Content.Part part : preParts) {
            g.step(() -> send.accept(ServerMessage.of(ServerContent.modelTurn(modelTurn(List.of(part))))));
        }
        List<String> chunks = ScriptedModel.chunks(reply);
        boolean audio = audioOut();
        if (audio) {
            int totalMs = Math.max(AUDIO_CHUNK_MS, ScriptedModel.wordCount(reply) * AUDIO_MS_PER_WORD);
            int audioChunks = (totalMs + AUDIO_CHUNK_MS - 1) / AUDIO_CHUNK_MS;
            boolean transcribe = setup.outputAudioTranscription() != null;
            int textSent = 0;
            for (int i = 0; i < audioChunks; i++) {
                int ms = Math.min(AUDIO_CHUNK_MS, totalMs - i * AUDIO_CHUNK_MS);
                g.step(() -> sendAudioChunk(Pcm16.OUTPUT_RATE * ms / 1000));
                int dueText = transcribe ? (int) Math.ceil((i + 1) * chunks.size() / (double) audioChunks) : 0;
                while (textSent < dueText) {
                    String piece = chunks.get(textSent++);
                    g.step(() -> send.accept(ServerMessage.of(ServerContent.output(new ServerMessage.Transcription(piece, null)))));
                }
            }
        } else {
            for (String piece : chunks) {
                g.step(() -> send.accept(ServerMessage.of(ServerContent.modelTurn(modelTurn(List.of(Content.Part.text(piece)))))));
            }
        }
        if (grounding != null) {
            g.step(() -> send.accept(ServerMessage.of(ServerContent.grounding(grounding))));
        }
        g.step(() -> send.accept(ServerMessage.of(ServerContent.generationCompleted())));
        g.step(() -> {
            history.addHistory(Content.text("model", reply));
            send.accept(ServerMessage.of(ServerContent.turnCompleted(), usage(prompt, reply, audio, effort)));
            if (!model.backgroundReasoning()) {
                generation = null;
            }
            onTurnComplete.run();
        });
    }

    /** The extended-thinking model says it is working: {@code interactionStatus: IN_PROGRESS} first. */
    private void inProgress(Generation g) {
        if (model.backgroundReasoning()) {
            g.step(() -> send.accept(ServerMessage.of(ServerContent.interaction("IN_PROGRESS", null))));
        }
    }

    /**
     * The extended-thinking model keeps reasoning after {@code turnComplete}: silence for 10 chunk
     * delays per effort level (thought summaries between, when asked for), then it speaks again
     * with what it concluded.
     */
    private void reasonInBackground(Generation g, String userText) {
        if (!model.backgroundReasoning()) {
            return;
        }
        int effort = Math.max(1, model.effort(setup));
        boolean thoughts = EmulatedModel.includeThoughts(setup);
        for (int i = 0; i < effort * 10; i++) {
            g.step(() -> { });
        }
        String conclusion = ScriptedModel.reasonedText(userText, EmulatedModel.effortName(setup));
        if (thoughts) {
            Content.Part thought = new Content.Part(ScriptedModel.thoughtText(userText, EmulatedModel.effortName(setup),
                    effort + 1, effort + 1), null, null, null, Boolean.TRUE);
            g.step(() -> send.accept(ServerMessage.of(ServerContent.modelTurn(modelTurn(List.of(thought))))));
        }
        addReplyWithoutThoughts(g, userText, conclusion);
    }

    private void addReplyWithoutThoughts(Generation g, String prompt, String reply) {
        List<String> chunks = ScriptedModel.chunks(reply);
        boolean audio = audioOut();
        if (audio) {
            int totalMs = Math.max(AUDIO_CHUNK_MS, ScriptedModel.wordCount(reply) * AUDIO_MS_PER_WORD);
            for (int i = 0; i * AUDIO_CHUNK_MS < totalMs; i++) {
                int ms = Math.min(AUDIO_CHUNK_MS, totalMs - i * AUDIO_CHUNK_MS);
                g.step(() -> sendAudioChunk(Pcm16.OUTPUT_RATE * ms / 1000));
            }
            if (setup.outputAudioTranscription() != null) {
                g.step(() -> send.accept(ServerMessage.of(ServerContent.output(new ServerMessage.Transcription(reply, null)))));
            }
        } else {
            for (String piece : chunks) {
                g.step(() -> send.accept(ServerMessage.of(ServerContent.modelTurn(modelTurn(List.of(Content.Part.text(piece)))))));
            }
        }
        g.step(() -> send.accept(ServerMessage.of(ServerContent.generationCompleted())));
        g.step(() -> {
            history.addHistory(Content.text("model", reply));
            send.accept(ServerMessage.of(ServerContent.turnCompleted(), usage(prompt, reply, audio, 0)));
            onTurnComplete.run();
        });
    }

    /**
     * Ends a generation of the extended-thinking model: {@code interactionStatus: IDLE}, or
     * {@code WAITING_FOR_INPUT} with {@code waitingForInput: true} while NON_BLOCKING calls it
     * needs have no result yet; then it is idle (a resumption handle may be issued).
     */
    private void finish(Generation g) {
        if (!model.backgroundReasoning()) {
            return;
        }
        g.step(() -> {
            boolean waiting = awaitingResults.getAsBoolean();
            send.accept(ServerMessage.of(ServerContent.interaction(waiting ? "WAITING_FOR_INPUT" : "IDLE",
                    waiting ? Boolean.TRUE : null)));
            generation = null;
            onTurnComplete.run();
        });
    }

    private Content modelTurn(List<Content.Part> parts) {
        return new Content(flavour == Flavour.VERTEX ? "model" : null, parts);
    }

    private UsageMetadata usage(String prompt, String reply, boolean audio, int effort) {
        UsageMetadata u = usage(prompt, reply, audio);
        if (effort <= 0) {
            return u;
        }
        int thoughts = effort * 32;
        return new UsageMetadata(u.promptTokenCount(), u.responseTokenCount(), u.candidatesTokenCount(),
                u.totalTokenCount() + thoughts, null, null, thoughts, u.promptTokensDetails(), u.responseTokensDetails(),
                u.candidatesTokensDetails(), u.trafficType());
    }

    private UsageMetadata usage(String prompt, String reply, boolean audio) {
        int promptTokens = ScriptedModel.tokens(prompt);
        int responseTokens = audio ? Math.max(1, ScriptedModel.wordCount(reply) * AUDIO_MS_PER_WORD * 25 / 1000)
                : ScriptedModel.tokens(reply);
        List<ModalityTokenCount> promptDetails = List.of(new ModalityTokenCount("TEXT", promptTokens));
        List<ModalityTokenCount> responseDetails = List.of(new ModalityTokenCount(audio ? "AUDIO" : "TEXT", responseTokens));
        int total = promptTokens + responseTokens;
        if (flavour == Flavour.VERTEX) {
            return new UsageMetadata(promptTokens, null, responseTokens, total, null, null, null, promptDetails, null,
                    responseDetails, "ON_DEMAND");
        }
        return new UsageMetadata(promptTokens, responseTokens, null, total, null, null, null, promptDetails,
                responseDetails, null, null);
    }

    private void start(Generation g) {
        generation = g;
        g.runNext();
    }

    /** A reply in flight: steps paced by the chunk delay, cancellable on barge-in. */
    private final class Generation {
        private final List<Runnable> steps = new ArrayList<>();
        private int next;
        private long timer = -1;
        private boolean cancelled;

        void step(Runnable r) {
            steps.add(r);
        }

        void runNext() {
            if (cancelled || !live.getAsBoolean()) {
                return;
            }
            if (next >= steps.size()) {
                if (generation == this) {
                    // A generation that ends without turnComplete waits for a tool response.
                    generation = null;
                }
                return;
            }
            long delay = options.chunkDelay().toMillis();
            Runnable step = steps.get(next++);
            Runnable run = () -> {
                timer = -1;
                if (!cancelled && live.getAsBoolean()) {
                    step.run();
                    runNext();
                }
            };
            if (delay <= 0) {
                vertx.runOnContext(v -> run.run());
            } else {
                timer = vertx.setTimer(delay, id -> run.run());
            }
        }

        void cancel() {
            cancelled = true;
            if (timer >= 0) {
                vertx.cancelTimer(timer);
            }
        }
    }
}
