package dev.livegateway.wire;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/** Live API {@code Content}: a turn of conversation (client turns, model turns, system instruction). */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Content(String role, List<Part> parts) {

    public static Content text(String role, String text) {
        return new Content(role, List.of(Part.text(text)));
    }

    /** One part of a turn; exactly one field is set. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Part(
            String text,
            @JsonAlias("inline_data") Blob inlineData,
            @JsonAlias("executable_code") ExecutableCode executableCode,
            @JsonAlias("code_execution_result") CodeExecutionResult codeExecutionResult,
            Boolean thought,
            @JsonAlias("thought_signature") byte[] thoughtSignature) {

        public Part(String text, Blob inlineData, ExecutableCode executableCode,
                CodeExecutionResult codeExecutionResult, Boolean thought) {
            this(text, inlineData, executableCode, codeExecutionResult, thought, null);
        }

        public static Part text(String text) {
            return new Part(text, null, null, null, null, null);
        }

        public static Part inline(Blob blob) {
            return new Part(null, blob, null, null, null, null);
        }
    }

    /** Inline bytes; Jackson writes {@code data} as base64 as the Live API expects. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Blob(@JsonAlias("mime_type") String mimeType, byte[] data) {}

    /** Code written by the model (code-execution tool). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ExecutableCode(String language, String code, String id) {

        public ExecutableCode(String language, String code) {
            this(language, code, null);
        }
    }

    /** Result of running {@link ExecutableCode}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CodeExecutionResult(String outcome, String output, String id) {

        public CodeExecutionResult(String outcome, String output) {
            this(outcome, output, null);
        }
    }
}
