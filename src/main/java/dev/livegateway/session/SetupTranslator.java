package dev.livegateway.session;

import dev.livegateway.api.v1.AutomaticActivityDetection;
import dev.livegateway.api.v1.GenerationConfig;
import dev.livegateway.api.v1.Modality;
import dev.livegateway.api.v1.RealtimeInputConfig;
import dev.livegateway.api.v1.SessionConfig;
import dev.livegateway.api.v1.SpeechConfig;
import dev.livegateway.tools.ToolRef;
import dev.livegateway.wire.Content;
import dev.livegateway.wire.Empty;
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
        return toSetup(config, qualifiedModel, tools, flavour, maxTextChars, DEFAULT_MAX_MEDIA_BYTES);
    }

    /**
     * Builds the setup; {@code maxMediaBytes} bounds each image or recording in it (avatar image,
     * replicated-voice samples).
     */
    public static Setup toSetup(SessionConfig config, String qualifiedModel, List<Tool> tools, Flavour flavour,
            int maxTextChars, int maxMediaBytes) {
        Setup.GenerationConfig generation = generationConfig(config, flavour, maxMediaBytes);
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
                transcription("config.input_transcription", config.getInputAudioTranscription(),
                        config.hasInputTranscription() ? config.getInputTranscription() : null, maxTextChars),
                transcription("config.output_transcription", config.getOutputAudioTranscription(),
                        config.hasOutputTranscription() ? config.getOutputTranscription() : null, maxTextChars),
                config.getProactiveAudio() ? new Setup.Proactivity(Boolean.TRUE) : null,
                explicitVadSignal(config, flavour),
                config.hasAvatar() ? avatar(config.getAvatar(), maxMediaBytes) : null,
                safetySettings(config),
                config.hasHistory() && config.getHistory().getInitialHistoryInClientContent()
                        ? new Setup.HistoryConfig(Boolean.TRUE) : null,
                labels(config));
    }

    // ---- 2026 additions ------------------------------------------------------------------------

    /** Limit on an image or recording in the setup when the caller of toSetup gives none. */
    static final int DEFAULT_MAX_MEDIA_BYTES = 2 * 1024 * 1024;
    /** At most this many entries in a transcription word or phrase list. */
    static final int MAX_TRANSCRIPTION_LIST = 1000;
    /** Vertex AI's label rules: at most 64 labels, keys start with a lowercase letter, 63 characters each. */
    static final int MAX_LABELS = 64;
    private static final Pattern LABEL_KEY = Pattern.compile("\\p{Ll}[\\p{Ll}\\p{Lo}\\p{N}_-]{0,62}");
    private static final Pattern LABEL_VALUE = Pattern.compile("[\\p{Ll}\\p{Lo}\\p{N}_-]{0,63}");

    private static Setup.AudioTranscriptionConfig transcription(String field, boolean on,
            dev.livegateway.api.v1.TranscriptionConfig t, int maxTextChars) {
        if (t == null) {
            return on ? Setup.AudioTranscriptionConfig.ON : null;
        }
        List<String> codes = languages(field + ".language_codes", t.getLanguageCodesList());
        List<String> hints = languages(field + ".language_hints", t.getLanguageHintsList());
        String mode = switch (t.getMode()) {
            case TRANSCRIPTION_MODE_UNSPECIFIED -> null;
            case TRANSCRIPTION_MODE_VERBATIM -> "VERBATIM";
            case TRANSCRIPTION_MODE_SMART -> "SMART";
            case UNRECOGNIZED -> throw new InvalidClientEventException(field + ".mode", "unknown value "
                    + t.getModeValue() + "; allowed: TRANSCRIPTION_MODE_VERBATIM, TRANSCRIPTION_MODE_SMART");
        };
        if (t.getSourceText().length() > maxTextChars) {
            throw new InvalidClientEventException(field + ".source_text", "at most " + maxTextChars
                    + " characters, got " + t.getSourceText().length());
        }
        return new Setup.AudioTranscriptionConfig(
                codes,
                t.getLanguageAuto() ? Empty.INSTANCE : null,
                hints == null ? null : new Setup.LanguageHints(hints),
                words(field + ".custom_vocabulary", t.getCustomVocabularyList(), maxTextChars),
                words(field + ".adaptation_phrases", t.getAdaptationPhrasesList(), maxTextChars),
                t.getDiarization() ? Boolean.TRUE : null,
                t.getWordTimestamps() ? Boolean.TRUE : null,
                mode,
                t.getSourceText().isEmpty() ? null : t.getSourceText());
    }

    private static List<String> languages(String field, List<String> codes) {
        if (codes.isEmpty()) {
            return null;
        }
        if (codes.size() > 100) {
            throw new InvalidClientEventException(field, "at most 100 language codes, got " + codes.size());
        }
        for (int i = 0; i < codes.size(); i++) {
            language(field + "[" + i + "]", codes.get(i));
        }
        return List.copyOf(codes);
    }

    private static String language(String field, String code) {
        if (!LANGUAGE.matcher(code).matches()) {
            throw new InvalidClientEventException(field, "'" + abbreviate(code)
                    + "' is not a BCP-47 language code such as en-US or de-DE");
        }
        return code;
    }

    private static List<String> words(String field, List<String> entries, int maxTextChars) {
        if (entries.isEmpty()) {
            return null;
        }
        if (entries.size() > MAX_TRANSCRIPTION_LIST) {
            throw new InvalidClientEventException(field, "at most " + MAX_TRANSCRIPTION_LIST + " entries, got "
                    + entries.size());
        }
        long total = 0;
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).isBlank()) {
                throw new InvalidClientEventException(field + "[" + i + "]", "empty; every entry needs a word or phrase");
            }
            total += entries.get(i).length();
        }
        if (total > maxTextChars) {
            throw new InvalidClientEventException(field, "at most " + maxTextChars + " characters in all, got " + total);
        }
        return List.copyOf(entries);
    }

    private static Boolean explicitVadSignal(SessionConfig config, Flavour flavour) {
        if (!config.getExplicitVadSignal()) {
            return null;
        }
        if (flavour != Flavour.VERTEX) {
            throw new InvalidClientEventException("config.explicit_vad_signal", "only supported on Vertex AI; this"
                    + " gateway's upstream is the Gemini Developer API; leave it false");
        }
        return Boolean.TRUE;
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
        return new Setup.TranslationConfig(language("config.translation.target_language_code",
                t.getTargetLanguageCode()), t.getEchoTargetLanguage() ? Boolean.TRUE : null);
    }

    private static Setup.AvatarConfig avatar(dev.livegateway.api.v1.AvatarConfig a, int maxMediaBytes) {
        boolean named = !a.getAvatarName().isBlank();
        if (named == a.hasCustomAvatar()) {
            throw new InvalidClientEventException("config.avatar", named
                    ? "both avatar_name and custom_avatar are set; set one"
                    : "set avatar_name (a prebuilt avatar) or custom_avatar (an image)");
        }
        if (named && !VOICE.matcher(a.getAvatarName()).matches()) {
            throw new InvalidClientEventException("config.avatar.avatar_name", "'" + abbreviate(a.getAvatarName())
                    + "' is not an avatar name (letters, digits, '_' and '-')");
        }
        Setup.CustomizedAvatar custom = null;
        if (a.hasCustomAvatar()) {
            byte[] image = a.getCustomAvatar().getImageData().toByteArray();
            custom = new Setup.CustomizedAvatar(image("config.avatar.custom_avatar", image,
                    a.getCustomAvatar().getImageMimeType(), maxMediaBytes), image);
        }
        Integer audio = a.hasAudioBitrateBps()
                ? atLeast("config.avatar.audio_bitrate_bps", a.getAudioBitrateBps(), 1) : null;
        Integer video = a.hasVideoBitrateBps()
                ? atLeast("config.avatar.video_bitrate_bps", a.getVideoBitrateBps(), 1) : null;
        return new Setup.AvatarConfig(named ? a.getAvatarName() : null, custom, audio, video);
    }

    /** Checks an image and returns its media type (declared, or detected from its signature). */
    private static String image(String field, byte[] data, String declared, int maxBytes) {
        if (data.length == 0) {
            throw new InvalidClientEventException(field + ".image_data", "empty; send a JPEG or PNG image");
        }
        if (data.length > maxBytes) {
            throw new InvalidClientEventException(field + ".image_data", data.length + " bytes is over the limit of "
                    + maxBytes + " bytes");
        }
        String detected = ClientEventTranslator.imageType(data);
        if (detected == null) {
            throw new InvalidClientEventException(field + ".image_data", "not a JPEG or PNG image (unknown signature)");
        }
        String mime = declared.strip();
        if (!mime.isEmpty() && !mime.equalsIgnoreCase(detected)) {
            throw new InvalidClientEventException(field + ".image_mime_type", "'" + abbreviate(mime)
                    + "' does not match the image, which is " + detected + "; allowed: image/jpeg, image/png");
        }
        return detected;
    }

    private static List<Setup.SafetySetting> safetySettings(SessionConfig config) {
        if (config.getSafetySettingsCount() == 0) {
            return null;
        }
        List<Setup.SafetySetting> out = new ArrayList<>(config.getSafetySettingsCount());
        java.util.Set<dev.livegateway.api.v1.HarmCategory> seen = java.util.EnumSet.noneOf(
                dev.livegateway.api.v1.HarmCategory.class);
        for (int i = 0; i < config.getSafetySettingsCount(); i++) {
            var s = config.getSafetySettings(i);
            String field = "config.safety_settings[" + i + "]";
            if (s.getCategory() == dev.livegateway.api.v1.HarmCategory.HARM_CATEGORY_UNSPECIFIED
                    || s.getCategory() == dev.livegateway.api.v1.HarmCategory.UNRECOGNIZED) {
                throw new InvalidClientEventException(field + ".category", "required; allowed: "
                        + allowed(dev.livegateway.api.v1.HarmCategory.values()));
            }
            if (!seen.add(s.getCategory())) {
                throw new InvalidClientEventException(field + ".category", s.getCategory().name()
                        + " is set twice; one setting per category");
            }
            if (s.getThreshold() == dev.livegateway.api.v1.HarmBlockThreshold.HARM_BLOCK_THRESHOLD_UNSPECIFIED
                    || s.getThreshold() == dev.livegateway.api.v1.HarmBlockThreshold.UNRECOGNIZED) {
                throw new InvalidClientEventException(field + ".threshold", "required; allowed: "
                        + allowed(dev.livegateway.api.v1.HarmBlockThreshold.values()));
            }
            String method = switch (s.getMethod()) {
                case HARM_BLOCK_METHOD_UNSPECIFIED -> null;
                case HARM_BLOCK_METHOD_SEVERITY -> "SEVERITY";
                case HARM_BLOCK_METHOD_PROBABILITY -> "PROBABILITY";
                case UNRECOGNIZED -> throw new InvalidClientEventException(field + ".method", "unknown value "
                        + s.getMethodValue() + "; allowed: HARM_BLOCK_METHOD_SEVERITY, HARM_BLOCK_METHOD_PROBABILITY");
            };
            out.add(new Setup.SafetySetting(s.getCategory().name(),
                    s.getThreshold().name().substring("HARM_BLOCK_THRESHOLD_".length()), method));
        }
        return out;
    }

    /** The enum's names without UNSPECIFIED and UNRECOGNIZED, comma-separated. */
    private static String allowed(Enum<?>[] values) {
        StringBuilder names = new StringBuilder();
        for (Enum<?> v : values) {
            if (v.name().endsWith("_UNSPECIFIED") || v.name().equals("UNRECOGNIZED")) {
                continue;
            }
            if (names.length() > 0) {
                names.append(", ");
            }
            names.append(v.name());
        }
        return names.toString();
    }

    private static java.util.Map<String, String> labels(SessionConfig config) {
        if (config.getLabelsCount() == 0) {
            return null;
        }
        if (config.getLabelsCount() > MAX_LABELS) {
            throw new InvalidClientEventException("config.labels", "at most " + MAX_LABELS + " labels, got "
                    + config.getLabelsCount());
        }
        java.util.Map<String, String> labels = new java.util.TreeMap<>();
        for (var label : config.getLabelsMap().entrySet()) {
            if (!LABEL_KEY.matcher(label.getKey()).matches()) {
                throw new InvalidClientEventException("config.labels", "key '" + abbreviate(label.getKey())
                        + "' is not a label key: 1 to 63 lowercase letters, digits, '_' or '-', starting with a letter");
            }
            if (!LABEL_VALUE.matcher(label.getValue()).matches()) {
                throw new InvalidClientEventException("config.labels[" + label.getKey() + "]", "value '"
                        + abbreviate(label.getValue()) + "' is not a label value: at most 63 lowercase letters,"
                        + " digits, '_' or '-'");
            }
            labels.put(label.getKey(), label.getValue());
        }
        return labels;
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
                    "unknown value " + t.getThinkingLevelValue() + "; allowed: " + allowed(
                            dev.livegateway.api.v1.ThinkingLevel.values()));
        };
        Integer budget = t.hasThinkingBudget()
                ? atLeast("config.generation.thinking.thinking_budget", t.getThinkingBudget(), -1) : null;
        return new Setup.ThinkingConfig(budget, t.getIncludeThoughts() ? Boolean.TRUE : null, level);
    }

    private static Setup.ReplicatedVoiceConfig replicatedVoice(dev.livegateway.api.v1.ReplicatedVoice v,
            int maxMediaBytes) {
        String field = "config.speech.replicated_voice";
        if (v.getMimeType().isBlank() || !v.getMimeType().strip().startsWith("audio/")) {
            throw new InvalidClientEventException(field + ".mime_type", "'" + abbreviate(v.getMimeType())
                    + "' is not an audio media type such as audio/wav or audio/pcm;rate=24000");
        }
        byte[] sample = recording(field + ".voice_sample_audio", v.getVoiceSampleAudio().toByteArray(), maxMediaBytes);
        if (sample == null) {
            throw new InvalidClientEventException(field + ".voice_sample_audio", "empty; send a sample of the voice");
        }
        byte[] consent = recording(field + ".consent_audio", v.getConsentAudio().toByteArray(), maxMediaBytes);
        String signature = v.getVoiceConsentSignature().strip();
        if (consent == null && signature.isEmpty()) {
            throw new InvalidClientEventException(field + ".consent_audio", "empty; send the speaker's recorded"
                    + " consent, or voice_consent_signature from an earlier SessionStarted");
        }
        return new Setup.ReplicatedVoiceConfig(v.getMimeType().strip(), sample, consent,
                signature.isEmpty() ? null : new Setup.VoiceConsentSignature(signature));
    }

    private static byte[] recording(String field, byte[] data, int maxBytes) {
        if (data.length > maxBytes) {
            throw new InvalidClientEventException(field, data.length + " bytes is over the limit of " + maxBytes
                    + " bytes");
        }
        return data.length == 0 ? null : data;
    }

    private static Setup.GenerationConfig generationConfig(SessionConfig config, Flavour flavour, int maxMediaBytes) {
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
                frequency, mediaResolution, speechConfig(config.getSpeech(), maxMediaBytes),
                config.getAffectiveDialog() ? Boolean.TRUE : null, thinking(g), translation(config));
    }

    private static Setup.SpeechConfig speechConfig(SpeechConfig speech, int maxMediaBytes) {
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
        if (!voice.isEmpty() && speech.hasReplicatedVoice()) {
            throw new InvalidClientEventException("config.speech.replicated_voice", "both voice_name and"
                    + " replicated_voice are set; set one");
        }
        if (voice.isEmpty() && language.isEmpty() && !speech.hasReplicatedVoice()) {
            return null;
        }
        Setup.VoiceConfig voiceConfig = voice.isEmpty() ? null
                : new Setup.VoiceConfig(new Setup.PrebuiltVoiceConfig(voice));
        if (speech.hasReplicatedVoice()) {
            voiceConfig = new Setup.VoiceConfig(null, replicatedVoice(speech.getReplicatedVoice(), maxMediaBytes));
        }
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
        Boolean interimTimestamps = r.getInterimTranscriptTimestamps() ? Boolean.TRUE : null;
        if (detection == null && handling == null && coverage == null && interimTimestamps == null) {
            return null;
        }
        return new Setup.RealtimeInputConfig(detection, handling, coverage, interimTimestamps);
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
