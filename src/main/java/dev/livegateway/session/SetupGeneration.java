package dev.livegateway.session;

import static dev.livegateway.session.ConfigFieldChecks.atLeast;
import static dev.livegateway.session.ConfigFieldChecks.range;

import dev.livegateway.api.v1.GenerationConfig;
import dev.livegateway.api.v1.SessionConfig;
import dev.livegateway.api.v1.ThinkingLevel;
import dev.livegateway.wire.Setup;
import java.util.List;

/**
 * The setup's {@code generationConfig} from a caller's {@link SessionConfig}: the response
 * modality, the sampling settings, media resolution, thinking, affective dialog, translation, and
 * the speech settings ({@link SetupSpeech}). Every refusal names the proto field and what is allowed.
 */
final class SetupGeneration {

    private SetupGeneration() {}

    static Setup.GenerationConfig generationConfig(SessionConfig config, int maxMediaBytes) {
        String modality = switch (config.getResponseModality()) {
            case MODALITY_TEXT -> "TEXT";
            case MODALITY_AUDIO, MODALITY_UNSPECIFIED -> "AUDIO";
            case UNRECOGNIZED -> throw new InvalidClientEventException("config.response_modality",
                    "unknown value " + config.getResponseModalityValue() + "; allowed: MODALITY_TEXT, MODALITY_AUDIO");
        };
        GenerationConfig g = config.getGeneration();
        Float temperature = g.hasTemperature() ? range("config.generation.temperature", g.getTemperature(), 0, 2) : null;
        Float topP = g.hasTopP() ? range("config.generation.top_p", g.getTopP(), 0, 1) : null;
        Integer topK = g.hasTopK() ? atLeast("config.generation.top_k", g.getTopK(), 1) : null;
        Integer maxTokens = g.hasMaxOutputTokens()
                ? atLeast("config.generation.max_output_tokens", g.getMaxOutputTokens(), 1) : null;
        Integer seed = g.hasSeed() ? g.getSeed() : null;
        String mediaResolution = switch (g.getMediaResolution()) {
            case MEDIA_RESOLUTION_UNSPECIFIED -> null;
            case MEDIA_RESOLUTION_LOW, MEDIA_RESOLUTION_MEDIUM, MEDIA_RESOLUTION_HIGH -> g.getMediaResolution().name();
            case UNRECOGNIZED -> throw new InvalidClientEventException("config.generation.media_resolution",
                    "unknown value " + g.getMediaResolutionValue()
                            + "; allowed: MEDIA_RESOLUTION_LOW, MEDIA_RESOLUTION_MEDIUM, MEDIA_RESOLUTION_HIGH");
        };
        Float presence = g.hasPresencePenalty()
                ? range("config.generation.presence_penalty", g.getPresencePenalty(), -2, 2) : null;
        Float frequency = g.hasFrequencyPenalty()
                ? range("config.generation.frequency_penalty", g.getFrequencyPenalty(), -2, 2) : null;
        return new Setup.GenerationConfig(List.of(modality), temperature, topP, topK, maxTokens, seed, null, presence,
                frequency, mediaResolution, SetupSpeech.speechConfig(config.getSpeech(), maxMediaBytes),
                config.getAffectiveDialog() ? Boolean.TRUE : null, thinking(g), translation(config));
    }

    private static Setup.ThinkingConfig thinking(GenerationConfig g) {
        if (!g.hasThinking()) {
            return null;
        }
        var t = g.getThinking();
        String level = switch (t.getThinkingLevel()) {
            case THINKING_LEVEL_UNSPECIFIED -> null;
            case THINKING_LEVEL_MINIMAL, THINKING_LEVEL_LOW, THINKING_LEVEL_MEDIUM, THINKING_LEVEL_HIGH,
                    THINKING_LEVEL_XHIGH -> t.getThinkingLevel().name().substring("THINKING_LEVEL_".length());
            case UNRECOGNIZED -> throw new InvalidClientEventException("config.generation.thinking.thinking_level",
                    "unknown value " + t.getThinkingLevelValue() + "; allowed: " + AllowedEnumValues.list(
                            ThinkingLevel.values()));
        };
        Integer budget = t.hasThinkingBudget()
                ? atLeast("config.generation.thinking.thinking_budget", t.getThinkingBudget(), -1) : null;
        return new Setup.ThinkingConfig(budget, t.getIncludeThoughts() ? Boolean.TRUE : null, level);
    }

    private static Setup.TranslationConfig translation(SessionConfig config) {
        if (!config.hasTranslation()) {
            return null;
        }
        var t = config.getTranslation();
        if (t.getTargetLanguageCode().isEmpty()) {
            throw new InvalidClientEventException("config.translation.target_language_code", "empty; name the"
                    + " language to translate into, a BCP-47 code such as de-DE");
        }
        return new Setup.TranslationConfig(ConfigFieldChecks.language("config.translation.target_language_code",
                t.getTargetLanguageCode()), t.getEchoTargetLanguage() ? Boolean.TRUE : null);
    }
}
