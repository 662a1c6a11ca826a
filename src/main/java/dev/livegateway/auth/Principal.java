package dev.livegateway.auth;

/**
 * Whose key was presented: a tenant's (gRPC calls only) or an admin's (REST admin API only).
 *
 * @param tenant the tenant, or {@code null} for an admin key
 */
public record Principal(Tenant tenant) {

    /** The admin principal. */
    public static final Principal ADMIN = new Principal(null);

    public boolean isAdmin() {
        return tenant == null;
    }
}
