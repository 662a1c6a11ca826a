package dev.livegateway.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.ProtocolMessageEnum;
import dev.livegateway.api.v1.ActivityEnd;
import dev.livegateway.api.v1.ActivityHandling;
import dev.livegateway.api.v1.ActivityStart;
import dev.livegateway.api.v1.AudioChunk;
import dev.livegateway.api.v1.AudioEncoding;
import dev.livegateway.api.v1.AudioStreamEnd;
import dev.livegateway.api.v1.AutomaticActivityDetection;
import dev.livegateway.api.v1.ClientEvent;
import dev.livegateway.api.v1.ClientTurn;
import dev.livegateway.api.v1.ContextTools;
import dev.livegateway.api.v1.ContextUpdate;
import dev.livegateway.api.v1.ContextWindowCompression;
import dev.livegateway.api.v1.EndSensitivity;
import dev.livegateway.api.v1.FunctionResponse;
import dev.livegateway.api.v1.FunctionResponseScheduling;
import dev.livegateway.api.v1.GenerationConfig;
import dev.livegateway.api.v1.HarmBlockMethod;
import dev.livegateway.api.v1.HarmBlockThreshold;
import dev.livegateway.api.v1.HarmCategory;
import dev.livegateway.api.v1.HistoryConfig;
import dev.livegateway.api.v1.InlineData;
import dev.livegateway.api.v1.MediaResolution;
import dev.livegateway.api.v1.Modality;
import dev.livegateway.api.v1.Part;
import dev.livegateway.api.v1.RealtimeInputConfig;
import dev.livegateway.api.v1.RealtimeText;
import dev.livegateway.api.v1.Role;
import dev.livegateway.api.v1.SafetySetting;
import dev.livegateway.api.v1.SessionConfig;
import dev.livegateway.api.v1.SpeechConfig;
import dev.livegateway.api.v1.StartSensitivity;
import dev.livegateway.api.v1.ThinkingConfig;
import dev.livegateway.api.v1.ThinkingLevel;
import dev.livegateway.api.v1.ToolReference;
import dev.livegateway.api.v1.ToolResponse;
import dev.livegateway.api.v1.TranscriptionConfig;
import dev.livegateway.api.v1.TranscriptionMode;
import dev.livegateway.api.v1.TranslationConfig;
import dev.livegateway.api.v1.Turn;
import dev.livegateway.api.v1.VideoFrame;
import dev.livegateway.session.InvalidClientEventException;
import dev.livegateway.session.StructJson;
import dev.livegateway.wire.ClientMessage;
import dev.livegateway.wire.Content;
import dev.livegateway.wire.Setup;
import dev.livegateway.wire.Tool;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Live API client messages (the {@code wire} records, as Google's SDKs write them) → the
 * gateway's caller events, so a WebSocket client goes through exactly the admission and session of
 * a gRPC caller. Errors name the Live API field ({@code setup.tools[0].googleSearch}) and become
 * close code 1007. Pure; one job.
 *
 * <p>Tools: the gateway's tools come from its registry, so a {@code functionDeclarations} entry
 * names a registry tool (its name only; a description or schema sent with it is the client's copy
 * and is ignored: the registry's definition is what the model sees); the header
 * {@code x-live-gateway-tools: name[@version],…} adds registry tools of any kind. Inline hosted
 * tools (Google Search, code execution, …) are refused: register them as registry entries.
 */
final class LiveApiClientTranslator {

    private static final Pattern RATE = Pattern.compile("rate=(\\d+)");
    private static final Pattern TOOL_REF = Pattern.compile("([A-Za-z0-9_.:-]+)(?:@(\\d+))?");

    private LiveApiClientTranslator() {}

    /** The registry tools of the {@code x-live-gateway-tools} header ({@code name[@version],…}); empty for none. */
    static List<ToolReference> headerTools(String header) {
        List<ToolReference> refs = new ArrayList<>();
        if (header == null || header.isBlank()) {
            return refs;
        }
        for (String item : header.split(",")) {
            String ref = item.strip();
            if (ref.isEmpty()) {
                continue;
            }
            Matcher m = TOOL_REF.matcher(ref);
            if (!m.matches()) {
                throw new InvalidClientEventException(LiveApiFront.TOOLS_HEADER, "'" + ref + "' is not name[@version]"
                        + " (a registry tool's name, optionally @ and a version number)");
            }
            ToolReference.Builder b = ToolReference.newBuilder().setName(m.group(1));
            if (m.group(2) != null) {
                b.setVersion(Long.parseLong(m.group(2)));
            }
            refs.add(b.build());
        }
        return refs;
    }

    /** The setup as the gateway's SessionConfig, with the header's registry tools added. */
    static SessionConfig config(Setup setup, List<ToolReference> headerTools) {
        SessionConfig.Builder c = SessionConfig.newBuilder();
        c.setModel(bareModel(setup.model()));
        if (setup.sessionResumption() != null && setup.sessionResumption().handle() != null
                && !setup.sessionResumption().handle().isBlank()) {
            c.setResumeToken(setup.sessionResumption().handle().strip());
        }
        if (setup.systemInstruction() != null) {
            c.setSystemInstruction(textOf(setup.systemInstruction(), "setup.systemInstruction"));
        }
        c.addAllTools(headerTools);
        tools(setup.tools(), c, "setup.tools");
        Setup.GenerationConfig g = setup.generationConfig();
        if (g != null) {
            generation(g, c);
        }
        if (setup.realtimeInputConfig() != null) {
            c.setRealtimeInput(realtimeInput(setup.realtimeInputConfig()));
        }
        if (setup.contextWindowCompression() != null) {
            Setup.ContextWindowCompression w = setup.contextWindowCompression();
            ContextWindowCompression.Builder b = ContextWindowCompression.newBuilder();
            if (w.triggerTokens() != null) {
                b.setTriggerTokens(w.triggerTokens());
            }
            if (w.slidingWindow() != null && w.slidingWindow().targetTokens() != null) {
                b.setTargetTokens(w.slidingWindow().targetTokens());
            }
            c.setContextWindowCompression(b);
        }
        if (setup.inputAudioTranscription() != null) {
            c.setInputTranscription(transcription(setup.inputAudioTranscription(), "setup.inputAudioTranscription"));
        }
        if (setup.outputAudioTranscription() != null) {
            c.setOutputTranscription(transcription(setup.outputAudioTranscription(), "setup.outputAudioTranscription"));
        }
        if (setup.proactivity() != null && Boolean.TRUE.equals(setup.proactivity().proactiveAudio())) {
            c.setProactiveAudio(true);
        }
        if (Boolean.TRUE.equals(setup.explicitVadSignal())) {
            c.setExplicitVadSignal(true);
        }
        if (setup.avatarConfig() != null) {
            throw new InvalidClientEventException("setup.avatarConfig", "not offered on the WebSocket front yet; use"
                    + " the gRPC front's SessionConfig.avatar");
        }
        if (setup.safetySettings() != null) {
            for (int i = 0; i < setup.safetySettings().size(); i++) {
                Setup.SafetySetting s = setup.safetySettings().get(i);
                String field = "setup.safetySettings[" + i + "]";
                SafetySetting.Builder b = SafetySetting.newBuilder();
                if (s.category() != null) {
                    b.setCategory(enumOf(field + ".category", s.category(), "HARM_CATEGORY_", HarmCategory::valueOf,
                            HarmCategory.values()));
                }
                if (s.threshold() != null) {
                    b.setThreshold(enumOf(field + ".threshold", s.threshold(), "HARM_BLOCK_THRESHOLD_",
                            HarmBlockThreshold::valueOf, HarmBlockThreshold.values()));
                }
                if (s.method() != null) {
                    b.setMethod(enumOf(field + ".method", s.method(), "HARM_BLOCK_METHOD_", HarmBlockMethod::valueOf,
                            HarmBlockMethod.values()));
                }
                c.addSafetySettings(b);
            }
        }
        if (setup.historyConfig() != null) {
            c.setHistory(HistoryConfig.newBuilder().setInitialHistoryInClientContent(
                    Boolean.TRUE.equals(setup.historyConfig().initialHistoryInClientContent())));
        }
        if (setup.labels() != null) {
            c.putAllLabels(setup.labels());
        }
        return c.build();
    }

    /**
     * The model's own name: {@code projects/…/locations/…/publishers/google/models/X} or
     * {@code models/X} → {@code X}. The client's project and location mean nothing behind the
     * gateway (the SDKs insist on sending one): the model runs on the gateway's own upstream.
     */
    static String bareModel(String model) {
        if (model == null) {
            return "";
        }
        String m = model.strip();
        int slash = m.lastIndexOf("/models/");
        if (slash >= 0) {
            return m.substring(slash + "/models/".length());
        }
        return m.startsWith("models/") ? m.substring("models/".length()) : m;
    }

    private static void tools(List<Tool> tools, SessionConfig.Builder c, String where) {
        if (tools == null) {
            return;
        }
        for (int i = 0; i < tools.size(); i++) {
            Tool tool = tools.get(i);
            String field = where + "[" + i + "]";
            if (tool == null) {
                continue;
            }
            String hosted = hostedKind(tool);
            if (hosted != null) {
                throw new InvalidClientEventException(field + "." + hosted, "inline tools are not accepted: the"
                        + " gateway's tools come from its registry; name a registry entry in functionDeclarations"
                        + " or the " + LiveApiFront.TOOLS_HEADER + " header");
            }
            List<Tool.FunctionDeclaration> declarations = tool.functionDeclarations();
            if (declarations == null) {
                continue;
            }
            for (int j = 0; j < declarations.size(); j++) {
                Tool.FunctionDeclaration d = declarations.get(j);
                if (d == null || d.name() == null || d.name().isBlank()) {
                    throw new InvalidClientEventException(field + ".functionDeclarations[" + j + "].name",
                            "missing; name a registry tool");
                }
                String name = d.name().strip();
                if (c.getToolsList().stream().noneMatch(t -> t.getName().equals(name))) {
                    c.addTools(ToolReference.newBuilder().setName(name));
                }
            }
        }
    }

    private static String hostedKind(Tool t) {
        if (t.codeExecution() != null) return "codeExecution";
        if (t.googleSearch() != null) return "googleSearch";
        if (t.retrieval() != null) return "retrieval";
        if (t.urlContext() != null) return "urlContext";
        if (t.googleMaps() != null) return "googleMaps";
        if (t.enterpriseWebSearch() != null) return "enterpriseWebSearch";
        if (t.fileSearch() != null) return "fileSearch";
        if (t.computerUse() != null) return "computerUse";
        if (t.mcpServers() != null) return "mcpServers";
        if (t.googleSearchRetrieval() != null) return "googleSearchRetrieval";
        if (t.parallelAiSearch() != null) return "parallelAiSearch";
        if (t.exaAiSearch() != null) return "exaAiSearch";
        return null;
    }

    private static void generation(Setup.GenerationConfig g, SessionConfig.Builder c) {
        if (g.responseModalities() != null && !g.responseModalities().isEmpty()) {
            if (g.responseModalities().size() > 1) {
                throw new InvalidClientEventException("setup.generationConfig.responseModalities",
                        "name one modality, TEXT or AUDIO");
            }
            c.setResponseModality(enumOf("setup.generationConfig.responseModalities[0]", g.responseModalities().get(0),
                    "MODALITY_", Modality::valueOf, Modality.values()));
        }
        if (g.candidateCount() != null && g.candidateCount() != 1) {
            throw new InvalidClientEventException("setup.generationConfig.candidateCount", "only 1 is allowed");
        }
        GenerationConfig.Builder b = GenerationConfig.newBuilder();
        if (g.temperature() != null) b.setTemperature(g.temperature());
        if (g.topP() != null) b.setTopP(g.topP());
        if (g.topK() != null) b.setTopK(g.topK());
        if (g.maxOutputTokens() != null) b.setMaxOutputTokens(g.maxOutputTokens());
        if (g.seed() != null) b.setSeed(g.seed());
        if (g.presencePenalty() != null) b.setPresencePenalty(g.presencePenalty());
        if (g.frequencyPenalty() != null) b.setFrequencyPenalty(g.frequencyPenalty());
        if (g.mediaResolution() != null) {
            b.setMediaResolution(enumOf("setup.generationConfig.mediaResolution", g.mediaResolution(),
                    "MEDIA_RESOLUTION_", MediaResolution::valueOf, MediaResolution.values()));
        }
        if (g.thinkingConfig() != null) {
            Setup.ThinkingConfig t = g.thinkingConfig();
            ThinkingConfig.Builder tb = ThinkingConfig.newBuilder();
            if (t.thinkingBudget() != null) tb.setThinkingBudget(t.thinkingBudget());
            if (t.includeThoughts() != null) tb.setIncludeThoughts(t.includeThoughts());
            if (t.thinkingLevel() != null) {
                tb.setThinkingLevel(enumOf("setup.generationConfig.thinkingConfig.thinkingLevel", t.thinkingLevel(),
                        "THINKING_LEVEL_", ThinkingLevel::valueOf, ThinkingLevel.values()));
            }
            b.setThinking(tb);
        }
        c.setGeneration(b);
        if (Boolean.TRUE.equals(g.enableAffectiveDialog())) {
            c.setAffectiveDialog(true);
        }
        if (g.speechConfig() != null) {
            Setup.SpeechConfig s = g.speechConfig();
            SpeechConfig.Builder sb = SpeechConfig.newBuilder();
            if (s.languageCode() != null) sb.setLanguageCode(s.languageCode());
            if (s.voiceConfig() != null) {
                if (s.voiceConfig().replicatedVoiceConfig() != null) {
                    throw new InvalidClientEventException(
                            "setup.generationConfig.speechConfig.voiceConfig.replicatedVoiceConfig",
                            "not offered on the WebSocket front yet; use the gRPC front's SessionConfig.speech.replicated_voice");
                }
                if (s.voiceConfig().prebuiltVoiceConfig() != null && s.voiceConfig().prebuiltVoiceConfig().voiceName() != null) {
                    sb.setVoiceName(s.voiceConfig().prebuiltVoiceConfig().voiceName());
                }
            }
            c.setSpeech(sb);
        }
        if (g.translationConfig() != null) {
            Setup.TranslationConfig t = g.translationConfig();
            TranslationConfig.Builder tb = TranslationConfig.newBuilder();
            if (t.targetLanguageCode() != null) tb.setTargetLanguageCode(t.targetLanguageCode());
            if (t.echoTargetLanguage() != null) tb.setEchoTargetLanguage(t.echoTargetLanguage());
            c.setTranslation(tb);
        }
    }

    private static RealtimeInputConfig realtimeInput(Setup.RealtimeInputConfig r) {
        String field = "setup.realtimeInputConfig";
        RealtimeInputConfig.Builder b = RealtimeInputConfig.newBuilder();
        if (r.automaticActivityDetection() != null) {
            Setup.AutomaticActivityDetection a = r.automaticActivityDetection();
            AutomaticActivityDetection.Builder ab = AutomaticActivityDetection.newBuilder();
            if (Boolean.TRUE.equals(a.disabled())) ab.setDisabled(true);
            if (a.startOfSpeechSensitivity() != null) {
                ab.setStartOfSpeechSensitivity(enumOf(field + ".automaticActivityDetection.startOfSpeechSensitivity",
                        a.startOfSpeechSensitivity(), "START_SENSITIVITY_", StartSensitivity::valueOf,
                        StartSensitivity.values()));
            }
            if (a.endOfSpeechSensitivity() != null) {
                ab.setEndOfSpeechSensitivity(enumOf(field + ".automaticActivityDetection.endOfSpeechSensitivity",
                        a.endOfSpeechSensitivity(), "END_SENSITIVITY_", EndSensitivity::valueOf,
                        EndSensitivity.values()));
            }
            if (a.prefixPaddingMs() != null) ab.setPrefixPaddingMs(a.prefixPaddingMs());
            if (a.silenceDurationMs() != null) ab.setSilenceDurationMs(a.silenceDurationMs());
            b.setAutomaticActivityDetection(ab);
        }
        if (r.activityHandling() != null) {
            b.setActivityHandling(enumOf(field + ".activityHandling", r.activityHandling(), "ACTIVITY_HANDLING_",
                    ActivityHandling::valueOf, ActivityHandling.values()));
        }
        if (r.turnCoverage() != null) {
            b.setTurnCoverage(enumOf(field + ".turnCoverage", r.turnCoverage(), "TURN_COVERAGE_",
                    dev.livegateway.api.v1.TurnCoverage::valueOf, dev.livegateway.api.v1.TurnCoverage.values()));
        }
        if (Boolean.TRUE.equals(r.interimTranscriptTimestampEnabled())) {
            b.setInterimTranscriptTimestamps(true);
        }
        return b.build();
    }

    private static TranscriptionConfig transcription(Setup.AudioTranscriptionConfig t, String field) {
        TranscriptionConfig.Builder b = TranscriptionConfig.newBuilder();
        if (t.languageCodes() != null) b.addAllLanguageCodes(t.languageCodes());
        if (t.languageAuto() != null) b.setLanguageAuto(true);
        if (t.languageHints() != null && t.languageHints().languageCodes() != null) {
            b.addAllLanguageHints(t.languageHints().languageCodes());
        }
        if (t.customVocabulary() != null) b.addAllCustomVocabulary(t.customVocabulary());
        if (t.adaptationPhrases() != null) b.addAllAdaptationPhrases(t.adaptationPhrases());
        if (Boolean.TRUE.equals(t.diarization())) b.setDiarization(true);
        if (Boolean.TRUE.equals(t.wordTimestamp())) b.setWordTimestamps(true);
        if (t.mode() != null) {
            b.setMode(enumOf(field + ".mode", t.mode(), "TRANSCRIPTION_MODE_", TranscriptionMode::valueOf,
                    TranscriptionMode.values()));
        }
        if (t.sourceText() != null) b.setSourceText(t.sourceText());
        return b.build();
    }

    /** A later client message as caller events (usually one; a legacy {@code mediaChunks} list gives several). */
    static List<ClientEvent> events(ClientMessage message) {
        if (message.fieldCount() != 1) {
            throw new InvalidClientEventException("BidiGenerateContentClientMessage", "exactly one of clientContent,"
                    + " realtimeInput, toolResponse, contextUpdate must be set, got " + message.fieldCount() + " fields");
        }
        if (message.setup() != null) {
            throw new InvalidClientEventException("setup", "sent twice; setup is the first message only");
        }
        if (message.contextUpdate() != null) {
            return List.of(ClientEvent.newBuilder().setContextUpdate(contextUpdate(message.contextUpdate())).build());
        }
        if (message.clientContent() != null) {
            return List.of(ClientEvent.newBuilder().setTurn(clientTurn(message.clientContent())).build());
        }
        if (message.toolResponse() != null) {
            return List.of(ClientEvent.newBuilder().setToolResponse(toolResponse(message.toolResponse())).build());
        }
        return realtime(message.realtimeInput());
    }

    /** A context update; its tools name registry tools as the setup's do. */
    private static ContextUpdate contextUpdate(ClientMessage.ContextUpdate update) {
        ContextUpdate.Builder b = ContextUpdate.newBuilder();
        if (update.systemInstruction() != null) {
            b.setSystemInstruction(textOf(update.systemInstruction(), "contextUpdate.systemInstruction"));
        }
        if (update.tools() != null) {
            SessionConfig.Builder named = SessionConfig.newBuilder();
            tools(update.tools().tools(), named, "contextUpdate.tools.tools");
            b.setTools(ContextTools.newBuilder().addAllTools(named.getToolsList()));
        }
        return b.build();
    }

    private static ClientTurn clientTurn(ClientMessage.ClientContent content) {
        ClientTurn.Builder b = ClientTurn.newBuilder().setTurnComplete(Boolean.TRUE.equals(content.turnComplete()));
        List<Content> turns = content.turns() == null ? List.of() : content.turns();
        for (int i = 0; i < turns.size(); i++) {
            Content turn = turns.get(i);
            String field = "clientContent.turns[" + i + "]";
            Turn.Builder t = Turn.newBuilder();
            String role = turn.role() == null ? "user" : turn.role();
            t.setRole(switch (role) {
                case "user" -> Role.ROLE_USER;
                case "model" -> Role.ROLE_MODEL;
                default -> throw new InvalidClientEventException(field + ".role", "'" + role + "'; allowed: user, model");
            });
            List<Content.Part> parts = turn.parts() == null ? List.of() : turn.parts();
            for (int j = 0; j < parts.size(); j++) {
                Content.Part p = parts.get(j);
                if (p.text() != null) {
                    t.addParts(Part.newBuilder().setText(p.text()));
                } else if (p.inlineData() != null) {
                    t.addParts(Part.newBuilder().setInlineData(InlineData.newBuilder()
                            .setMimeType(nullToEmpty(p.inlineData().mimeType()))
                            .setData(bytes(p.inlineData().data()))));
                } else {
                    throw new InvalidClientEventException(field + ".parts[" + j + "]", "a part must carry text or"
                            + " inlineData");
                }
            }
            b.addTurns(t);
        }
        return b.build();
    }

    private static ToolResponse toolResponse(ClientMessage.ToolResponse response) {
        ToolResponse.Builder b = ToolResponse.newBuilder();
        List<ClientMessage.FunctionResponse> all = response.functionResponses() == null ? List.of()
                : response.functionResponses();
        for (int i = 0; i < all.size(); i++) {
            ClientMessage.FunctionResponse r = all.get(i);
            String field = "toolResponse.functionResponses[" + i + "]";
            FunctionResponse.Builder f = FunctionResponse.newBuilder().setId(nullToEmpty(r.id()))
                    .setName(nullToEmpty(r.name()));
            JsonNode body = r.response();
            if (body != null && !body.isNull()) {
                if (!body.isObject()) {
                    throw new InvalidClientEventException(field + ".response", "must be a JSON object");
                }
                f.setResponse(StructJson.toStruct(body));
            }
            if (r.scheduling() != null) {
                f.setScheduling(enumOf(field + ".scheduling", r.scheduling(), "FUNCTION_RESPONSE_SCHEDULING_",
                        FunctionResponseScheduling::valueOf, FunctionResponseScheduling.values()));
            }
            if (r.willContinue() != null) {
                f.setWillContinue(r.willContinue());
            }
            b.addFunctionResponses(f);
        }
        return b.build();
    }

    private static List<ClientEvent> realtime(ClientMessage.RealtimeInput r) {
        List<ClientEvent> events = new ArrayList<>(1);
        if (r.audio() != null) {
            events.add(audio(r.audio(), "realtimeInput.audio"));
        }
        if (r.video() != null) {
            events.add(ClientEvent.newBuilder().setVideo(VideoFrame.newBuilder().setData(bytes(r.video().data()))
                    .setMimeType(nullToEmpty(r.video().mimeType()))).build());
        }
        if (r.text() != null) {
            events.add(ClientEvent.newBuilder().setText(RealtimeText.newBuilder().setText(r.text())).build());
        }
        if (r.activityStart() != null) {
            events.add(ClientEvent.newBuilder().setActivityStart(ActivityStart.getDefaultInstance()).build());
        }
        if (r.activityEnd() != null) {
            events.add(ClientEvent.newBuilder().setActivityEnd(ActivityEnd.getDefaultInstance()).build());
        }
        if (Boolean.TRUE.equals(r.audioStreamEnd())) {
            events.add(ClientEvent.newBuilder().setAudioStreamEnd(AudioStreamEnd.getDefaultInstance()).build());
        }
        if (r.mediaChunks() != null) {
            for (int i = 0; i < r.mediaChunks().size(); i++) {
                Content.Blob blob = r.mediaChunks().get(i);
                String mime = nullToEmpty(blob.mimeType());
                events.add(mime.startsWith("audio/") ? audio(blob, "realtimeInput.mediaChunks[" + i + "]")
                        : ClientEvent.newBuilder().setVideo(VideoFrame.newBuilder().setData(bytes(blob.data()))
                                .setMimeType(mime)).build());
            }
        }
        if (events.isEmpty()) {
            throw new InvalidClientEventException("realtimeInput", "empty; set audio, video, text, activityStart,"
                    + " activityEnd or audioStreamEnd");
        }
        return events;
    }

    /** {@code audio/pcm;rate=N} (16 kHz when no rate is given) as a PCM16 chunk. */
    private static ClientEvent audio(Content.Blob blob, String field) {
        String mime = nullToEmpty(blob.mimeType()).toLowerCase(Locale.ROOT);
        if (!mime.startsWith("audio/pcm") && !mime.startsWith("audio/l16")) {
            throw new InvalidClientEventException(field + ".mimeType", "'" + blob.mimeType() + "'; send audio/pcm;rate=N"
                    + " (16-bit little-endian mono PCM)");
        }
        Matcher rate = RATE.matcher(mime);
        int hz = rate.find() ? Integer.parseInt(rate.group(1)) : 16000;
        return ClientEvent.newBuilder().setAudio(AudioChunk.newBuilder().setData(bytes(blob.data()))
                .setSampleRateHz(hz).setEncoding(AudioEncoding.AUDIO_ENCODING_PCM16)).build();
    }

    private static String textOf(Content content, String field) {
        StringBuilder text = new StringBuilder();
        if (content.parts() != null) {
            for (int i = 0; i < content.parts().size(); i++) {
                Content.Part p = content.parts().get(i);
                if (p.text() == null) {
                    throw new InvalidClientEventException(field + ".parts[" + i + "]", "only text parts are allowed");
                }
                text.append(p.text());
            }
        }
        return text.toString();
    }

    /** A Live API enum string as the proto enum: its name as is, or with the proto's prefix. */
    private static <E extends Enum<E> & ProtocolMessageEnum> E enumOf(String field, String value, String prefix,
            Function<String, E> valueOf, E[] values) {
        String v = value.strip().toUpperCase(Locale.ROOT);
        for (String candidate : List.of(v, prefix + v)) {
            try {
                E e = valueOf.apply(candidate);
                if (!e.name().endsWith("UNSPECIFIED") && !e.name().equals("UNRECOGNIZED")) {
                    return e;
                }
            } catch (IllegalArgumentException ignored) {
                // try the next spelling
            }
        }
        List<String> allowed = new ArrayList<>();
        for (E e : values) {
            if (!e.name().endsWith("UNSPECIFIED") && !e.name().equals("UNRECOGNIZED")) {
                allowed.add(e.name().startsWith(prefix) ? e.name().substring(prefix.length()) : e.name());
            }
        }
        throw new InvalidClientEventException(field, "unknown value '" + value + "'; allowed: "
                + String.join(", ", allowed));
    }

    private static ByteString bytes(byte[] data) {
        return data == null ? ByteString.EMPTY : ByteString.copyFrom(data);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
