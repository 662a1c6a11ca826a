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

    /**
     * No target of the pool can take a new session now: every target that serves its model and
     * tenant is drained, at its {@code max-sessions}, or refused it.
     */
    public static final class NoTargetAvailable extends UpstreamException {
        private final boolean full;

        public NoTargetAvailable(String message, boolean full, Throwable cause) {
            super(message, cause);
            this.full = full;
        }

        /** Whether the targets were at their session limits (rather than drained or removed). */
        public boolean full() {
            return full;
        }

        @Override
        public boolean retryable() {
            return false;
        }
    }

    /**
     * The target that holds a conversation (its resumption handle is valid only there) is removed
     * or did not take the conversation back within the resume deadline. Never retried elsewhere: a
     * new Live session would have lost the conversation's context.
     */
    public static final class TargetUnavailable extends UpstreamException {
        private final String target;

        public TargetUnavailable(String target, String message, Throwable cause) {
            super(message, cause);
            this.target = target;
        }

        public String target() {
            return target;
        }

        @Override
        public boolean retryable() {
            return false;
        }
    }
}
