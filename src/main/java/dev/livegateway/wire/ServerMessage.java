package dev.livegateway.wire;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * A server-to-client Live API message (BidiGenerateContentServerMessage): one of the first six
 * fields, plus {@code usageMetadata} which may ride along with any of them. Always written in
 * lowerCamelCase, which is what the SDK parsers read.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ServerMessage(
        SetupComplete setupComplete,
        ServerContent serverContent,
        ToolCall toolCall,
        ToolCallCancellation toolCallCancellation,
        GoAway goAway,
        SessionResumptionUpdate sessionResumptionUpdate,
        UsageMetadata usageMetadata,
        VoiceActivityDetectionSignal voiceActivityDetectionSignal,
        VoiceActivity voiceActivity) {

    /** The message fields as they stood before the 2026 additions; the new ones unset. */
    public ServerMessage(SetupComplete setupComplete, ServerContent serverContent, ToolCall toolCall,
            ToolCallCancellation toolCallCancellation, GoAway goAway, SessionResumptionUpdate sessionResumptionUpdate,
            UsageMetadata usageMetadata) {
        this(setupComplete, serverContent, toolCall, toolCallCancellation, goAway, sessionResumptionUpdate,
                usageMetadata, null, null);
    }

    public static ServerMessage of(VoiceActivityDetectionSignal m) {
        return new ServerMessage(null, null, null, null, null, null, null, m, null);
    }

    public static ServerMessage of(VoiceActivity m) {
        return new ServerMessage(null, null, null, null, null, null, null, null, m);
    }

    public static ServerMessage of(SetupComplete m) {
        return new ServerMessage(m, null, null, null, null, null, null);
    }

    public static ServerMessage of(ServerContent m) {
        return new ServerMessage(null, m, null, null, null, null, null);
    }

    public static ServerMessage of(ServerContent m, UsageMetadata usage) {
        return new ServerMessage(null, m, null, null, null, null, usage);
    }

    public static ServerMessage of(ToolCall m) {
        return new ServerMessage(null, null, m, null, null, null, null);
    }

    public static ServerMessage of(ToolCallCancellation m) {
        return new ServerMessage(null, null, null, m, null, null, null);
    }

    public static ServerMessage of(GoAway m) {
        return new ServerMessage(null, null, null, null, m, null, null);
    }

    public static ServerMessage of(SessionResumptionUpdate m) {
        return new ServerMessage(null, null, null, null, null, m, null);
    }

    public static ServerMessage of(UsageMetadata m) {
        return new ServerMessage(null, null, null, null, null, null, m);
    }

    /**
     * {@code sessionId} is a UUID on Vertex and absent on the Developer API;
     * {@code voiceConsentSignature} answers a replicated voice's consent audio.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SetupComplete(String sessionId, Setup.VoiceConsentSignature voiceConsentSignature) {

        public SetupComplete(String sessionId) {
            this(sessionId, null);
        }
    }

    /** {@code vadSignalType}: {@code VAD_SIGNAL_TYPE_SOS} or {@code VAD_SIGNAL_TYPE_EOS}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record VoiceActivityDetectionSignal(String vadSignalType) {}

    /**
     * {@code voiceActivityType}: {@code ACTIVITY_START} or {@code ACTIVITY_END}; {@code audioOffset}
     * a protobuf Duration string such as {@code "1.250s"}.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record VoiceActivity(String voiceActivityType, String audioOffset) {}

    /**
     * Model output and turn signals. {@code groundingMetadata} stays a JSON tree so that fields
     * the gateway does not type still reach the caller.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ServerContent(
            Content modelTurn,
            Boolean generationComplete,
            Boolean turnComplete,
            Boolean interrupted,
            JsonNode groundingMetadata,
            Transcription inputTranscription,
            Transcription outputTranscription,
            String turnCompleteReason,
            Boolean waitingForInput,
            UrlContextMetadata urlContextMetadata,
            Transcription interimInputTranscription,
            String interactionStatus) {

        /** The content fields as they stood before the 2026 additions; the new ones unset. */
        public ServerContent(Content modelTurn, Boolean generationComplete, Boolean turnComplete, Boolean interrupted,
                JsonNode groundingMetadata, Transcription inputTranscription, Transcription outputTranscription,
                String turnCompleteReason, Boolean waitingForInput) {
            this(modelTurn, generationComplete, turnComplete, interrupted, groundingMetadata, inputTranscription,
                    outputTranscription, turnCompleteReason, waitingForInput, null, null, null);
        }

        public static ServerContent modelTurn(Content turn) {
            return new ServerContent(turn, null, null, null, null, null, null, null, null);
        }

        public static ServerContent generationCompleted() {
            return new ServerContent(null, Boolean.TRUE, null, null, null, null, null, null, null);
        }

        public static ServerContent turnCompleted() {
            return new ServerContent(null, null, Boolean.TRUE, null, null, null, null, null, null);
        }

        public static ServerContent interruptedTurn() {
            return new ServerContent(null, null, null, Boolean.TRUE, null, null, null, null, null);
        }

        public static ServerContent grounding(JsonNode metadata) {
            return new ServerContent(null, null, null, null, metadata, null, null, null, null);
        }

        public static ServerContent input(Transcription t) {
            return new ServerContent(null, null, null, null, null, t, null, null, null);
        }

        public static ServerContent output(Transcription t) {
            return new ServerContent(null, null, null, null, null, null, t, null, null);
        }

        public static ServerContent interimInput(Transcription t) {
            return new ServerContent(null, null, null, null, null, null, null, null, null, null, t, null);
        }

        public static ServerContent urlContext(UrlContextMetadata metadata) {
            return new ServerContent(null, null, null, null, null, null, null, null, null, metadata, null, null);
        }

        /** {@code status}: {@code IN_PROGRESS}, {@code IDLE}, {@code WAITING_FOR_INPUT} (or {@code REQUIRES_ACTION}). */
        public static ServerContent interaction(String status, Boolean waitingForInput) {
            return new ServerContent(null, null, null, null, null, null, null, null, waitingForInput, null, null,
                    status);
        }
    }

    /**
     * An incremental transcript. {@code startOffset}/{@code endOffset} (and those of the words) are
     * protobuf Duration strings such as {@code "1.250s"}.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Transcription(
            String text,
            Boolean finished,
            String languageCode,
            String speakerLabel,
            List<WordInfo> words,
            String startOffset,
            String endOffset) {

        public Transcription(String text, Boolean finished) {
            this(text, finished, null, null, null, null, null);
        }
    }

    /** One word of a transcript with its timing. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record WordInfo(String word, String startOffset, String endOffset) {}

    /** The URLs the URL-context tool fetched. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record UrlContextMetadata(List<UrlMetadata> urlMetadata) {}

    /** {@code urlRetrievalStatus}: {@code URL_RETRIEVAL_STATUS_SUCCESS}, {@code …_ERROR}, {@code …_PAYWALL}, {@code …_UNSAFE}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record UrlMetadata(String retrievedUrl, String urlRetrievalStatus) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ToolCall(List<FunctionCall> functionCalls) {}

    /** {@code args} is free JSON matching the declaration's parameter schema. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FunctionCall(String id, String name, JsonNode args) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ToolCallCancellation(List<String> ids) {}

    /** {@code timeLeft} is a protobuf Duration string in whole seconds, e.g. {@code "50s"}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record GoAway(String timeLeft) {}

    /** {@code lastConsumedClientMessageIndex} is int64, written as a string (proto3 JSON). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SessionResumptionUpdate(
            String newHandle,
            Boolean resumable,
            @JsonFormat(shape = JsonFormat.Shape.STRING) Long lastConsumedClientMessageIndex) {}

    /**
     * Token usage in both spellings: the Developer API's {@code response*} and Vertex's
     * {@code candidates*}. Readers should use {@link #responseTokens()}.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record UsageMetadata(
            Integer promptTokenCount,
            Integer responseTokenCount,
            Integer candidatesTokenCount,
            Integer totalTokenCount,
            Integer cachedContentTokenCount,
            Integer toolUsePromptTokenCount,
            Integer thoughtsTokenCount,
            List<ModalityTokenCount> promptTokensDetails,
            List<ModalityTokenCount> responseTokensDetails,
            List<ModalityTokenCount> candidatesTokensDetails,
            String trafficType,
            List<ModalityTokenCount> cacheTokensDetails,
            List<ModalityTokenCount> toolUsePromptTokensDetails,
            String serviceTier) {

        /** The usage fields as they stood before the 2026 additions; the new ones unset. */
        public UsageMetadata(Integer promptTokenCount, Integer responseTokenCount, Integer candidatesTokenCount,
                Integer totalTokenCount, Integer cachedContentTokenCount, Integer toolUsePromptTokenCount,
                Integer thoughtsTokenCount, List<ModalityTokenCount> promptTokensDetails,
                List<ModalityTokenCount> responseTokensDetails, List<ModalityTokenCount> candidatesTokensDetails,
                String trafficType) {
            this(promptTokenCount, responseTokenCount, candidatesTokenCount, totalTokenCount, cachedContentTokenCount,
                    toolUsePromptTokenCount, thoughtsTokenCount, promptTokensDetails, responseTokensDetails,
                    candidatesTokensDetails, trafficType, null, null, null);
        }

        public Integer responseTokens() {
            return responseTokenCount != null ? responseTokenCount : candidatesTokenCount;
        }

        public List<ModalityTokenCount> responseDetails() {
            return responseTokensDetails != null ? responseTokensDetails : candidatesTokensDetails;
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ModalityTokenCount(String modality, Integer tokenCount) {}
}
