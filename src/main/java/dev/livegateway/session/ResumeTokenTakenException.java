package dev.livegateway.session;

/**
 * Another stream resumed this conversation with this stream's resume token: this stream ends so
 * that one Live session is never carried by two streams. Becomes ABORTED (reason
 * {@code RESUMED_ELSEWHERE}), without a resume token.
 */
public final class ResumeTokenTakenException extends RuntimeException {

    public ResumeTokenTakenException(String takerSessionId) {
        super("this conversation was resumed by another stream with its resume token"
                + (takerSessionId == null ? "" : " (gateway session " + takerSessionId + ")")
                + "; this stream ends: continue on the stream that resumed it");
    }
}
