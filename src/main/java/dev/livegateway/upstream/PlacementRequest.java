package dev.livegateway.upstream;

/**
 * What placing a session needs to know.
 *
 * @param sessionId   the gateway session id (names its capacity lease)
 * @param tenant      the caller's tenant (a target may allow only some)
 * @param stickyTarget the target holding the conversation (resumed from a token), or null for a new one
 */
public record PlacementRequest(String sessionId, String tenant, String stickyTarget) {}
