package dev.livegateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import dev.livegateway.api.v1.LiveGatewayProto;
import dev.livegateway.tools.HostedTool;
import dev.livegateway.tools.ToolDefinition;
import dev.livegateway.tools.ToolValidator;
import dev.livegateway.wire.ClientMessage;
import dev.livegateway.wire.ServerMessage;
import dev.livegateway.wire.Setup;
import dev.livegateway.wire.Tool;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every field of the google-genai Live types (read from the SDK classes by reflection, so an SDK
 * bump shows what is new) is either mapped — to a proto field, checked to exist in the descriptor,
 * or to a field of the tool registry's documents — or named in the README's list of deliberate
 * omissions. Mapped fields of the Live API messages also exist, under the SDK's JSON name, in the
 * {@code wire} records that are the gateway's one definition of the Live API JSON.
 */
class GenAiSdkCoverageTest {

    /** The SDK types checked: the Live messages and the types they hold that a caller sets or reads. */
    static final List<String> SDK_TYPES = List.of(
            "LiveConnectConfig", "LiveClientSetup", "LiveClientMessage", "LiveClientRealtimeInput",
            "LiveClientContextUpdate", "LiveClientContextUpdateTools", "LiveServerMessage", "LiveServerContent",
            "GenerationConfig", "ThinkingConfig", "AudioTranscriptionConfig", "LanguageHints", "TranslationConfig",
            "AvatarConfig", "CustomizedAvatar", "SafetySetting", "HistoryConfig", "SpeechConfig", "VoiceConfig",
            "PrebuiltVoiceConfig", "ReplicatedVoiceConfig", "VoiceConsentSignature", "RealtimeInputConfig",
            "AutomaticActivityDetection", "ContextWindowCompressionConfig", "SlidingWindow", "ProactivityConfig",
            "SessionResumptionConfig", "Content", "Part", "Blob", "LiveClientContent", "LiveClientToolResponse",
            "FunctionResponse", "LiveServerSetupComplete", "LiveServerToolCall", "FunctionCall",
            "LiveServerToolCallCancellation", "LiveServerGoAway", "LiveServerSessionResumptionUpdate",
            "Transcription", "WordInfo", "UsageMetadata", "ModalityTokenCount", "UrlContextMetadata", "UrlMetadata",
            "VoiceActivity", "VoiceActivityDetectionSignal", "GroundingMetadata", "FunctionDeclaration", "Tool",
            "Retrieval", "VertexRagStore", "ExecutableCode", "CodeExecutionResult");

    /**
     * SDK field → where the gateway carries it. {@code Message.field.field} is a proto path from a
     * livegateway.v1 message; {@code registry:Record.field} a component of the registry's
     * ToolDefinition (or its nested records); several targets are separated by {@code |};
     * {@code Type.*} maps every field of a type not listed otherwise.
     */
    static final Map<String, String> MAPPED = new LinkedHashMap<>();

    static {
        // setup, as LiveConnectConfig (the SDK's connect parameters) and as LiveClientSetup (the wire message)
        for (String setup : List.of("LiveConnectConfig", "LiveClientSetup")) {
            map(setup + ".systemInstruction", "SessionConfig.system_instruction");
            map(setup + ".tools", "SessionConfig.tools");
            map(setup + ".sessionResumption", "SessionConfig.resume_token");
            map(setup + ".inputAudioTranscription", "SessionConfig.input_transcription|SessionConfig.input_audio_transcription");
            map(setup + ".outputAudioTranscription", "SessionConfig.output_transcription|SessionConfig.output_audio_transcription");
            map(setup + ".realtimeInputConfig", "SessionConfig.realtime_input");
            map(setup + ".contextWindowCompression", "SessionConfig.context_window_compression");
            map(setup + ".proactivity", "SessionConfig.proactive_audio");
            map(setup + ".explicitVadSignal", "SessionConfig.explicit_vad_signal");
            map(setup + ".avatarConfig", "SessionConfig.avatar");
            map(setup + ".safetySettings", "SessionConfig.safety_settings");
            map(setup + ".labels", "SessionConfig.labels");
        }
        map("LiveClientSetup.model", "SessionConfig.model");
        map("LiveClientSetup.generationConfig", "SessionConfig.generation");
        map("LiveClientSetup.historyConfig", "SessionConfig.history");
        for (String generation : List.of("LiveConnectConfig", "GenerationConfig")) {
            map(generation + ".responseModalities", "SessionConfig.response_modality");
            map(generation + ".temperature", "SessionConfig.generation.temperature");
            map(generation + ".topP", "SessionConfig.generation.top_p");
            map(generation + ".topK", "SessionConfig.generation.top_k");
            map(generation + ".maxOutputTokens", "SessionConfig.generation.max_output_tokens");
            map(generation + ".mediaResolution", "SessionConfig.generation.media_resolution");
            map(generation + ".seed", "SessionConfig.generation.seed");
            map(generation + ".speechConfig", "SessionConfig.speech");
            map(generation + ".thinkingConfig", "SessionConfig.generation.thinking");
            map(generation + ".enableAffectiveDialog", "SessionConfig.affective_dialog");
            map(generation + ".translationConfig", "SessionConfig.translation");
        }
        map("GenerationConfig.presencePenalty", "GenerationConfig.presence_penalty");
        map("GenerationConfig.frequencyPenalty", "GenerationConfig.frequency_penalty");
        map("ThinkingConfig.includeThoughts", "ThinkingConfig.include_thoughts");
        map("ThinkingConfig.thinkingBudget", "ThinkingConfig.thinking_budget");
        map("ThinkingConfig.thinkingLevel", "ThinkingConfig.thinking_level");
        map("AudioTranscriptionConfig.languageCodes", "TranscriptionConfig.language_codes");
        map("AudioTranscriptionConfig.languageAuto", "TranscriptionConfig.language_auto");
        map("AudioTranscriptionConfig.languageHints", "TranscriptionConfig.language_hints");
        map("LanguageHints.languageCodes", "TranscriptionConfig.language_hints");
        map("AudioTranscriptionConfig.customVocabulary", "TranscriptionConfig.custom_vocabulary");
        map("AudioTranscriptionConfig.adaptationPhrases", "TranscriptionConfig.adaptation_phrases");
        map("AudioTranscriptionConfig.diarization", "TranscriptionConfig.diarization");
        map("AudioTranscriptionConfig.wordTimestamp", "TranscriptionConfig.word_timestamps");
        map("AudioTranscriptionConfig.mode", "TranscriptionConfig.mode");
        map("AudioTranscriptionConfig.sourceText", "TranscriptionConfig.source_text");
        map("TranslationConfig.targetLanguageCode", "TranslationConfig.target_language_code");
        map("TranslationConfig.echoTargetLanguage", "TranslationConfig.echo_target_language");
        map("AvatarConfig.avatarName", "AvatarConfig.avatar_name");
        map("AvatarConfig.customizedAvatar", "AvatarConfig.custom_avatar");
        map("AvatarConfig.audioBitrateBps", "AvatarConfig.audio_bitrate_bps");
        map("AvatarConfig.videoBitrateBps", "AvatarConfig.video_bitrate_bps");
        map("CustomizedAvatar.imageData", "CustomAvatar.image_data");
        map("CustomizedAvatar.imageMimeType", "CustomAvatar.image_mime_type");
        map("SafetySetting.category", "SafetySetting.category");
        map("SafetySetting.threshold", "SafetySetting.threshold");
        map("SafetySetting.method", "SafetySetting.method");
        map("HistoryConfig.initialHistoryInClientContent", "HistoryConfig.initial_history_in_client_content");
        map("SpeechConfig.voiceConfig", "SpeechConfig.voice_name|SpeechConfig.replicated_voice");
        map("SpeechConfig.languageCode", "SpeechConfig.language_code");
        map("VoiceConfig.prebuiltVoiceConfig", "SpeechConfig.voice_name");
        map("VoiceConfig.replicatedVoiceConfig", "SpeechConfig.replicated_voice");
        map("PrebuiltVoiceConfig.voiceName", "SpeechConfig.voice_name");
        map("ReplicatedVoiceConfig.mimeType", "ReplicatedVoice.mime_type");
        map("ReplicatedVoiceConfig.voiceSampleAudio", "ReplicatedVoice.voice_sample_audio");
        map("ReplicatedVoiceConfig.consentAudio", "ReplicatedVoice.consent_audio");
        map("ReplicatedVoiceConfig.voiceConsentSignature", "ReplicatedVoice.voice_consent_signature");
        map("VoiceConsentSignature.signature", "ReplicatedVoice.voice_consent_signature|SessionStarted.voice_consent_signature");
        map("RealtimeInputConfig.automaticActivityDetection", "RealtimeInputConfig.automatic_activity_detection");
        map("RealtimeInputConfig.activityHandling", "RealtimeInputConfig.activity_handling");
        map("RealtimeInputConfig.turnCoverage", "RealtimeInputConfig.turn_coverage");
        map("RealtimeInputConfig.interimTranscriptTimestampEnabled", "RealtimeInputConfig.interim_transcript_timestamps");
        map("AutomaticActivityDetection.disabled", "AutomaticActivityDetection.disabled");
        map("AutomaticActivityDetection.startOfSpeechSensitivity", "AutomaticActivityDetection.start_of_speech_sensitivity");
        map("AutomaticActivityDetection.endOfSpeechSensitivity", "AutomaticActivityDetection.end_of_speech_sensitivity");
        map("AutomaticActivityDetection.prefixPaddingMs", "AutomaticActivityDetection.prefix_padding_ms");
        map("AutomaticActivityDetection.silenceDurationMs", "AutomaticActivityDetection.silence_duration_ms");
        map("ContextWindowCompressionConfig.triggerTokens", "ContextWindowCompression.trigger_tokens");
        map("ContextWindowCompressionConfig.slidingWindow", "ContextWindowCompression.target_tokens");
        map("SlidingWindow.targetTokens", "ContextWindowCompression.target_tokens");
        map("ProactivityConfig.proactiveAudio", "SessionConfig.proactive_audio");
        map("SessionResumptionConfig.handle", "SessionConfig.resume_token");

        // client messages
        map("LiveClientMessage.setup", "ClientEvent.config");
        map("LiveClientMessage.clientContent", "ClientEvent.turn");
        map("LiveClientMessage.realtimeInput", "ClientEvent.audio|ClientEvent.video|ClientEvent.text");
        map("LiveClientMessage.toolResponse", "ClientEvent.tool_response");
        map("LiveClientMessage.contextUpdate", "ClientEvent.context_update");
        map("LiveClientRealtimeInput.audio", "ClientEvent.audio");
        map("LiveClientRealtimeInput.video", "ClientEvent.video");
        map("LiveClientRealtimeInput.text", "ClientEvent.text");
        map("LiveClientRealtimeInput.activityStart", "ClientEvent.activity_start");
        map("LiveClientRealtimeInput.activityEnd", "ClientEvent.activity_end");
        map("LiveClientRealtimeInput.audioStreamEnd", "ClientEvent.audio_stream_end");
        map("LiveClientContextUpdate.systemInstruction", "ContextUpdate.system_instruction");
        map("LiveClientContextUpdate.tools", "ContextUpdate.tools");
        map("LiveClientContextUpdateTools.tools", "ContextTools.tools");
        map("LiveClientContent.turns", "ClientTurn.turns");
        map("LiveClientContent.turnComplete", "ClientTurn.turn_complete");
        map("Content.parts", "Turn.parts");
        map("Content.role", "Turn.role");
        map("Part.text", "Part.text|TextOutput.text");
        map("Part.inlineData", "Part.inline_data|ServerEvent.audio|ServerEvent.media");
        map("Part.thought", "TextOutput.thought");
        map("Part.thoughtSignature", "TextOutput.thought_signature");
        map("Part.executableCode", "ServerEvent.executable_code");
        map("Part.codeExecutionResult", "ServerEvent.code_execution_result");
        map("ExecutableCode.code", "ExecutableCode.code");
        map("ExecutableCode.language", "ExecutableCode.language");
        map("ExecutableCode.id", "ExecutableCode.id");
        map("CodeExecutionResult.outcome", "CodeExecutionResult.outcome");
        map("CodeExecutionResult.output", "CodeExecutionResult.output");
        map("CodeExecutionResult.id", "CodeExecutionResult.id");
        map("Blob.data", "InlineData.data|AudioChunk.data|VideoFrame.data|MediaOutput.data");
        map("Blob.mimeType", "InlineData.mime_type|AudioChunk.sample_rate_hz|VideoFrame.mime_type|MediaOutput.mime_type");
        map("LiveClientToolResponse.functionResponses", "ToolResponse.function_responses");
        map("FunctionResponse.id", "FunctionResponse.id");
        map("FunctionResponse.name", "FunctionResponse.name");
        map("FunctionResponse.response", "FunctionResponse.response");
        map("FunctionResponse.scheduling", "FunctionResponse.scheduling");
        map("FunctionResponse.willContinue", "FunctionResponse.will_continue");

        // server messages
        map("LiveServerMessage.setupComplete", "ServerEvent.session_started");
        map("LiveServerMessage.serverContent", "ServerEvent.text|ServerEvent.audio|ServerEvent.turn_complete");
        map("LiveServerMessage.toolCall", "ServerEvent.tool_call");
        map("LiveServerMessage.toolCallCancellation", "ServerEvent.tool_call_cancellation");
        map("LiveServerMessage.usageMetadata", "ServerEvent.usage");
        map("LiveServerMessage.goAway", "ServerEvent.going_away");
        map("LiveServerMessage.sessionResumptionUpdate", "ServerEvent.resume_token_update");
        map("LiveServerMessage.voiceActivityDetectionSignal", "ServerEvent.vad_signal");
        map("LiveServerMessage.voiceActivity", "ServerEvent.voice_activity");
        map("LiveServerContent.modelTurn", "ServerEvent.text|ServerEvent.audio|ServerEvent.media");
        map("LiveServerContent.turnComplete", "ServerEvent.turn_complete");
        map("LiveServerContent.interrupted", "ServerEvent.interrupted");
        map("LiveServerContent.groundingMetadata", "ServerEvent.grounding");
        map("LiveServerContent.generationComplete", "ServerEvent.generation_complete");
        map("LiveServerContent.inputTranscription", "ServerEvent.input_transcription");
        map("LiveServerContent.outputTranscription", "ServerEvent.output_transcription");
        map("LiveServerContent.interimInputTranscription", "ServerEvent.interim_input_transcription");
        map("LiveServerContent.urlContextMetadata", "ServerEvent.url_context");
        map("LiveServerContent.turnCompleteReason", "TurnComplete.reason");
        map("LiveServerContent.waitingForInput", "TurnComplete.waiting_for_input|InteractionStatusUpdate.waiting_for_input");
        map("LiveServerContent.interactionStatus", "ServerEvent.interaction_status|InteractionStatusUpdate.status");
        map("LiveServerSetupComplete.sessionId", "SessionStarted.upstream_session_id");
        map("LiveServerSetupComplete.voiceConsentSignature", "SessionStarted.voice_consent_signature");
        map("LiveServerToolCall.functionCalls", "ToolCall.function_calls");
        map("FunctionCall.id", "FunctionCall.id");
        map("FunctionCall.name", "FunctionCall.name");
        map("FunctionCall.args", "FunctionCall.args");
        map("LiveServerToolCallCancellation.ids", "ToolCallCancellation.ids");
        map("LiveServerGoAway.timeLeft", "GoingAway.time_left");
        map("LiveServerSessionResumptionUpdate.newHandle", "ResumeTokenUpdate.token");
        map("Transcription.text", "Transcription.text");
        map("Transcription.finished", "Transcription.finished");
        map("Transcription.languageCode", "Transcription.language_code");
        map("Transcription.speakerLabel", "Transcription.speaker_label");
        map("Transcription.words", "Transcription.words");
        map("Transcription.startOffset", "Transcription.start_offset");
        map("Transcription.endOffset", "Transcription.end_offset");
        map("WordInfo.word", "TranscribedWord.word");
        map("WordInfo.startOffset", "TranscribedWord.start_offset");
        map("WordInfo.endOffset", "TranscribedWord.end_offset");
        map("UsageMetadata.promptTokenCount", "UsageMetadata.prompt_token_count");
        map("UsageMetadata.cachedContentTokenCount", "UsageMetadata.cached_content_token_count");
        map("UsageMetadata.responseTokenCount", "UsageMetadata.response_token_count");
        map("UsageMetadata.toolUsePromptTokenCount", "UsageMetadata.tool_use_prompt_token_count");
        map("UsageMetadata.thoughtsTokenCount", "UsageMetadata.thoughts_token_count");
        map("UsageMetadata.totalTokenCount", "UsageMetadata.total_token_count");
        map("UsageMetadata.promptTokensDetails", "UsageMetadata.prompt_tokens_details");
        map("UsageMetadata.cacheTokensDetails", "UsageMetadata.cache_tokens_details");
        map("UsageMetadata.responseTokensDetails", "UsageMetadata.response_tokens_details");
        map("UsageMetadata.toolUsePromptTokensDetails", "UsageMetadata.tool_use_prompt_tokens_details");
        map("UsageMetadata.trafficType", "UsageMetadata.traffic_type");
        map("UsageMetadata.serviceTier", "UsageMetadata.service_tier");
        map("ModalityTokenCount.modality", "ModalityTokenCount.modality");
        map("ModalityTokenCount.tokenCount", "ModalityTokenCount.token_count");
        map("UrlContextMetadata.urlMetadata", "UrlContextMetadata.urls");
        map("UrlMetadata.retrievedUrl", "UrlMetadata.retrieved_url");
        map("UrlMetadata.urlRetrievalStatus", "UrlMetadata.status");
        map("VoiceActivity.voiceActivityType", "VoiceActivity.type");
        map("VoiceActivity.audioOffset", "VoiceActivity.audio_offset");
        map("VoiceActivityDetectionSignal.vadSignalType", "VoiceActivityDetectionSignal.type");
        map("GroundingMetadata.webSearchQueries", "GroundingMetadata.web_search_queries");
        map("GroundingMetadata.groundingChunks", "GroundingMetadata.chunks|GroundingMetadata.raw");
        map("GroundingMetadata.*", "GroundingMetadata.raw");

        // tools: declared in the registry's documents, not in the proto
        map("Tool.functionDeclarations", "registry:ToolDefinition.functions");
        map("Tool.codeExecution", "registry:ToolDefinition.codeExecution");
        map("Tool.googleSearch", "registry:ToolDefinition.googleSearch");
        map("Tool.retrieval", "registry:ToolDefinition.ragRetrieval|registry:ToolDefinition.vertexAiSearch"
                + "|registry:ToolDefinition.externalApi");
        for (HostedTool hosted : HostedTool.values()) {
            if (hosted != HostedTool.VERTEX_AI_SEARCH && hosted != HostedTool.EXTERNAL_API) {
                map("Tool." + hosted.field(), "registry:ToolDefinition." + hosted.field());
            }
        }
        map("Retrieval.vertexRagStore", "registry:ToolDefinition.ragRetrieval");
        map("Retrieval.vertexAiSearch", "registry:ToolDefinition.vertexAiSearch");
        map("Retrieval.externalApi", "registry:ToolDefinition.externalApi");
        map("VertexRagStore.ragResources", "registry:RagRetrieval.ragResources");
        map("VertexRagStore.similarityTopK", "registry:RagRetrieval.similarityTopK");
        map("VertexRagStore.vectorDistanceThreshold", "registry:RagRetrieval.vectorDistanceThreshold");
        for (String f : List.of("name", "description", "parameters", "parametersJsonSchema", "response",
                "responseJsonSchema", "behavior")) {
            map("FunctionDeclaration." + f, "registry:Function." + f);
        }
    }

    private static void map(String sdkField, String target) {
        MAPPED.put(sdkField, target);
    }

    /** SDK type → the wire record holding the same JSON object. */
    static final Map<String, Class<?>> WIRE = Map.ofEntries(
            Map.entry("LiveClientSetup", Setup.class),
            Map.entry("GenerationConfig", Setup.GenerationConfig.class),
            Map.entry("ThinkingConfig", Setup.ThinkingConfig.class),
            Map.entry("AudioTranscriptionConfig", Setup.AudioTranscriptionConfig.class),
            Map.entry("TranslationConfig", Setup.TranslationConfig.class),
            Map.entry("AvatarConfig", Setup.AvatarConfig.class),
            Map.entry("CustomizedAvatar", Setup.CustomizedAvatar.class),
            Map.entry("SafetySetting", Setup.SafetySetting.class),
            Map.entry("HistoryConfig", Setup.HistoryConfig.class),
            Map.entry("SpeechConfig", Setup.SpeechConfig.class),
            Map.entry("VoiceConfig", Setup.VoiceConfig.class),
            Map.entry("ReplicatedVoiceConfig", Setup.ReplicatedVoiceConfig.class),
            Map.entry("RealtimeInputConfig", Setup.RealtimeInputConfig.class),
            Map.entry("AutomaticActivityDetection", Setup.AutomaticActivityDetection.class),
            Map.entry("LiveClientMessage", ClientMessage.class),
            Map.entry("LiveClientRealtimeInput", ClientMessage.RealtimeInput.class),
            Map.entry("LiveClientContextUpdate", ClientMessage.ContextUpdate.class),
            Map.entry("LiveClientContextUpdateTools", ClientMessage.ContextUpdateTools.class),
            Map.entry("LiveServerMessage", ServerMessage.class),
            Map.entry("LiveServerContent", ServerMessage.ServerContent.class),
            Map.entry("LiveServerSetupComplete", ServerMessage.SetupComplete.class),
            Map.entry("Transcription", ServerMessage.Transcription.class),
            Map.entry("WordInfo", ServerMessage.WordInfo.class),
            Map.entry("UsageMetadata", ServerMessage.UsageMetadata.class),
            Map.entry("UrlContextMetadata", ServerMessage.UrlContextMetadata.class),
            Map.entry("UrlMetadata", ServerMessage.UrlMetadata.class),
            Map.entry("VoiceActivity", ServerMessage.VoiceActivity.class),
            Map.entry("VoiceActivityDetectionSignal", ServerMessage.VoiceActivityDetectionSignal.class),
            Map.entry("Tool", Tool.class),
            Map.entry("FunctionDeclaration", Tool.FunctionDeclaration.class),
            Map.entry("Retrieval", Tool.Retrieval.class),
            Map.entry("ExecutableCode", dev.livegateway.wire.Content.ExecutableCode.class),
            Map.entry("CodeExecutionResult", dev.livegateway.wire.Content.CodeExecutionResult.class));

    /** HostedTool → the SDK type of its options. */
    static final Map<HostedTool, String> HOSTED_SDK_TYPES = Map.ofEntries(
            Map.entry(HostedTool.URL_CONTEXT, "UrlContext"),
            Map.entry(HostedTool.GOOGLE_MAPS, "GoogleMaps"),
            Map.entry(HostedTool.ENTERPRISE_WEB_SEARCH, "EnterpriseWebSearch"),
            Map.entry(HostedTool.FILE_SEARCH, "FileSearch"),
            Map.entry(HostedTool.COMPUTER_USE, "ComputerUse"),
            Map.entry(HostedTool.MCP_SERVERS, "McpServer"),
            Map.entry(HostedTool.GOOGLE_SEARCH_RETRIEVAL, "GoogleSearchRetrieval"),
            Map.entry(HostedTool.PARALLEL_AI_SEARCH, "ToolParallelAiSearch"),
            Map.entry(HostedTool.EXA_AI_SEARCH, "ToolExaAiSearch"),
            Map.entry(HostedTool.VERTEX_AI_SEARCH, "VertexAISearch"),
            Map.entry(HostedTool.EXTERNAL_API, "ExternalApi"));

    @Test
    void everySdkFieldIsMappedOrADeliberateOmission() throws Exception {
        Map<String, String> omissions = readmeOmissions();
        List<String> unaccounted = new ArrayList<>();
        List<String> both = new ArrayList<>();
        int fields = 0;
        for (String type : SDK_TYPES) {
            for (String field : sdkFields(type)) {
                fields++;
                String key = type + "." + field;
                boolean mapped = MAPPED.containsKey(key) || MAPPED.containsKey(type + ".*");
                if (mapped && omissions.containsKey(key) && MAPPED.containsKey(key)) {
                    both.add(key);
                }
                if (!mapped && !omissions.containsKey(key)) {
                    unaccounted.add(key);
                }
            }
        }
        assertThat(fields).as("SDK fields read").isGreaterThan(250);
        assertThat(unaccounted).as("SDK fields neither mapped (GenAiSdkCoverageTest.MAPPED) nor in the README's"
                + " deliberate omissions").isEmpty();
        assertThat(both).as("SDK fields both mapped and listed as omitted").isEmpty();
    }

    @Test
    void everyMappingNamesAnSdkFieldAndAnExistingTarget() throws Exception {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> m : MAPPED.entrySet()) {
            String type = m.getKey().substring(0, m.getKey().indexOf('.'));
            String field = m.getKey().substring(m.getKey().indexOf('.') + 1);
            if (!field.equals("*") && !sdkFields(type).contains(field)) {
                problems.add(m.getKey() + ": no such SDK field");
            }
            for (String target : m.getValue().split("\\|")) {
                String problem = target.startsWith("registry:") ? registryProblem(target.substring(9)) : protoProblem(target);
                if (problem != null) {
                    problems.add(m.getKey() + " -> " + target + ": " + problem);
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyOmissionNamesAnSdkFieldWithAReason() throws Exception {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> o : readmeOmissions().entrySet()) {
            String type = o.getKey().substring(0, o.getKey().indexOf('.'));
            String field = o.getKey().substring(o.getKey().indexOf('.') + 1);
            if (!SDK_TYPES.contains(type) || !sdkFields(type).contains(field)) {
                problems.add(o.getKey() + ": not a field of the checked SDK types");
            }
            if (o.getValue().isBlank()) {
                problems.add(o.getKey() + ": no reason given");
            }
        }
        assertThat(problems).isEmpty();
    }

    /** The Live API JSON: each mapped field of a Live message exists in the wire record under the SDK's name. */
    @Test
    void wireRecordsCarryEveryMappedFieldUnderItsJsonName() throws Exception {
        Map<String, String> omissions = readmeOmissions();
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, Class<?>> w : WIRE.entrySet()) {
            Set<String> components = new TreeSet<>();
            for (RecordComponent c : w.getValue().getRecordComponents()) {
                components.add(c.getName());
            }
            for (String field : sdkFields(w.getKey())) {
                String key = w.getKey() + "." + field;
                if (!omissions.containsKey(key) && !components.contains(field)) {
                    missing.add(key + " (" + w.getValue().getName() + ")");
                }
            }
        }
        assertThat(missing).isEmpty();
    }

    /** The options the registry accepts for each Google-run tool are exactly the SDK's. */
    @Test
    void hostedToolOptionsAreTheSdks() throws Exception {
        Map<String, List<String>> expected = new TreeMap<>();
        Map<String, List<String>> actual = new TreeMap<>();
        for (HostedTool hosted : HostedTool.values()) {
            expected.put(hosted.field(), sorted(sdkFields(HOSTED_SDK_TYPES.get(hosted))));
            actual.put(hosted.field(), sorted(hosted.options()));
        }
        expected.put("googleSearch", sorted(sdkFields("GoogleSearch")));
        actual.put("googleSearch", sorted(ToolValidator.GOOGLE_SEARCH_OPTIONS));
        assertThat(actual).isEqualTo(expected);
    }

    // ---- helpers ---------------------------------------------------------------------------------

    /** The SDK type's fields: its public abstract no-argument accessors returning Optional. */
    static List<String> sdkFields(String type) throws ClassNotFoundException {
        Class<?> sdk = Class.forName("com.google.genai.types." + type);
        List<String> fields = new ArrayList<>();
        for (Method m : sdk.getMethods()) {
            if (Modifier.isAbstract(m.getModifiers()) && m.getParameterCount() == 0
                    && m.getReturnType() == Optional.class) {
                fields.add(m.getName());
            }
        }
        return fields;
    }

    private static List<String> sorted(List<String> list) {
        return list.stream().sorted().toList();
    }

    /** Null when {@code path} (Message.field[.field…]) exists in livegateway.v1, else why not. */
    static String protoProblem(String path) {
        String[] steps = path.split("\\.");
        Descriptor message = LiveGatewayProto.getDescriptor().findMessageTypeByName(steps[0]);
        if (message == null) {
            return "no message livegateway.v1." + steps[0];
        }
        for (int i = 1; i < steps.length; i++) {
            FieldDescriptor field = message.findFieldByName(steps[i]);
            if (field == null) {
                return "no field " + steps[i] + " in " + message.getFullName();
            }
            if (i < steps.length - 1) {
                if (field.getType() != FieldDescriptor.Type.MESSAGE) {
                    return steps[i] + " is not a message";
                }
                message = field.getMessageType();
            }
        }
        return null;
    }

    /** Null when {@code Record.component} exists among the registry's document records, else why not. */
    static String registryProblem(String path) {
        String record = path.substring(0, path.indexOf('.'));
        String component = path.substring(path.indexOf('.') + 1);
        Class<?> type = switch (record) {
            case "ToolDefinition" -> ToolDefinition.class;
            case "Function" -> ToolDefinition.Function.class;
            case "RagRetrieval" -> ToolDefinition.RagRetrieval.class;
            default -> null;
        };
        if (type == null) {
            return "no registry record " + record;
        }
        return Arrays.stream(type.getRecordComponents()).anyMatch(c -> c.getName().equals(component)) ? null
                : "no component " + component + " in " + type.getName();
    }


    /**
     * The README's "Deliberate omissions" list: lines {@code - `Type.field`[, `Type.field`…]: reason}
     * under that heading, up to the next heading.
     */
    static Map<String, String> readmeOmissions() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("README.md"));
        Map<String, String> omissions = new TreeMap<>();
        boolean inList = false;
        for (String line : lines) {
            if (line.startsWith("#")) {
                inList = line.matches("#+ Deliberate omissions.*");
                continue;
            }
            if (!inList || !line.startsWith("- `")) {
                continue;
            }
            int colon = line.indexOf("`: ");
            String names = colon < 0 ? line : line.substring(0, colon + 1);
            String reason = colon < 0 ? "" : line.substring(colon + 3).strip();
            Matcher m = Pattern.compile("`([A-Za-z]+\\.[A-Za-z]+)`").matcher(names);
            while (m.find()) {
                omissions.put(m.group(1), reason);
            }
        }
        assertThat(omissions).as("the README's Deliberate omissions list").isNotEmpty();
        return omissions;
    }
}
