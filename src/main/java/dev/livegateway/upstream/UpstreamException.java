package dev.livegateway.upstream;

/**
 * Why an upstream connection could not be opened or ended. Messages carry the upstream's reason
 * but never credentials.
 */
public abstract sealed class UpstreamException extends RuntimeException {

    UpstreamException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Whether trying again (with backoff) may succeed. */
    public abstract boolean retryable();

    /** TCP/TLS connect failed, was reset, or timed out. */
    public static final class ConnectFailed extends UpstreamException {
        public ConnectFailed(String message, Throwable cause) {
            super(message, cause);
        }

        @Override
        public boolean retryable() {
            return true;
        }
    }

    /** The WebSocket upgrade was answered with an HTTP status instead of 101. */
    public static final class HandshakeRejected extends UpstreamException {
        private final int httpStatus;

        public HandshakeRejected(int httpStatus, String message) {
            super(message, null);
            this.httpStatus = httpStatus;
        }

        public int httpStatus() {
            return httpStatus;
        }

        @Override
        public boolean retryable() {
            return httpStatus == 429 || httpStatus == 408 || httpStatus >= 500;
        }
    }

    /** The upstream closed the WebSocket (before or after setupComplete). */
    public static final class Closed extends UpstreamException {
        private final UpstreamClose close;

        public Closed(UpstreamClose close) {
            super(close.describe(), null);
            this.close = close;
        }

        public UpstreamClose close() {
            return close;
        }

        @Override
        public boolean retryable() {
            return close.retryable();
        }
    }

    /** No setupComplete within the configured time. */
    public static final class SetupTimeout extends UpstreamException {
        public SetupTimeout(String message) {
            super(message, null);
        }

        @Override
        public boolean retryable() {
            return true;
        }
    }

    /** Credentials could not produce a token. */
    public static final class CredentialsFailed extends UpstreamException {
        public CredentialsFailed(String message) {
            super(message, null);
        }

        @Override
        public boolean retryable() {
            return false;
        }
    }
}
