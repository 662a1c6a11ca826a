package dev.livegateway.tools;

/**
 * One problem of a tool entry: {@code field} is a JSON path into the entry, such as
 * {@code functions[0].parameters.properties.brightness.type}, or {@code $} for the entry as a whole.
 */
public record FieldError(String field, String message) {

    /** The path of the entry itself. */
    public static final String ROOT = "$";

    @Override
    public String toString() {
        return field + ": " + message;
    }
}
