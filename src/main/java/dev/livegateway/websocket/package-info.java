/**
 * The Live-API-compatible WebSocket front: Google's SDKs (and raw Live API clients) as callers of
 * the gateway. A front at the level of {@code grpc}: it authenticates the tenant, translates the
 * Live API JSON ({@code wire}) to the gateway's caller events and back, and runs the session
 * through the same {@code admission} and {@code session} layers. It knows not the gRPC front.
 */
package dev.livegateway.websocket;
