package dev.livegateway.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livegateway.wire.ClientMessage;
import dev.livegateway.wire.ClientMessage.FunctionResponse;
import dev.livegateway.wire.ClientMessage.RealtimeInput;
import dev.livegateway.wire.Content;
import dev.livegateway.wire.Flavour;
import dev.livegateway.wire.ServerMessage;
import dev.livegateway.wire.ServerMessage.ModalityTokenCount;
import dev.livegateway.wire.ServerMessage.ServerContent;
import dev.livegateway.wire.ServerMessage.UsageMetadata;
import dev.livegateway.wire.Setup;
import dev.livegateway.wire.Tool;
import dev.livegateway.wire.Wire;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.net.impl.ConnectionBase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One WebSocket connection: enforces the protocol (setup first, one field per message), runs the
 * scripted model, issues resumption handles and applies fault rules. Every method runs on the
 * connection's event loop, so no locking is needed for the connection's own state.
 */
final class EmulatorConnection {

    // JDK logging (routed to the Quarkus log when embedded): the stand-alone classpath has no jboss-logging.
    private static final System.Logger LOG = System.getLogger(EmulatorConnection.class.getName());
    private static final double VAD_FRAME_SECONDS = 0.01;
    private static final int AUDIO_MS_PER_WORD = 60;
    private static final int AUDIO_CHUNK_MS = 40;

    private final LiveApiEmulator emulator;
    private final HttpServerRequest request;
    private final ServerWebSocket ws;
    private final Flavour flavour;
    private final RecordedConnection record;
    private final EmulatorOptions options;
    private final long openedAtMillis = System.currentTimeMillis();
    private final List<Long> timers = new ArrayList<>();

    private int nextIndex;
    private long lastConsumedIndex = -1;
    private int consumedOnConnection;
    private Setup setup;
    private LiveSession session;
    private boolean setupCompleteSent;
    private boolean closed;
    private boolean stalled;
    private boolean admitted;

    private Generation generation;
    private final Map<String, String> pendingBlocking = new LinkedHashMap<>();
    private final Map<String, String> pendingNonBlocking = new LinkedHashMap<>();
    private final Deque<List<FunctionResponse>> answersWhenIdle = new ArrayDeque<>();
    private final List<FaultRule> messageTriggeredFaults = new ArrayList<>();
    private int consumedSinceUpdate;
    private long lastUpdateMillis = System.currentTimeMillis();
    private long audioOutSamples;

    EmulatorConnection(LiveApiEmulator emulator, HttpServerRequest request, ServerWebSocket ws, Flavour flavour,
            RecordedConnection record) {
        this.emulator = emulator;
        this.request = request;
        this.ws = ws;
        this.flavour = flavour;
        this.record = record;
        this.options = emulator.options();
    }

    void start() {
        ws.textMessageHandler(text -> onFrame(text.getBytes(StandardCharsets.UTF_8)));
        ws.binaryMessageHandler(buffer -> onFrame(buffer.getBytes()));
        ws.closeHandler(v -> onClosed());
        ws.exceptionHandler(e -> LOG.log(System.Logger.Level.DEBUG, () -> String.format("connection %d: %s", record.number(), e.getMessage())));
    }

    // ---- inbound ------------------------------------------------------------------------------

    private void onFrame(byte[] bytes) {
        if (closed) {
            return;
        }
        int index = nextIndex++;
        // The JSON tree is for the record (and the raw setup); a load test without recording reads
        // each message once, with the data binding only.
        JsonNode raw = null;
        int recordedBytes = bytes.length;
        if (options.recording() || setup == null) {
            try {
                raw = Wire.mapper().readTree(bytes);
            } catch (IOException e) {
                String text = new String(bytes, StandardCharsets.UTF_8);
                int max = options.recordingMaxPayloadChars();
                record.recordMessage(Wire.mapper().getNodeFactory().textNode(text.length() <= max ? text
                        : text.substring(0, max) + "... [" + (text.length() - max) + " characters not recorded]"),
                        Math.min(bytes.length, max));
                closeWith(CloseReasons.INVALID_PAYLOAD, "Invalid JSON payload received.");
                return;
            }
            if (setup != null && bytes.length > options.recordingMaxPayloadChars()) {
                // What the record keeps of base64 audio or video: its length, not the data. The
                // setup (index 0) stays whole: fault rules match on it.
                recordedBytes -= summariseLongStrings(raw, options.recordingMaxPayloadChars());
            }
            record.recordMessage(raw, recordedBytes);
        }
        if (stalled) {
            return;
        }
        ClientMessage message;
        try {
            message = Wire.readClient(bytes, options.strictFields());
        } catch (UnrecognizedPropertyException e) {
            closeWith(CloseReasons.INVALID_PAYLOAD, "Invalid JSON payload received. Unknown name \"" + e.getPropertyName()
                    + "\" at '" + pathOf(e) + "': Cannot find field.");
            return;
        } catch (IOException e) {
            // Not JSON at all gets the same reason as when the tree was read first.
            closeWith(CloseReasons.INVALID_PAYLOAD, raw == null && !isJson(bytes) ? "Invalid JSON payload received."
                    : "Invalid JSON payload received. " + firstLine(e.getMessage()));
            return;
        }
        if (message.fieldCount() != 1) {
            closeWith(CloseReasons.INVALID_PAYLOAD,
                    "A client message must set exactly one of setup, clientContent, realtimeInput, toolResponse.");
            return;
        }
        if (setup == null) {
            if (message.setup() == null) {
                closeWith(CloseReasons.INVALID_PAYLOAD, "The first client message must be setup.");
                return;
            }
            onSetup(raw.get("setup"), message.setup());
            return;
        }
        if (message.setup() != null) {
            closeWith(CloseReasons.INVALID_PAYLOAD, "setup may only be sent once, as the first client message.");
            return;
        }
        if (!setupCompleteSent) {
            // Clients must wait for setupComplete; the real server tolerates early input, so do we.
            LOG.log(System.Logger.Level.DEBUG, () -> String.format("connection %d: client message before setupComplete", record.number()));
        }
        lastConsumedIndex = index;
        consumedOnConnection++;
        consumedSinceUpdate++;
        session.record.consume(raw, recordedBytes);
        dispatch(message);
        if (closed) {
            return;
        }
        for (FaultRule rule : List.copyOf(messageTriggeredFaults)) {
            if (consumedOnConnection >= rule.afterMessages()) {
                messageTriggeredFaults.remove(rule);
                apply(rule);
            }
        }
        if (!closed && resumptionEnabled() && consumedSinceUpdate >= options.resumptionUpdateEveryMessages()) {
            sendResumptionUpdate();
        }
    }

    /**
     * Replaces every string value longer than {@code max} characters in {@code node} by
     * {@code "[N characters not recorded]"}; returns how many characters that removed.
     */
    static int summariseLongStrings(JsonNode node, int max) {
        int removed = 0;
        if (node instanceof com.fasterxml.jackson.databind.node.ObjectNode object) {
            for (var field : object.properties()) {
                JsonNode value = field.getValue();
                if (value.isTextual() && value.textValue().length() > max) {
                    String summary = "[" + value.textValue().length() + " characters not recorded]";
                    removed += value.textValue().length() - summary.length();
                    field.setValue(Wire.mapper().getNodeFactory().textNode(summary));
                } else {
                    removed += summariseLongStrings(value, max);
                }
            }
        } else if (node instanceof com.fasterxml.jackson.databind.node.ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                JsonNode value = array.get(i);
                if (value.isTextual() && value.textValue().length() > max) {
                    String summary = "[" + value.textValue().length() + " characters not recorded]";
                    removed += value.textValue().length() - summary.length();
                    array.set(i, Wire.mapper().getNodeFactory().textNode(summary));
                } else {
                    removed += summariseLongStrings(value, max);
                }
            }
        }
        return removed;
    }

    private static boolean isJson(byte[] bytes) {
        try {
            Wire.mapper().readTree(bytes);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String pathOf(UnrecognizedPropertyException e) {
        StringBuilder path = new StringBuilder();
        for (var ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private void onSetup(JsonNode rawSetup, Setup parsed) {
        setup = parsed;
        record.recordSetup(rawSetup, parsed);
        if (!knownModel(parsed.model())) {
            closeWith(CloseReasons.POLICY_VIOLATION, CloseReasons.NOT_FOUND);
            return;
        }
        String handle = parsed.sessionResumption() == null ? null : parsed.sessionResumption().handle();
        if (handle != null && !handle.isEmpty()) {
            LiveSession.Snapshot snapshot = emulator.snapshot(handle);
            if (snapshot == null) {
                closeWith(CloseReasons.POLICY_VIOLATION,
                        "Session resumption handle is unknown or expired; start a new session without a handle.");
                return;
            }
            session = snapshot.session();
            session.record.truncate(snapshot.consumedSize(), snapshot.historySize());
            session.input = snapshot.input().copy();
            record.recordSession(session.id, true);
        } else {
            session = emulator.newSession(flavour);
            record.recordSession(session.id, false);
        }
        session.record.addConnection(record);
        if (!emulator.admitSession(this)) {
            closeWith(CloseReasons.INTERNAL_ERROR, FaultRule.LiveError.RESOURCE_EXHAUSTED.reason());
            return;
        }
        admitted = true;
        long setupDelayMs = options.setupCompleteDelay().toMillis();
        List<FaultRule> rules = new ArrayList<>(
                emulator.faults().rulesFor(record.number(), session.id, rawSetup == null ? "" : rawSetup.toString()));
        if (options.goAwayAfter() != null) {
            rules.add(FaultRule.of(FaultRule.Action.GO_AWAY).withGoAwaySeconds(options.goAwayTimeLeftSeconds())
                    .afterAge(options.goAwayAfter().toMillis()));
        }
        List<FaultRule> afterSetupComplete = new ArrayList<>();
        for (FaultRule rule : rules) {
            switch (rule.trigger()) {
                case AT_SETUP -> {
                    switch (rule.action()) {
                        case DELAY_SETUP -> setupDelayMs += rule.delayMs();
                        case GO_AWAY -> afterSetupComplete.add(rule);
                        default -> {
                            apply(rule);
                            return;
                        }
                    }
                }
                case AFTER_AGE -> {
                    long wait = Math.max(1, rule.afterMs() - (System.currentTimeMillis() - openedAtMillis));
                    timers.add(emulator.vertx().setTimer(wait, id -> apply(rule)));
                }
                case AFTER_MESSAGES -> messageTriggeredFaults.add(rule);
            }
        }
        Runnable complete = () -> {
            if (closed || stalled) {
                return;
            }
            send(ServerMessage.of(new ServerMessage.SetupComplete(flavour == Flavour.VERTEX ? session.id : null)));
            setupCompleteSent = true;
            afterSetupComplete.forEach(this::apply);
            if (resumptionEnabled()) {
                long interval = Math.max(1, options.resumptionUpdateInterval().toMillis());
                timers.add(emulator.vertx().setPeriodic(interval, id -> {
                    if (consumedSinceUpdate > 0 && System.currentTimeMillis() - lastUpdateMillis >= interval) {
                        sendResumptionUpdate();
                    }
                }));
            }
        };
        if (setupDelayMs > 0) {
            timers.add(emulator.vertx().setTimer(setupDelayMs, id -> complete.run()));
        } else {
            complete.run();
        }
    }

    private boolean knownModel(String model) {
        if (model == null || model.isBlank()) {
            return false;
        }
        String id = model.substring(model.lastIndexOf('/') + 1);
        boolean shape = model.matches("projects/[^/]+/locations/[^/]+/publishers/google/models/[^/]+")
                || model.matches("publishers/google/models/[^/]+") || model.matches("models/[^/]+")
                || !model.contains("/");
        return shape && options.modelPattern().matcher(id).matches();
    }

    private void dispatch(ClientMessage message) {
        if (message.clientContent() != null) {
            onClientContent(message.clientContent());
        } else if (message.realtimeInput() != null) {
            onRealtimeInput(message.realtimeInput());
        } else if (message.toolResponse() != null) {
            onToolResponse(message.toolResponse().functionResponses() == null
                    ? List.of() : message.toolResponse().functionResponses());
        }
    }

    private void onClientContent(ClientMessage.ClientContent content) {
        interruptIfBusy();
        StringBuilder text = session.input.pendingText;
        double inlineAudioSeconds = 0;
        if (content.turns() != null) {
            for (Content turn : content.turns()) {
                session.record.addHistory(turn);
                if ("model".equals(turn.role()) || turn.parts() == null) {
                    continue;
                }
                for (Content.Part part : turn.parts()) {
                    if (part.text() != null) {
                        if (text.length() > 0) {
                            text.append(' ');
                        }
                        text.append(part.text());
                    } else if (part.inlineData() != null && part.inlineData().mimeType() != null
                            && part.inlineData().data() != null) {
                        String mime = part.inlineData().mimeType().toLowerCase(Locale.ROOT);
                        if (mime.startsWith("audio/")) {
                            inlineAudioSeconds += Pcm16.sampleCount(part.inlineData().data()) / (double) Pcm16.rateOf(mime);
                        } else if (mime.startsWith("image/")) {
                            session.input.videoFrames++;
                        }
                    }
                }
            }
        }
        session.input.audioSeconds += inlineAudioSeconds;
        if (Boolean.TRUE.equals(content.turnComplete())) {
            String said = text.toString();
            session.input.pendingText = new StringBuilder();
            if (said.isBlank() && session.input.audioSeconds > 0) {
                endAudioTurn();
            } else {
                session.input.resetAudio();
                userTurn(said, false);
            }
        }
    }

    private void onRealtimeInput(RealtimeInput input) {
        boolean automaticVad = automaticActivityDetection();
        if (input.text() != null) {
            interruptIfBusy();
            userTurn(input.text(), false);
        } else if (input.audio() != null) {
            onAudio(input.audio());
        } else if (input.video() != null) {
            session.input.videoFrames++;
        } else if (input.mediaChunks() != null) {
            for (Content.Blob blob : input.mediaChunks()) {
                String mime = blob.mimeType() == null ? "" : blob.mimeType().toLowerCase(Locale.ROOT);
                if (mime.startsWith("image/")) {
                    session.input.videoFrames++;
                } else {
                    onAudio(blob);
                }
            }
        } else if (input.activityStart() != null) {
            if (automaticVad) {
                closeWith(CloseReasons.INVALID_PAYLOAD, "activityStart is only allowed when "
                        + "realtimeInputConfig.automaticActivityDetection.disabled is true.");
                return;
            }
            if (interruptsOnActivity()) {
                interruptIfBusy();
            }
            session.input.activityOpen = true;
            session.input.resetAudio();
        } else if (input.activityEnd() != null) {
            if (automaticVad) {
                closeWith(CloseReasons.INVALID_PAYLOAD, "activityEnd is only allowed when "
                        + "realtimeInputConfig.automaticActivityDetection.disabled is true.");
                return;
            }
            session.input.activityOpen = false;
            endAudioTurn();
        } else if (Boolean.TRUE.equals(input.audioStreamEnd())) {
            // Flushes a turn only if speech is pending: trailing silence after a turn the voice
            // detector already ended is no new turn.
            if (session.input.speech) {
                endAudioTurn();
            } else {
                session.input.resetAudio();
            }
        }
    }

    private void onAudio(Content.Blob blob) {
        byte[] pcm = blob.data() == null ? new byte[0] : blob.data();
        int rate = Pcm16.rateOf(blob.mimeType());
        int samples = Pcm16.sampleCount(pcm);
        if (options.audioEcho() && samples > 0) {
            int outSamples = (int) ((long) samples * Pcm16.OUTPUT_RATE / rate);
            sendAudioChunk(outSamples);
        }
        LiveSession.TurnInput in = session.input;
        if (!automaticActivityDetection()) {
            in.audioSeconds += samples / (double) rate;
            return;
        }
        int frame = Math.max(1, (int) (rate * VAD_FRAME_SECONDS));
        double silenceNeeded = silenceDurationMs() / 1000.0;
        for (int from = 0; from < samples; from += frame) {
            int to = Math.min(samples, from + frame);
            double seconds = (to - from) / (double) rate;
            in = session.input;
            in.audioSeconds += seconds;
            if (Pcm16.rms(pcm, from, to) >= options.speechRmsThreshold()) {
                if (!in.speech) {
                    in.speech = true;
                    if (interruptsOnActivity()) {
                        interruptIfBusy();
                    }
                }
                in.trailingSilenceSeconds = 0;
            } else if (in.speech) {
                in.trailingSilenceSeconds += seconds;
                if (in.trailingSilenceSeconds + 1e-9 >= silenceNeeded) {
                    endAudioTurn();
                }
            }
        }
    }

    /** Ends the user's audio turn: input transcription, then the reply. */
    private void endAudioTurn() {
        LiveSession.TurnInput in = session.input;
        double heardSeconds = Math.max(0, in.audioSeconds - (in.speech ? in.trailingSilenceSeconds : 0));
        in.resetAudio();
        String heard = ScriptedModel.heardText(heardSeconds);
        session.record.addHistory(Content.text("user", heard));
        if (setup.inputAudioTranscription() != null) {
            send(ServerMessage.of(ServerContent.input(new ServerMessage.Transcription(heard, Boolean.TRUE))));
        }
        interruptIfBusy();
        respond(heard, ScriptedModel.replyText(heard, takeVideoFrames()), heard);
    }

    private void userTurn(String text, boolean fromAudio) {
        session.record.addHistory(Content.text("user", text));
        List<Tool.FunctionDeclaration> called = ScriptedModel.functionsCalledBy(text, setup);
        if (!called.isEmpty()) {
            callFunctions(text, called);
            return;
        }
        respond(text, ScriptedModel.replyText(text, takeVideoFrames()), text);
    }

    private int takeVideoFrames() {
        int frames = session.input.videoFrames;
        session.input.videoFrames = 0;
        return frames;
    }

    private boolean automaticActivityDetection() {
        Setup.RealtimeInputConfig config = setup.realtimeInputConfig();
        return config == null || config.automaticActivityDetection() == null
                || !Boolean.TRUE.equals(config.automaticActivityDetection().disabled());
    }

    private boolean interruptsOnActivity() {
        Setup.RealtimeInputConfig config = setup.realtimeInputConfig();
        return config == null || !"NO_INTERRUPTION".equalsIgnoreCase(config.activityHandling());
    }

    private int silenceDurationMs() {
        Setup.RealtimeInputConfig config = setup.realtimeInputConfig();
        if (config != null && config.automaticActivityDetection() != null
                && config.automaticActivityDetection().silenceDurationMs() != null
                && config.automaticActivityDetection().silenceDurationMs() > 0) {
            return config.automaticActivityDetection().silenceDurationMs();
        }
        return options.defaultSilenceDurationMs();
    }

    // ---- tools --------------------------------------------------------------------------------

    private void callFunctions(String userText, List<Tool.FunctionDeclaration> declarations) {
        List<ServerMessage.FunctionCall> calls = new ArrayList<>();
        List<String> nonBlockingNames = new ArrayList<>();
        for (Tool.FunctionDeclaration f : declarations) {
            String id = flavour == Flavour.VERTEX ? UUID.randomUUID().toString()
                    : "function-call-" + ThreadLocalRandom.current().nextLong(1_000_000_000_000_000_000L, Long.MAX_VALUE);
            calls.add(new ServerMessage.FunctionCall(id, f.name(), ScriptedModel.argsFor(f)));
            if ("NON_BLOCKING".equalsIgnoreCase(f.behavior())) {
                pendingNonBlocking.put(id, f.name());
                nonBlockingNames.add(f.name());
            } else {
                pendingBlocking.put(id, f.name());
            }
        }
        Generation g = new Generation();
        g.step(() -> {
            calls.forEach(call -> session.record.addIssuedFunctionCall(call.id()));
            send(ServerMessage.of(new ServerMessage.ToolCall(calls)));
        });
        if (pendingBlocking.isEmpty()) {
            // Only NON_BLOCKING calls: the model keeps talking while they run.
            String reply = ScriptedModel.replyText(userText, takeVideoFrames()) + " Started "
                    + String.join(", ", nonBlockingNames) + ".";
            addReply(g, userText, reply, List.of(), null);
        }
        start(g);
    }

    private void onToolResponse(List<FunctionResponse> responses) {
        List<FunctionResponse> answered = new ArrayList<>();
        List<FunctionResponse> idle = new ArrayList<>();
        boolean interrupt = false;
        for (FunctionResponse r : responses) {
            String id = matchPending(r, pendingBlocking);
            if (id != null) {
                pendingBlocking.remove(id);
                answered.add(r);
                continue;
            }
            id = matchPending(r, pendingNonBlocking);
            if (id == null) {
                LOG.log(System.Logger.Level.DEBUG, () -> String.format("connection %d: toolResponse for unknown call %s/%s ignored", record.number(), r.id(), r.name()));
                continue;
            }
            if (!Boolean.TRUE.equals(r.willContinue())) {
                pendingNonBlocking.remove(id);
            }
            String scheduling = r.scheduling() == null ? "WHEN_IDLE" : r.scheduling().toUpperCase(Locale.ROOT);
            session.record.addHistory(Content.text("user", describe(List.of(r))));
            switch (scheduling) {
                case "SILENT" -> { }
                case "INTERRUPT" -> {
                    interrupt = true;
                    answered.add(r);
                }
                default -> idle.add(r);
            }
        }
        if (interrupt) {
            interruptIfBusy();
        }
        if (!idle.isEmpty()) {
            answersWhenIdle.add(idle);
        }
        if (!answered.isEmpty() && pendingBlocking.isEmpty() && generation == null) {
            String text = describe(answered);
            Generation g = new Generation();
            addReply(g, text, text, List.of(), null);
            start(g);
        }
        answerWhenIdle();
    }

    private static String matchPending(FunctionResponse r, Map<String, String> pending) {
        if (r.id() != null && pending.containsKey(r.id())) {
            return r.id();
        }
        if (r.id() == null || r.id().isEmpty()) {
            for (Map.Entry<String, String> e : pending.entrySet()) {
                if (e.getValue().equals(r.name())) {
                    return e.getKey();
                }
            }
        }
        return null;
    }

    private String describe(List<FunctionResponse> responses) {
        List<String> parts = new ArrayList<>();
        for (FunctionResponse r : responses) {
            String name = r.name() != null ? r.name() : "function";
            parts.add(name + " returned " + (r.response() == null ? "{}" : r.response().toString()) + ".");
        }
        return String.join(" ", parts);
    }

    private void answerWhenIdle() {
        if (generation != null || !pendingBlocking.isEmpty() || answersWhenIdle.isEmpty() || closed) {
            return;
        }
        String text = describe(answersWhenIdle.poll());
        Generation g = new Generation();
        addReply(g, text, text, List.of(), null);
        start(g);
    }

    // ---- replies --------------------------------------------------------------------------------

    private void respond(String userText, String reply, String prompt) {
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
                    ((com.fasterxml.jackson.databind.node.ArrayNode) grounding.withArray("groundingChunks"))
                            .addAll((com.fasterxml.jackson.databind.node.ArrayNode) rag.get("groundingChunks"));
                }
            }
        }
        Generation g = new Generation();
        addReply(g, prompt, reply, preParts, grounding);
        start(g);
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
        if (!preParts.isEmpty()) {
            for (Content.Part part : preParts) {
                g.step(() -> send(ServerMessage.of(ServerContent.modelTurn(modelTurn(List.of(part))))));
            }
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
                    g.step(() -> send(ServerMessage.of(ServerContent.output(new ServerMessage.Transcription(piece, null)))));
                }
            }
        } else {
            for (String piece : chunks) {
                g.step(() -> send(ServerMessage.of(ServerContent.modelTurn(modelTurn(List.of(Content.Part.text(piece)))))));
            }
        }
        if (grounding != null) {
            g.step(() -> send(ServerMessage.of(ServerContent.grounding(grounding))));
        }
        g.step(() -> send(ServerMessage.of(ServerContent.generationCompleted())));
        g.step(() -> {
            session.record.addHistory(Content.text("model", reply));
            send(ServerMessage.of(ServerContent.turnCompleted(), usage(prompt, reply, audio)));
            generation = null;
            if (resumptionEnabled()) {
                sendResumptionUpdate();
            }
            answerWhenIdle();
        });
    }

    private Content modelTurn(List<Content.Part> parts) {
        return new Content(flavour == Flavour.VERTEX ? "model" : null, parts);
    }

    private void sendAudioChunk(int samples) {
        byte[] pcm = Pcm16.speechLike(samples, audioOutSamples);
        audioOutSamples += samples;
        String mime = flavour == Flavour.VERTEX ? "audio/pcm" : "audio/pcm;rate=24000";
        send(ServerMessage.of(ServerContent.modelTurn(modelTurn(List.of(Content.Part.inline(new Content.Blob(mime, pcm)))))));
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

    /** Barge-in: stops the reply in flight or cancels the pending blocking tool calls. */
    private void interruptIfBusy() {
        if (!pendingBlocking.isEmpty()) {
            send(ServerMessage.of(new ServerMessage.ToolCallCancellation(List.copyOf(pendingBlocking.keySet()))));
            pendingBlocking.clear();
            if (generation != null) {
                generation.cancel();
                generation = null;
            }
            send(ServerMessage.of(ServerContent.interruptedTurn()));
            send(ServerMessage.of(ServerContent.turnCompleted()));
        } else if (generation != null) {
            generation.cancel();
            generation = null;
            send(ServerMessage.of(ServerContent.interruptedTurn()));
            send(ServerMessage.of(ServerContent.turnCompleted()));
        }
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
            if (cancelled || closed || stalled) {
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
                if (!cancelled && !closed && !stalled) {
                    step.run();
                    runNext();
                }
            };
            if (delay <= 0) {
                emulator.vertx().runOnContext(v -> run.run());
            } else {
                timer = emulator.vertx().setTimer(delay, id -> run.run());
            }
        }

        void cancel() {
            cancelled = true;
            if (timer >= 0) {
                emulator.vertx().cancelTimer(timer);
            }
        }
    }

    // ---- resumption ---------------------------------------------------------------------------

    private boolean resumptionEnabled() {
        return setup != null && setup.sessionResumption() != null && setupCompleteSent;
    }

    /**
     * Sends {@code sessionResumptionUpdate}. Resumable only when idle (no reply in flight, no
     * blocking tool call pending); the index is the last consumed client message of this
     * connection (0-based, setup = 0), sent only with {@code transparent: true}.
     */
    private void sendResumptionUpdate() {
        if (closed || stalled) {
            return;
        }
        boolean idle = generation == null && pendingBlocking.isEmpty();
        String handle = idle ? emulator.issueHandle(session) : "";
        Long index = Boolean.TRUE.equals(setup.sessionResumption().transparent()) ? Math.max(0, lastConsumedIndex) : null;
        send(ServerMessage.of(new ServerMessage.SessionResumptionUpdate(handle, idle, index)));
        consumedSinceUpdate = 0;
        lastUpdateMillis = System.currentTimeMillis();
    }

    // ---- faults, output, close ----------------------------------------------------------------

    /** The Live session this connection serves, or null before setup. */
    String liveSessionId() {
        return session == null ? null : session.id;
    }

    /** Applies a fault now, on this connection's event loop (tests and the admin endpoint). */
    void applyNow(FaultRule rule) {
        if (request.connection() instanceof ConnectionBase base) {
            base.getContext().runOnContext(v -> apply(rule));
        } else {
            apply(rule);
        }
    }

    private void apply(FaultRule rule) {
        if (closed) {
            return;
        }
        LOG.log(System.Logger.Level.DEBUG, () -> String.format("connection %d: fault %s", record.number(), rule.action()));
        switch (rule.action()) {
            case GO_AWAY -> {
                int seconds = rule.goAwaySeconds() == null ? 10 : rule.goAwaySeconds();
                send(ServerMessage.of(new ServerMessage.GoAway(seconds + "s")));
                timers.add(emulator.vertx().setTimer(Math.max(1, seconds * 1000L),
                        id -> closeWith(CloseReasons.NORMAL, "")));
            }
            case CLOSE -> closeWith(rule.effectiveCloseCode(), rule.effectiveCloseReason());
            case DROP -> drop();
            case STALL -> {
                stalled = true;
                if (generation != null) {
                    generation.cancel();
                }
            }
            case DELAY_SETUP, REFUSE_UPGRADE -> { }
        }
    }

    private void send(ServerMessage message) {
        if (closed || stalled) {
            return;
        }
        byte[] json = Wire.write(message, options.pretty());
        if (options.binaryFrames()) {
            ws.writeBinaryMessage(Buffer.buffer(json));
        } else {
            ws.writeTextMessage(new String(json, StandardCharsets.UTF_8));
        }
    }

    /** Closes with a code and reason (at most 123 bytes). */
    void closeWith(short code, String reason) {
        if (closed) {
            return;
        }
        String truncated = CloseReasons.truncate(reason);
        record.recordServerClose(code, truncated);
        shutdown();
        ws.close(code, truncated);
    }

    /** Drops the TCP connection without a close frame: the client sees 1006. */
    private void drop() {
        record.recordServerClose(1006, "dropped without close frame");
        shutdown();
        if (request.connection() instanceof ConnectionBase base) {
            // Vert.x's own close path would send a close frame first; closing from the first
            // pipeline context skips it, and linger 0 resets the TCP connection.
            base.channel().config().setOption(io.netty.channel.ChannelOption.SO_LINGER, 0);
            base.channel().pipeline().firstContext().close();
        } else {
            request.connection().close();
        }
    }

    private void shutdown() {
        closed = true;
        if (generation != null) {
            generation.cancel();
            generation = null;
        }
        timers.forEach(emulator.vertx()::cancelTimer);
        timers.clear();
        if (admitted) {
            emulator.releaseSession(this);
            admitted = false;
        }
    }

    private void onClosed() {
        shutdown();
        record.markClosed();
    }

    /** Ids of pending calls, for diagnostics. */
    Set<String> pendingCallIds() {
        Set<String> ids = new HashSet<>(pendingBlocking.keySet());
        ids.addAll(pendingNonBlocking.keySet());
        return ids;
    }
}
