package dev.livegateway.session;

/** A caller event the gateway refuses; becomes INVALID_ARGUMENT naming {@link #field()}. */
public class InvalidClientEventException extends RuntimeException {

    private final String field;

    public InvalidClientEventException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
