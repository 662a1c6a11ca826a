package dev.livegateway.session;

import dev.livegateway.api.v1.AutomaticActivityDetection;
import dev.livegateway.api.v1.GenerationConfig;
import dev.livegateway.api.v1.Modality;
import dev.livegateway.api.v1.RealtimeInputConfig;
import dev.livegateway.api.v1.SessionConfig;
import dev.livegateway.api.v1.SpeechConfig;
import dev.livegateway.tools.ToolRef;
import dev.livegateway.wire.Content;
import dev.livegateway.wire.Flavour;
import dev.livegateway.wire.Setup;
import dev.livegateway.wire.Tool;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Validates a caller's {@link SessionConfig} and turns it into the Live API {@code setup}.
 * Every refusal names the proto field and what is allowed.
 */
public final class SetupTranslator {

    private static final Pattern MODEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@/-]{0,255}");
    private static final Pattern VOICE = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");
    private static final Pattern LANGUAGE = Pattern.compile("[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}");

    private SetupTranslator() {}

    /** Whether the caller manages turns with activity start/end itself. */
    public static boolean manualActivity(SessionConfig config) {
        return config.getRealtimeInput().getAutomaticActivityDetection().getDisabled();
    }

    public static String requestedModel(SessionConfig config, String defaultModel) {
        String model = config.getModel().strip();
        if (model.isEmpty()) {
            return defaultModel;
        }
        if (!MODEL.matcher(model).matches() || model.contains("//") || model.endsWith("/")) {
            throw new InvalidClientEventException("config.model", "'" + abbreviate(model)
                    + "' is not a model name; use an id such as gemini-live-2.5-flash or"
                    + " projects/{p}/locations/{l}/publishers/google/models/{id}");
        }
        return model;
    }

    /**
     * The registry tools the config names, checked before they are resolved: each needs a name and
     * a version that is 0 (the current one) or a registry version.
     */
    public static List<ToolRef> toolRefs(SessionConfig config) {
        List<ToolRef> refs = new ArrayList<>();
        for (int i = 0; i < config.getToolsCount(); i++) {
            var tool = config.getTools(i);
            if (tool.getName().isBlank()) {
                throw new InvalidClientEventException("config.tools[" + i + "].name", "empty; name a tool"
                        + " configuration of the registry");
            }
            if (tool.getVersion() < 0) {
                throw new InvalidClientEventException("config.tools[" + i + "].version", "must be 0"
                        + " (current) or a registry version, got " + tool.getVersion());
            }
            refs.add(new ToolRef(tool.getName(), tool.getVersion()));
        }
        return refs;
    }

    /**
     * Builds the setup. {@code qualifiedModel} is already expanded for the endpoint, {@code tools}
     * resolved from the registry. Resumption is always on; transparent mode only on Vertex.
     */
    public static Setup toSetup(SessionConfig config, String qualifiedModel, List<Tool> tools, Flavour flavour,
            int maxTextChars) {
        Setup.GenerationConfig generation = generationConfig(config, flavour);
        Content systemInstruction = null;
        if (!config.getSystemInstruction().isEmpty()) {
            if (config.getSystemInstruction().length() > maxTextChars) {
                throw new InvalidClientEventException("config.system_instruction",
                        "at most " + maxTextChars + " characters, got " + config.getSystemInstruction().length());
            }
            systemInstruction = new Content(null, List.of(Content.Part.text(config.getSystemInstruction())));
        }
        Setup.ContextWindowCompression compression = null;
        if (config.hasContextWindowCompression()) {
            var c = config.getContextWindowCompression();
            Long trigger = c.hasTriggerTokens() ? c.getTriggerTokens() : null;
            Long target = c.hasTargetTokens() ? c.getTargetTokens() : null;
            if (trigger != null && (trigger < 1000 || trigger > 10_000_000)) {
                throw new InvalidClientEventException("config.context_window_compression.trigger_tokens",
                        "must be between 1000 and 10000000 (Vertex accepts 5000 to 128000), got " + trigger);
            }
            if (target != null && (target < 0 || (trigger != null && target > trigger))) {
                throw new InvalidClientEventException("config.context_window_compression.target_tokens",
                        "must be between 0 and trigger_tokens, got " + target);
            }
            compression = new Setup.ContextWindowCompression(trigger, new Setup.SlidingWindow(target));
        }
        return new Setup(
                qualifiedModel,
                generation,
                systemInstruction,
                tools.isEmpty() ? null : List.copyOf(tools),
                realtimeInputConfig(config),
                new Setup.SessionResumption(null, flavour == Flavour.VERTEX ? Boolean.TRUE : null),
                compression,
                config.getInputAudioTranscription() ? Setup.AudioTranscriptionConfig.ON : null,
                config.getOutputAudioTranscription() ? Setup.AudioTranscriptionConfig.ON : null,
                config.getProactiveAudio() ? new Setup.Proactivity(Boolean.TRUE) : null,
                null);
    }

    private static Setup.GenerationConfig generationConfig(SessionConfig config, Flavour flavour) {
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
        return new Setup.GenerationConfig(List.of(modality), temperature, topP, topK, maxTokens, seed, null, null, null,
                mediaResolution, speechConfig(config.getSpeech()),
                config.getAffectiveDialog() ? Boolean.TRUE : null, null);
    }

    private static Setup.SpeechConfig speechConfig(SpeechConfig speech) {
        String voice = speech.getVoiceName().strip();
        String language = speech.getLanguageCode().strip();
        if (!voice.isEmpty() && !VOICE.matcher(voice).matches()) {
            throw new InvalidClientEventException("config.speech.voice_name",
                    "'" + abbreviate(voice) + "' is not a prebuilt voice name (letters, e.g. Aoede, Puck, Kore)");
        }
        if (!language.isEmpty() && !LANGUAGE.matcher(language).matches()) {
            throw new InvalidClientEventException("config.speech.language_code",
                    "'" + abbreviate(language) + "' is not a BCP-47 language code such as en-US or de-DE");
        }
        if (voice.isEmpty() && language.isEmpty()) {
            return null;
        }
        Setup.VoiceConfig voiceConfig = voice.isEmpty() ? null
                : new Setup.VoiceConfig(new Setup.PrebuiltVoiceConfig(voice));
        return new Setup.SpeechConfig(voiceConfig, language.isEmpty() ? null : language);
    }

    private static Setup.RealtimeInputConfig realtimeInputConfig(SessionConfig config) {
        if (!config.hasRealtimeInput()) {
            return null;
        }
        RealtimeInputConfig r = config.getRealtimeInput();
        Setup.AutomaticActivityDetection detection = null;
        if (r.hasAutomaticActivityDetection()) {
            AutomaticActivityDetection a = r.getAutomaticActivityDetection();
            String start = switch (a.getStartOfSpeechSensitivity()) {
                case START_SENSITIVITY_UNSPECIFIED -> null;
                case START_SENSITIVITY_HIGH, START_SENSITIVITY_LOW -> a.getStartOfSpeechSensitivity().name();
                case UNRECOGNIZED -> throw new InvalidClientEventException(
                        "config.realtime_input.automatic_activity_detection.start_of_speech_sensitivity",
                        "unknown value; allowed: START_SENSITIVITY_HIGH, START_SENSITIVITY_LOW");
            };
            String end = switch (a.getEndOfSpeechSensitivity()) {
                case END_SENSITIVITY_UNSPECIFIED -> null;
                case END_SENSITIVITY_HIGH, END_SENSITIVITY_LOW -> a.getEndOfSpeechSensitivity().name();
                case UNRECOGNIZED -> throw new InvalidClientEventException(
                        "config.realtime_input.automatic_activity_detection.end_of_speech_sensitivity",
                        "unknown value; allowed: END_SENSITIVITY_HIGH, END_SENSITIVITY_LOW");
            };
            Integer padding = a.hasPrefixPaddingMs() ? atLeast(
                    "config.realtime_input.automatic_activity_detection.prefix_padding_ms", a.getPrefixPaddingMs(), 0) : null;
            Integer silence = a.hasSilenceDurationMs() ? atLeast(
                    "config.realtime_input.automatic_activity_detection.silence_duration_ms", a.getSilenceDurationMs(), 0) : null;
            detection = new Setup.AutomaticActivityDetection(a.getDisabled() ? Boolean.TRUE : null, start, end, padding, silence);
        }
        String handling = switch (r.getActivityHandling()) {
            case ACTIVITY_HANDLING_UNSPECIFIED -> null;
            case ACTIVITY_HANDLING_START_OF_ACTIVITY_INTERRUPTS -> "START_OF_ACTIVITY_INTERRUPTS";
            case ACTIVITY_HANDLING_NO_INTERRUPTION -> "NO_INTERRUPTION";
            case UNRECOGNIZED -> throw new InvalidClientEventException("config.realtime_input.activity_handling",
                    "unknown value; allowed: ACTIVITY_HANDLING_START_OF_ACTIVITY_INTERRUPTS, ACTIVITY_HANDLING_NO_INTERRUPTION");
        };
        String coverage = switch (r.getTurnCoverage()) {
            case TURN_COVERAGE_UNSPECIFIED -> null;
            case TURN_COVERAGE_TURN_INCLUDES_ONLY_ACTIVITY -> "TURN_INCLUDES_ONLY_ACTIVITY";
            case TURN_COVERAGE_TURN_INCLUDES_ALL_INPUT -> "TURN_INCLUDES_ALL_INPUT";
            case UNRECOGNIZED -> throw new InvalidClientEventException("config.realtime_input.turn_coverage",
                    "unknown value; allowed: TURN_COVERAGE_TURN_INCLUDES_ONLY_ACTIVITY, TURN_COVERAGE_TURN_INCLUDES_ALL_INPUT");
        };
        if (detection == null && handling == null && coverage == null) {
            return null;
        }
        return new Setup.RealtimeInputConfig(detection, handling, coverage);
    }

    private static float range(String field, float value, float min, float max) {
        if (Float.isNaN(value) || value < min || value > max) {
            throw new InvalidClientEventException(field, "must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }

    private static int atLeast(String field, int value, int min) {
        if (value < min) {
            throw new InvalidClientEventException(field, "must be at least " + min + ", got " + value);
        }
        return value;
    }

    static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    /** The modality the caller asked for (AUDIO when unset). */
    public static boolean textModality(SessionConfig config) {
        return config.getResponseModality() == Modality.MODALITY_TEXT;
    }
}
