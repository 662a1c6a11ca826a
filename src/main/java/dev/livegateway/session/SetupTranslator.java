package dev.livegateway.session;

import dev.livegateway.api.v1.Modality;
import dev.livegateway.api.v1.SessionConfig;
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
 * Every refusal names the proto field and what is allowed. The setup's parts are each built by
 * their own class ({@link SetupGeneration}, {@link SetupRealtimeInput}, {@link SetupTranscription},
 * {@link SetupAvatar}, {@link SetupSafety}, {@link SetupLabels}); this one checks the model and the
 * registry tools it names and assembles the rest.
 */
public final class SetupTranslator {

    private static final Pattern MODEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@/-]{0,255}");

    /** Limit on an image or recording in the setup when the caller of toSetup gives none. */
    static final int DEFAULT_MAX_MEDIA_BYTES = 2 * 1024 * 1024;

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
        Setup.GenerationConfig generation = SetupGeneration.generationConfig(config, maxMediaBytes);
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
                SetupRealtimeInput.realtimeInputConfig(config),
                new Setup.SessionResumption(null, flavour == Flavour.VERTEX ? Boolean.TRUE : null),
                compression,
                SetupTranscription.transcription("config.input_transcription", config.getInputAudioTranscription(),
                        config.hasInputTranscription() ? config.getInputTranscription() : null, maxTextChars),
                SetupTranscription.transcription("config.output_transcription", config.getOutputAudioTranscription(),
                        config.hasOutputTranscription() ? config.getOutputTranscription() : null, maxTextChars),
                config.getProactiveAudio() ? new Setup.Proactivity(Boolean.TRUE) : null,
                explicitVadSignal(config, flavour),
                config.hasAvatar() ? SetupAvatar.avatar(config.getAvatar(), maxMediaBytes) : null,
                SetupSafety.safetySettings(config),
                config.hasHistory() && config.getHistory().getInitialHistoryInClientContent()
                        ? new Setup.HistoryConfig(Boolean.TRUE) : null,
                SetupLabels.labels(config));
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

    /** A value as quoted in an error: at most 80 characters. */
    static String abbreviate(String s) {
        return ConfigFieldChecks.abbreviate(s);
    }

    /** The modality the caller asked for (AUDIO when unset). */
    public static boolean textModality(SessionConfig config) {
        return config.getResponseModality() == Modality.MODALITY_TEXT;
    }
}
