package dev.livegateway.websocket;

import static dev.livegateway.websocket.LiveApiFieldValues.enumOf;

import dev.livegateway.api.v1.ClientEvent;
import dev.livegateway.api.v1.ContextWindowCompression;
import dev.livegateway.api.v1.HarmBlockMethod;
import dev.livegateway.api.v1.HarmBlockThreshold;
import dev.livegateway.api.v1.HarmCategory;
import dev.livegateway.api.v1.HistoryConfig;
import dev.livegateway.api.v1.SafetySetting;
import dev.livegateway.api.v1.SessionConfig;
import dev.livegateway.api.v1.ToolReference;
import dev.livegateway.api.v1.TranscriptionConfig;
import dev.livegateway.api.v1.TranscriptionMode;
import dev.livegateway.session.InvalidClientEventException;
import dev.livegateway.wire.ClientMessage;
import dev.livegateway.wire.Setup;
import java.util.List;

/**
 * Live API client messages (the {@code wire} records, as Google's SDKs write them) → the
 * gateway's caller events, so a WebSocket client goes through exactly the admission and session of
 * a gRPC caller. Errors name the Live API field ({@code setup.tools[0].googleSearch}) and become
 * close code 1007. Pure; one job.
 *
 * <p>This class assembles the setup's {@link SessionConfig}; its larger parts are translated by
 * {@link LiveApiSetupGeneration}, {@link LiveApiSetupRealtimeInput} and {@link LiveApiToolRefs},
 * and the messages after the setup by {@link LiveApiClientEvents}.
 *
 * <p>Tools: the gateway's tools come from its registry, so a {@code functionDeclarations} entry
 * names a registry tool (its name only; a description or schema sent with it is the client's copy
 * and is ignored: the registry's definition is what the model sees); the header
 * {@code x-live-gateway-tools: name[@version],…} adds registry tools of any kind. Inline hosted
 * tools (Google Search, code execution, …) are refused: register them as registry entries.
 */
final class LiveApiClientTranslator {

    private LiveApiClientTranslator() {}

    /** The registry tools of the {@code x-live-gateway-tools} header ({@code name[@version],…}); empty for none. */
    static List<ToolReference> headerTools(String header) {
        return LiveApiToolRefs.headerTools(header);
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
            c.setSystemInstruction(LiveApiFieldValues.textOf(setup.systemInstruction(), "setup.systemInstruction"));
        }
        c.addAllTools(headerTools);
        LiveApiToolRefs.addDeclared(setup.tools(), c, "setup.tools");
        Setup.GenerationConfig g = setup.generationConfig();
        if (g != null) {
            LiveApiSetupGeneration.generation(g, c);
        }
        if (setup.realtimeInputConfig() != null) {
            c.setRealtimeInput(LiveApiSetupRealtimeInput.realtimeInput(setup.realtimeInputConfig()));
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
            safetySettings(setup.safetySettings(), c);
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

    /** A later client message as caller events (usually one; a legacy {@code mediaChunks} list gives several). */
    static List<ClientEvent> events(ClientMessage message) {
        return LiveApiClientEvents.events(message);
    }

    private static void safetySettings(List<Setup.SafetySetting> settings, SessionConfig.Builder c) {
        for (int i = 0; i < settings.size(); i++) {
            Setup.SafetySetting s = settings.get(i);
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
}
