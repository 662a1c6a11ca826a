package dev.livegateway.grpc;

import dev.livegateway.quota.LeaseTermination;

/** The session's quota lease ended under it: revoked by an operator or lost. */
final class LeaseTerminatedException extends RuntimeException {

    private final LeaseTermination termination;

    LeaseTerminatedException(LeaseTermination termination) {
        super(termination.message());
        this.termination = termination;
    }

    LeaseTermination termination() {
        return termination;
    }
}
