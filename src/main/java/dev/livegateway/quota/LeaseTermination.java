package dev.livegateway.quota;

/**
 * Why a lease ended while its session was still running. The session should end its stream
 * (the message is meant for the caller) and then {@link Lease#release()} the lease.
 *
 * @param reason  what happened
 * @param message a sentence for the caller and the logs
 */
public record LeaseTermination(Reason reason, String message) {

    /** What ended the lease. */
    public enum Reason {
        /** An operator ended the session ({@code DELETE /v1/sessions/{id}}). Map to CANCELLED. */
        REVOKED,
        /** The lease could not be renewed within the renewal grace. Map to UNAVAILABLE or ABORTED. */
        LOST
    }
}
