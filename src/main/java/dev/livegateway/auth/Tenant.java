package dev.livegateway.auth;

/**
 * An authenticated caller organisation, the unit of quotas and tool permissions.
 *
 * @param id the tenant id from the configuration (e.g. {@code team-a})
 */
public record Tenant(String id) {}
