package dev.livegateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.OptionalLong;

/** Sizes and buffers of one conversation. Prefix {@code live-gateway.limits}. */
@ConfigMapping(prefix = "live-gateway.limits")
public interface LimitsConfig {

    /** Largest audio chunk a caller may send, in bytes (64 KiB is 2 s of 16 kHz PCM16). */
    @WithDefault("65536")
    int maxAudioChunkBytes();

    /** Largest video frame a caller may send, in bytes. */
    @WithDefault("2097152")
    int maxVideoFrameBytes();

    /** Largest text (realtime text, turn text, system instruction) in characters. */
    @WithDefault("65536")
    int maxTextChars();

    /**
     * Server events buffered for a caller that reads slower than the model speaks. When full,
     * the gateway stops reading from the upstream WebSocket (TCP backpressure) until the caller
     * catches up.
     */
    @WithDefault("256")
    int callerBufferEvents();

    /**
     * Caller events requested ahead from the gRPC stream (inbound flow-control window), at most:
     * only as many as fit in the session's room for buffered input if each were the largest event
     * the limits admit (see {@code dev.livegateway.session.InputBudget}).
     */
    @WithDefault("32")
    int inboundWindowEvents();

    /**
     * Time a new Converse stream has to send its first event (the SessionConfig). A stream that
     * sends nothing for this long ends with DEADLINE_EXCEEDED, so idle streams hold no memory.
     */
    @WithDefault("10s")
    Duration firstEventTimeout();

    /**
     * Streams of one tenant that may be open at the same time without having sent their
     * SessionConfig yet (they hold no quota lease). One more is refused with RESOURCE_EXHAUSTED;
     * other tenants are not affected. A stream counts from its HEADERS until its first event is
     * read, and a burst of new conversations (the benchmark opens 200 in a second) keeps a few
     * hundred in that state while the event loops are busy, so the default leaves room for that;
     * each such stream costs about 5 KB, so the default bounds a tenant at about 5 MB.
     */
    @WithDefault("1000")
    int unconfiguredStreamsPerTenant();

    /**
     * Replica-wide budget, in bytes, for caller input the sessions buffer: input kept for replay
     * until the Live API confirms it ({@code live-gateway.session.replay-buffer-bytes} per session)
     * plus input held while a session moves to a new connection. Sessions that use up their share
     * stop reading caller input (gRPC flow control) until confirmations free room; sessions that
     * buffer little keep their share (see {@code dev.livegateway.session.InputBudget}). Unset: a
     * quarter of the maximum heap ({@code -Xmx}). Must be positive.
     */
    OptionalLong bufferedInputBytes();

    /**
     * Sessions this replica carries at most. Further streams are refused with RESOURCE_EXHAUSTED and
     * a RetryInfo, before any quota lease or Live API connection is taken, so a client can retry on
     * another replica. Must be at least 1.
     */
    @WithDefault("2000")
    int maxSessions();
}
