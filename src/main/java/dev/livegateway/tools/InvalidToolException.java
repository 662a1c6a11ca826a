package dev.livegateway.tools;

import java.util.List;
import java.util.stream.Collectors;

/** A definition broke validation rules; nothing was stored. REST: 400 with the errors. */
public final class InvalidToolException extends ToolRegistryException {

    private final List<FieldError> errors;

    public InvalidToolException(String toolName, List<FieldError> errors) {
        super("tool '" + toolName + "' is invalid: "
                + errors.stream().map(FieldError::toString).collect(Collectors.joining("; ")));
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }
}
