package dev.livegateway.wire;

/**
 * A Live API served inside this process (the embedded emulator when
 * {@code live-gateway.emulator.enabled=true}). The server publishes its address through this
 * interface so that the upstream client can reach it without depending on the emulator.
 */
public interface LocalLiveApi {

    /** {@code ws://127.0.0.1:PORT} (or {@code wss://}), without a path; fails when the server is not running. */
    String baseUrl();
}
