package dev.livegateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Behaviour of live sessions: replay buffer, resume tokens, keepalive, stall detection (reconnecting: {@code live-gateway.reconnect}). Prefix {@code live-gateway.session}. */
@ConfigMapping(prefix = "live-gateway.session")
public interface SessionSettings {

    /**
     * Bytes of caller input one session may buffer: input kept until the Live API confirms it
     * consumed it ({@code lastConsumedClientMessageIndex}), to replay after a reconnect, plus input
     * held while the session moves. When full, the session stops reading caller input (gRPC flow
     * control) until confirmations free room; while a tool call is pending (the Live API confirms
     * nothing until the caller's answer, which may be queued behind its media) the oldest
     * unconfirmed input is dropped from the replay buffer instead (counted in
     * {@code live_gateway_replay_overflow_total}). Also bounded by the replica-wide
     * {@code live-gateway.limits.buffered-input-bytes}. Must be positive.
     */
    @WithDefault("4194304")
    long replayBufferBytes();

    /** How long a resume token stays valid after its handle was last refreshed (Developer API handles live 2 h). */
    @WithDefault("2h")
    Duration resumeTokenTtl();

    /** Interval of WebSocket pings to the Live API (sent by {@code upstream.LiveConnection}). */
    @WithDefault("20s")
    Duration keepaliveInterval();

    /**
     * A connection with no frame at all from the Live API (message or pong) for this long is
     * considered dead: it is reported to the session as an ordinary close and resumed. Generous: the Live API answers pings slowly.
     */
    @WithDefault("90s")
    Duration keepaliveTimeout();

    /**
     * No server event for this long after the end of a user turn counts as a stall and resumes the
     * session. Never while a tool call is pending: the model then waits for the caller, and
     * {@link #toolResponseTimeout()} applies instead.
     */
    @WithDefault("30s")
    Duration stallTimeout();

    /**
     * How long the gateway waits for the caller's {@code tool_response} while the model has tool
     * calls pending, counted from the last tool call or tool response. When it passes, the stream
     * ends with DEADLINE_EXCEEDED naming the pending call ids (reason {@code TOOL_RESPONSE_TIMEOUT});
     * the session is never moved or resumed meanwhile, so a tool is never called twice by the
     * gateway's doing. Must be positive.
     */
    @WithDefault("10m")
    Duration toolResponseTimeout();

    /** After the caller half-closes, how long to wait for the model's pending answer before ending the stream. */
    @WithDefault("30s")
    Duration halfCloseGrace();

    /**
     * On shutdown (SIGTERM), how long conversations get to end or move after their callers were
     * told the replica is going away; the rest then end with UNAVAILABLE and a resume token. Keep it
     * below {@code quarkus.shutdown.timeout} and the pod's terminationGracePeriodSeconds.
     */
    @WithDefault("20s")
    Duration drainTimeout();

    /** Every range violation, each naming its property and what is allowed; empty when valid. */
    default List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (toolResponseTimeout().isNegative() || toolResponseTimeout().isZero()) {
            problems.add("live-gateway.session.tool-response-timeout must be positive, got " + toolResponseTimeout());
        }
        return problems;
    }
}
