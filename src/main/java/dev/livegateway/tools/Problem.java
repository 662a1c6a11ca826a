package dev.livegateway.tools;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/** An RFC 9457 problem body ({@code application/problem+json}) of the tool API. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"type", "title", "status", "detail", "instance", "errors"})
public record Problem(String type, String title, int status, String detail, String instance, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** The problem types of the tool API; see docs/tools.md. */
    public enum Type {
        INVALID_TOOL("invalid-tool", "Invalid tool entry", 400),
        TOOL_NOT_FOUND("tool-not-found", "Tool not found", 404),
        TOOL_EXISTS("tool-exists", "Tool already exists", 409),
        MANAGED_BY_FILE("tool-managed-by-file", "Tool is managed by a file", 409),
        STALE_VERSION("stale-version", "The tool changed since it was read", 412),
        IF_MATCH_REQUIRED("if-match-required", "If-Match required", 428),
        NOT_GATEWAY_RUN("tool-not-gateway-run", "The gateway does not run this tool", 409),
        INVALID_INVOCATION("invalid-invocation", "Invalid invocation", 400);

        private final String uri;
        private final String title;
        private final int status;

        Type(String slug, String title, int status) {
            this.uri = "urn:live-gateway:problem:" + slug;
            this.title = title;
            this.status = status;
        }

        public String uri() {
            return uri;
        }

        public int status() {
            return status;
        }

        public Problem with(String detail, String instance, List<FieldError> errors) {
            return new Problem(uri, title, status, detail, instance, errors);
        }
    }

    public String toJson() {
        try {
            return ToolDocuments.mapper().writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a problem always serialises", e);
        }
    }
}
