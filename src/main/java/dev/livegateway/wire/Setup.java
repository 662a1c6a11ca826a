package dev.livegateway.wire;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/** Live API {@code setup} (BidiGenerateContentSetup): the first client message of a connection. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Setup(
        String model,
        @JsonAlias("generation_config") GenerationConfig generationConfig,
        @JsonAlias("system_instruction") Content systemInstruction,
        List<Tool> tools,
        @JsonAlias("realtime_input_config") RealtimeInputConfig realtimeInputConfig,
        @JsonAlias("session_resumption") SessionResumption sessionResumption,
        @JsonAlias("context_window_compression") ContextWindowCompression contextWindowCompression,
        @JsonAlias("input_audio_transcription") Empty inputAudioTranscription,
        @JsonAlias("output_audio_transcription") Empty outputAudioTranscription,
        Proactivity proactivity,
        @JsonAlias("explicit_vad_signal") Boolean explicitVadSignal) {

    /** The same setup resuming the Live session identified by {@code handle}. */
    public Setup withSessionResumption(SessionResumption resumption) {
        return new Setup(model, generationConfig, systemInstruction, tools, realtimeInputConfig, resumption,
                contextWindowCompression, inputAudioTranscription, outputAudioTranscription, proactivity,
                explicitVadSignal);
    }

    /** The same setup for another model name (e.g. expanded to the endpoint's full form). */
    public Setup withModel(String newModel) {
        return new Setup(newModel, generationConfig, systemInstruction, tools, realtimeInputConfig, sessionResumption,
                contextWindowCompression, inputAudioTranscription, outputAudioTranscription, proactivity,
                explicitVadSignal);
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record GenerationConfig(
            @JsonAlias("response_modalities") List<String> responseModalities,
            Float temperature,
            @JsonAlias("top_p") Float topP,
            @JsonAlias("top_k") Integer topK,
            @JsonAlias("max_output_tokens") Integer maxOutputTokens,
            Integer seed,
            @JsonAlias("candidate_count") Integer candidateCount,
            @JsonAlias("presence_penalty") Float presencePenalty,
            @JsonAlias("frequency_penalty") Float frequencyPenalty,
            @JsonAlias("media_resolution") String mediaResolution,
            @JsonAlias("speech_config") SpeechConfig speechConfig,
            @JsonAlias("enable_affective_dialog") Boolean enableAffectiveDialog,
            @JsonAlias("thinking_config") ThinkingConfig thinkingConfig) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SpeechConfig(
            @JsonAlias("voice_config") VoiceConfig voiceConfig,
            @JsonAlias("language_code") String languageCode) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record VoiceConfig(@JsonAlias("prebuilt_voice_config") PrebuiltVoiceConfig prebuiltVoiceConfig) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PrebuiltVoiceConfig(@JsonAlias("voice_name") String voiceName) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ThinkingConfig(
            @JsonAlias("thinking_budget") Integer thinkingBudget,
            @JsonAlias("include_thoughts") Boolean includeThoughts) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RealtimeInputConfig(
            @JsonAlias("automatic_activity_detection") AutomaticActivityDetection automaticActivityDetection,
            @JsonAlias("activity_handling") String activityHandling,
            @JsonAlias("turn_coverage") String turnCoverage) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AutomaticActivityDetection(
            Boolean disabled,
            @JsonAlias("start_of_speech_sensitivity") String startOfSpeechSensitivity,
            @JsonAlias("end_of_speech_sensitivity") String endOfSpeechSensitivity,
            @JsonAlias("prefix_padding_ms") Integer prefixPaddingMs,
            @JsonAlias("silence_duration_ms") Integer silenceDurationMs) {}

    /** {@code {}} enables resumption updates; {@code handle} resumes; {@code transparent} is Vertex-only. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SessionResumption(String handle, Boolean transparent) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ContextWindowCompression(
            @JsonAlias("trigger_tokens") @JsonFormat(shape = JsonFormat.Shape.STRING) Long triggerTokens,
            @JsonAlias("sliding_window") SlidingWindow slidingWindow) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SlidingWindow(
            @JsonAlias("target_tokens") @JsonFormat(shape = JsonFormat.Shape.STRING) Long targetTokens) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Proactivity(@JsonAlias("proactive_audio") Boolean proactiveAudio) {}
}
