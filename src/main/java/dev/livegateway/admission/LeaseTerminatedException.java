package dev.livegateway.admission;

import dev.livegateway.quota.LeaseTermination;

/** The session's quota lease ended under it: revoked by an operator or lost. */
public final class LeaseTerminatedException extends RuntimeException {

    private final LeaseTermination termination;

    public LeaseTerminatedException(LeaseTermination termination) {
        super(termination.message());
        this.termination = termination;
    }

    LeaseTermination termination() {
        return termination;
    }
}
