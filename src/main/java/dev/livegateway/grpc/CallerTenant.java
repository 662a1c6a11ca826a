package dev.livegateway.grpc;

/** The tenant of the call being handled. */
final class CallerTenant {

    static final String DEFAULT = "default";

    private CallerTenant() {}

    static String current() {
        return DEFAULT;
    }
}
