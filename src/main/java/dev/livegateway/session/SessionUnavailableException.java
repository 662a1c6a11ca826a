package dev.livegateway.session;

/** The gateway cannot carry the session on (draining, shutting down); becomes UNAVAILABLE. */
public class SessionUnavailableException extends RuntimeException {
    public SessionUnavailableException(String message) {
        super(message);
    }
}
