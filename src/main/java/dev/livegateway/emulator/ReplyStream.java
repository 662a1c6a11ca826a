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
    private final Setup setup;
    private final RecordedSession history;
    private final Consumer<ServerMessage> send;
    private final BooleanSupplier live;
    private final Runnable onTurnComplete;

    private Generation generation;
    private long audioOutSamples;

    /**
     * @param send           writes a message to the client
     * @param live           false once the connection is closed or stalled: no step runs then
     * @param onTurnComplete runs after each {@code turnComplete} the stream sends
     */
    ReplyStream(Vertx vertx, EmulatorOptions options, Flavour flavour, Setup setup, RecordedSession history,
            Consumer<ServerMessage> send, BooleanSupplier live, Runnable onTurnComplete) {
        this.vertx = vertx;
        this.options = options;
        this.flavour = flavour;
        this.setup = setup;
        this.history = history;
        this.send = send;
        this.live = live;
        this.onTurnComplete = onTurnComplete;
    }

    /** Whether a reply (or a tool call) is in flight. */
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
        addReply(g, prompt, reply, preParts, grounding);
        start(g);
    }

    /** Says {@code text} as a whole reply (the model's answer to tool results). */
    void say(String text) {
        Generation g = new Generation();
        addReply(g, text, text, List.of(), null);
        start(g);
    }

    /**
     * Sends a tool call; then, when {@code replyAfter} is not null (only NON_BLOCKING calls), goes
     * on talking while the calls run.
     */
    void callTools(List<ServerMessage.FunctionCall> calls, String userText, String replyAfter) {
        Generation g = new Generation();
        g.step(() -> {
            calls.forEach(call -> history.addIssuedFunctionCall(call.id()));
            send.accept(ServerMessage.of(new ServerMessage.ToolCall(calls)));
        });
        if (replyAfter != null) {
            addReply(g, userText, replyAfter, List.of(), null);
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
            send.accept(ServerMessage.of(ServerContent.turnCompleted(), usage(prompt, reply, audio)));
            generation = null;
            onTurnComplete.run();
        });
    }

    private Content modelTurn(List<Content.Part> parts) {
        return new Content(flavour == Flavour.VERTEX ? "model" : null, parts);
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
