package dev.livegateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

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

    /** Caller events requested ahead from the gRPC stream (inbound flow-control window). */
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
     * other tenants are not affected.
     */
    @WithDefault("32")
    int unconfiguredStreamsPerTenant();
}
