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
        UsageMetadata usageMetadata) {

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

    /** {@code sessionId} is a UUID on Vertex and absent on the Developer API. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SetupComplete(String sessionId) {}

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
            Boolean waitingForInput) {

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
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Transcription(String text, Boolean finished) {}

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
            String trafficType) {

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
