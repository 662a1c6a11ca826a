package dev.livegateway.wire;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import java.util.Map;

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
        @JsonAlias("input_audio_transcription") AudioTranscriptionConfig inputAudioTranscription,
        @JsonAlias("output_audio_transcription") AudioTranscriptionConfig outputAudioTranscription,
        Proactivity proactivity,
        @JsonAlias("explicit_vad_signal") Boolean explicitVadSignal,
        @JsonAlias("avatar_config") AvatarConfig avatarConfig,
        @JsonAlias("safety_settings") List<SafetySetting> safetySettings,
        @JsonAlias("history_config") HistoryConfig historyConfig,
        Map<String, String> labels) {

    /** The setup fields as they stood before the 2026 additions; the new ones unset. */
    public Setup(String model, GenerationConfig generationConfig, Content systemInstruction, List<Tool> tools,
            RealtimeInputConfig realtimeInputConfig, SessionResumption sessionResumption,
            ContextWindowCompression contextWindowCompression, AudioTranscriptionConfig inputAudioTranscription,
            AudioTranscriptionConfig outputAudioTranscription, Proactivity proactivity, Boolean explicitVadSignal) {
        this(model, generationConfig, systemInstruction, tools, realtimeInputConfig, sessionResumption,
                contextWindowCompression, inputAudioTranscription, outputAudioTranscription, proactivity,
                explicitVadSignal, null, null, null, null);
    }

    /** The same setup resuming the Live session identified by {@code handle}. */
    public Setup withSessionResumption(SessionResumption resumption) {
        return new Setup(model, generationConfig, systemInstruction, tools, realtimeInputConfig, resumption,
                contextWindowCompression, inputAudioTranscription, outputAudioTranscription, proactivity,
                explicitVadSignal, avatarConfig, safetySettings, historyConfig, labels);
    }

    /** The same setup for another model name (e.g. expanded to the endpoint's full form). */
    public Setup withModel(String newModel) {
        return new Setup(newModel, generationConfig, systemInstruction, tools, realtimeInputConfig, sessionResumption,
                contextWindowCompression, inputAudioTranscription, outputAudioTranscription, proactivity,
                explicitVadSignal, avatarConfig, safetySettings, historyConfig, labels);
    }

    /** The same setup with other labels (e.g. the operator's added to the caller's). */
    public Setup withLabels(Map<String, String> newLabels) {
        return new Setup(model, generationConfig, systemInstruction, tools, realtimeInputConfig, sessionResumption,
                contextWindowCompression, inputAudioTranscription, outputAudioTranscription, proactivity,
                explicitVadSignal, avatarConfig, safetySettings, historyConfig, newLabels);
    }

    /** The same setup with another system instruction and tools (after a context update). */
    public Setup withContext(Content newSystemInstruction, List<Tool> newTools) {
        return new Setup(model, generationConfig, newSystemInstruction, newTools, realtimeInputConfig,
                sessionResumption, contextWindowCompression, inputAudioTranscription, outputAudioTranscription,
                proactivity, explicitVadSignal, avatarConfig, safetySettings, historyConfig, labels);
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
            @JsonAlias("thinking_config") ThinkingConfig thinkingConfig,
            @JsonAlias("translation_config") TranslationConfig translationConfig) {

        /** The generation fields as they stood before the 2026 additions; the new ones unset. */
        public GenerationConfig(List<String> responseModalities, Float temperature, Float topP, Integer topK,
                Integer maxOutputTokens, Integer seed, Integer candidateCount, Float presencePenalty,
                Float frequencyPenalty, String mediaResolution, SpeechConfig speechConfig,
                Boolean enableAffectiveDialog, ThinkingConfig thinkingConfig) {
            this(responseModalities, temperature, topP, topK, maxOutputTokens, seed, candidateCount, presencePenalty,
                    frequencyPenalty, mediaResolution, speechConfig, enableAffectiveDialog, thinkingConfig, null);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SpeechConfig(
            @JsonAlias("voice_config") VoiceConfig voiceConfig,
            @JsonAlias("language_code") String languageCode) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record VoiceConfig(
            @JsonAlias("prebuilt_voice_config") PrebuiltVoiceConfig prebuiltVoiceConfig,
            @JsonAlias("replicated_voice_config") ReplicatedVoiceConfig replicatedVoiceConfig) {

        public VoiceConfig(PrebuiltVoiceConfig prebuiltVoiceConfig) {
            this(prebuiltVoiceConfig, null);
        }
    }

    /** A voice cloned from {@code voiceSampleAudio}, with the speaker's consent (audio or a signature). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ReplicatedVoiceConfig(
            @JsonAlias("mime_type") String mimeType,
            @JsonAlias("voice_sample_audio") byte[] voiceSampleAudio,
            @JsonAlias("consent_audio") byte[] consentAudio,
            @JsonAlias("voice_consent_signature") VoiceConsentSignature voiceConsentSignature) {}

    /** The signature the server returns for a consented replicated voice. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record VoiceConsentSignature(String signature) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PrebuiltVoiceConfig(@JsonAlias("voice_name") String voiceName) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ThinkingConfig(
            @JsonAlias("thinking_budget") Integer thinkingBudget,
            @JsonAlias("include_thoughts") Boolean includeThoughts,
            @JsonAlias("thinking_level") String thinkingLevel) {}

    /** Speech-to-speech translation into {@code targetLanguageCode}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TranslationConfig(
            @JsonAlias("target_language_code") String targetLanguageCode,
            @JsonAlias("echo_target_language") Boolean echoTargetLanguage) {}

    /**
     * Transcription options; {@code {}} (all null) just switches transcription on. {@code languageAuto}
     * is an empty object that asks for language detection.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AudioTranscriptionConfig(
            @JsonAlias("language_codes") List<String> languageCodes,
            @JsonAlias("language_auto") Empty languageAuto,
            @JsonAlias("language_hints") LanguageHints languageHints,
            @JsonAlias("custom_vocabulary") List<String> customVocabulary,
            @JsonAlias("adaptation_phrases") List<String> adaptationPhrases,
            Boolean diarization,
            @JsonAlias("word_timestamp") Boolean wordTimestamp,
            String mode,
            @JsonAlias("source_text") String sourceText) {

        /** Transcription on, with the Live API's defaults. */
        public static final AudioTranscriptionConfig ON =
                new AudioTranscriptionConfig(null, null, null, null, null, null, null, null, null);
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record LanguageHints(@JsonAlias("language_codes") List<String> languageCodes) {}

    /** An avatar speaking the answers: a prebuilt one by name or one made from an image. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AvatarConfig(
            @JsonAlias("avatar_name") String avatarName,
            @JsonAlias("customized_avatar") CustomizedAvatar customizedAvatar,
            @JsonAlias("audio_bitrate_bps") Integer audioBitrateBps,
            @JsonAlias("video_bitrate_bps") Integer videoBitrateBps) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CustomizedAvatar(
            @JsonAlias("image_mime_type") String imageMimeType,
            @JsonAlias("image_data") byte[] imageData) {}

    /** One safety filter; the enum values are the Live API's names, e.g. {@code HARM_CATEGORY_HATE_SPEECH}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SafetySetting(String category, String threshold, String method) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record HistoryConfig(
            @JsonAlias("initial_history_in_client_content") Boolean initialHistoryInClientContent) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RealtimeInputConfig(
            @JsonAlias("automatic_activity_detection") AutomaticActivityDetection automaticActivityDetection,
            @JsonAlias("activity_handling") String activityHandling,
            @JsonAlias("turn_coverage") String turnCoverage,
            @JsonAlias("interim_transcript_timestamp_enabled") Boolean interimTranscriptTimestampEnabled) {

        public RealtimeInputConfig(AutomaticActivityDetection automaticActivityDetection, String activityHandling,
                String turnCoverage) {
            this(automaticActivityDetection, activityHandling, turnCoverage, null);
        }
    }

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
