package dev.livegateway.session;

import dev.livegateway.api.v1.ServerEvent;

/**
 * The caller's side of a session as the session sees it: a flow-controlled event sink and an
 * input source. Implemented over the gRPC stream; all methods are called on the session's context.
 */
public interface CallerChannel {

    /** True while the transport can take another event without buffering. */
    boolean isReady();

    /** Called (on the session's context) whenever {@link #isReady()} turns true. */
    void onReady(Runnable handler);

    void send(ServerEvent event);

    /** True once the caller's stream is gone (cancelled, connection lost) even if no callback said so. */
    boolean gone();

    /** Ask for {@code n} more caller events. */
    void requestInput(int n);

    /** End the stream successfully. */
    void complete();

    /** End the stream with the status for {@code error}; {@code resumeToken} (nullable) lets the caller continue. */
    void fail(Throwable error, String resumeToken);
}
