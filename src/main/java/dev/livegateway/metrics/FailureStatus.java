package dev.livegateway.metrics;

import io.grpc.Status;

/**
 * The gRPC status code a failure ends a caller's stream with. Implemented by the gRPC front (its
 * status mapper), so that the metrics count what callers saw without depending on the front.
 */
public interface FailureStatus {

    Status.Code codeOf(Throwable error);
}
