package dev.livegateway.websocket;

import static dev.livegateway.websocket.LiveApiFieldValues.enumOf;

import dev.livegateway.api.v1.GenerationConfig;
import dev.livegateway.api.v1.MediaResolution;
import dev.livegateway.api.v1.Modality;
import dev.livegateway.api.v1.SessionConfig;
import dev.livegateway.api.v1.SpeechConfig;
import dev.livegateway.api.v1.ThinkingConfig;
import dev.livegateway.api.v1.ThinkingLevel;
import dev.livegateway.api.v1.TranslationConfig;
import dev.livegateway.session.InvalidClientEventException;
import dev.livegateway.wire.Setup;

/**
 * A Live API setup's {@code generationConfig} into the gateway's {@link SessionConfig}: the
 * response modality, the sampling settings, media resolution, thinking, affective dialog, speech
 * (a prebuilt voice and language) and translation. Refusals name the Live API field.
 */
final class LiveApiSetupGeneration {

    private LiveApiSetupGeneration() {}

    /** Sets on {@code c} what {@code g} asks for. */
    static void generation(Setup.GenerationConfig g, SessionConfig.Builder c) {
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
            b.setThinking(thinking(g.thinkingConfig()));
        }
        c.setGeneration(b);
        if (Boolean.TRUE.equals(g.enableAffectiveDialog())) {
            c.setAffectiveDialog(true);
        }
        if (g.speechConfig() != null) {
            c.setSpeech(speech(g.speechConfig()));
        }
        if (g.translationConfig() != null) {
            Setup.TranslationConfig t = g.translationConfig();
            TranslationConfig.Builder tb = TranslationConfig.newBuilder();
            if (t.targetLanguageCode() != null) tb.setTargetLanguageCode(t.targetLanguageCode());
            if (t.echoTargetLanguage() != null) tb.setEchoTargetLanguage(t.echoTargetLanguage());
            c.setTranslation(tb);
        }
    }

    private static ThinkingConfig.Builder thinking(Setup.ThinkingConfig t) {
        ThinkingConfig.Builder tb = ThinkingConfig.newBuilder();
        if (t.thinkingBudget() != null) tb.setThinkingBudget(t.thinkingBudget());
        if (t.includeThoughts() != null) tb.setIncludeThoughts(t.includeThoughts());
        if (t.thinkingLevel() != null) {
            tb.setThinkingLevel(enumOf("setup.generationConfig.thinkingConfig.thinkingLevel", t.thinkingLevel(),
                    "THINKING_LEVEL_", ThinkingLevel::valueOf, ThinkingLevel.values()));
        }
        return tb;
    }

    private static SpeechConfig.Builder speech(Setup.SpeechConfig s) {
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
        return sb;
    }
}
