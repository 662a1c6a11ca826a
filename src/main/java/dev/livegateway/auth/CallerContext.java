package dev.livegateway.auth;

import io.grpc.Context;
import java.util.Optional;

/**
 * The tenant of the current gRPC call, put there by {@link GrpcAuthInterceptor}. Read it when
 * the call starts (in the service method itself): the gRPC context is attached to the threads
 * that run the call's handlers, not to later asynchronous callbacks.
 */
public final class CallerContext {

    static final Context.Key<Tenant> TENANT = Context.key("live-gateway-tenant");

    private CallerContext() {}

    /**
     * The authenticated tenant.
     *
     * @throws IllegalStateException outside an authenticated gRPC call
     */
    public static Tenant tenant() {
        return currentTenant().orElseThrow(() -> new IllegalStateException(
                "No authenticated tenant in the gRPC context; is GrpcAuthInterceptor installed and the method not exempt?"));
    }

    /** The authenticated tenant, if the current gRPC call has one. */
    public static Optional<Tenant> currentTenant() {
        return Optional.ofNullable(TENANT.get());
    }
}
