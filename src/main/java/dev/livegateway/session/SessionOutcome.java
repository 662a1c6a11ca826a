package dev.livegateway.session;

/** How a {@link LiveSession} ended, for leases and metrics: normally, cancelled by the caller, or with an error. */
public record SessionOutcome(Throwable error, boolean cancelled) {
    static final SessionOutcome OK = new SessionOutcome(null, false);
}
