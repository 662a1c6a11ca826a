package dev.livegateway.toolrun;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The end of a gateway-run call: what the model receives as the function response
 * ({@code {"result": …}} or {@code {"error": {"kind": …, "message": …}}}), the outcome, a reason for
 * people, and the attempts made.
 */
public record CallResult(CallOutcome outcome, ObjectNode response, String error, int attempts) {

    /** A successful call whose endpoint answered {@code result}. */
    public static CallResult ok(JsonNode result, int attempts) {
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        response.set("result", result == null ? JsonNodeFactory.instance.nullNode() : result);
        return new CallResult(CallOutcome.OK, response, "", attempts);
    }

    /** A failed call: the model gets the kind and {@code message}, which must hold no secret. */
    public static CallResult failed(CallOutcome outcome, String message, int attempts) {
        return failed(outcome, message, null, attempts);
    }

    /** A failed call with the endpoint's own error body ({@code detail}) for the model. */
    public static CallResult failed(CallOutcome outcome, String message, JsonNode detail, int attempts) {
        ObjectNode error = JsonNodeFactory.instance.objectNode().put("kind", outcome.tag()).put("message", message);
        if (detail != null) {
            error.set("detail", detail);
        }
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        response.set("error", error);
        return new CallResult(outcome, response, message, attempts);
    }

    public boolean ok() {
        return outcome == CallOutcome.OK;
    }
}
