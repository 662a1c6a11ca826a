/**
 * Live Gateway: a gRPC gateway to the Gemini Live API. See the README for the architecture:
 * {@code grpc} → {@code session} → {@code upstream} → Live API or {@code emulator}, with
 * {@code wire} as the one model of the Live API JSON.
 */
package dev.livegateway;
