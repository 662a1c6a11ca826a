package dev.livegateway.wire;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * A client-to-server Live API message (BidiGenerateContentClientMessage). Exactly one field is
 * set. Both lowerCamelCase and snake_case keys are read, as the real server does.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClientMessage(
        Setup setup,
        @JsonAlias("client_content") ClientContent clientContent,
        @JsonAlias("realtime_input") RealtimeInput realtimeInput,
        @JsonAlias("tool_response") ToolResponse toolResponse,
        @JsonAlias("context_update") ContextUpdate contextUpdate) {

    public ClientMessage(Setup setup, ClientContent clientContent, RealtimeInput realtimeInput,
            ToolResponse toolResponse) {
        this(setup, clientContent, realtimeInput, toolResponse, null);
    }

    public static ClientMessage of(Setup setup) {
        return new ClientMessage(setup, null, null, null);
    }

    public static ClientMessage of(ClientContent content) {
        return new ClientMessage(null, content, null, null);
    }

    public static ClientMessage of(RealtimeInput input) {
        return new ClientMessage(null, null, input, null);
    }

    public static ClientMessage of(ToolResponse response) {
        return new ClientMessage(null, null, null, response);
    }

    public static ClientMessage of(ContextUpdate update) {
        return new ClientMessage(null, null, null, null, update);
    }

    /** How many of the message's fields are set; the protocol demands exactly one. */
    public int fieldCount() {
        int n = 0;
        if (setup != null) n++;
        if (clientContent != null) n++;
        if (realtimeInput != null) n++;
        if (toolResponse != null) n++;
        if (contextUpdate != null) n++;
        return n;
    }

    /**
     * A mid-session change of the system instruction and/or the tools; an unset field is left as
     * it is. {@code tools} wraps the list ({@code {"tools": {"tools": […]}}}) as the SDK writes it.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ContextUpdate(
            @JsonAlias("system_instruction") Content systemInstruction,
            ContextUpdateTools tools) {}

    /** The new tool list of a context update; empty removes every tool. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ContextUpdateTools(List<Tool> tools) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ClientContent(List<Content> turns, @JsonAlias("turn_complete") Boolean turnComplete) {}

    /** Realtime input; exactly one field is set per message. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RealtimeInput(
            Content.Blob audio,
            Content.Blob video,
            String text,
            @JsonAlias("activity_start") Empty activityStart,
            @JsonAlias("activity_end") Empty activityEnd,
            @JsonAlias("audio_stream_end") Boolean audioStreamEnd,
            @JsonAlias("media_chunks") List<Content.Blob> mediaChunks) {

        public static RealtimeInput audio(Content.Blob blob) {
            return new RealtimeInput(blob, null, null, null, null, null, null);
        }

        public static RealtimeInput video(Content.Blob blob) {
            return new RealtimeInput(null, blob, null, null, null, null, null);
        }

        public static RealtimeInput text(String text) {
            return new RealtimeInput(null, null, text, null, null, null, null);
        }

        public static RealtimeInput startOfActivity() {
            return new RealtimeInput(null, null, null, Empty.INSTANCE, null, null, null);
        }

        public static RealtimeInput endOfActivity() {
            return new RealtimeInput(null, null, null, null, Empty.INSTANCE, null, null);
        }

        public static RealtimeInput endOfAudioStream() {
            return new RealtimeInput(null, null, null, null, null, Boolean.TRUE, null);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ToolResponse(@JsonAlias("function_responses") List<FunctionResponse> functionResponses) {}

    /** {@code response} is free JSON; {@code scheduling} only for NON_BLOCKING functions. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FunctionResponse(
            String id,
            String name,
            JsonNode response,
            String scheduling,
            @JsonAlias("will_continue") Boolean willContinue) {}
}
