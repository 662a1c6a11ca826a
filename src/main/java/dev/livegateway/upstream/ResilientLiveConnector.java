package dev.livegateway.upstream;

import dev.livegateway.session.LiveSession;
import dev.livegateway.wire.Setup;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Opens Live API connections through {@link GuardedConnect}'s retry, timeout and circuit breaker.
 * Refusals of the request itself (1007, 1008, HTTP 4xx, quota) pass through the guard as results,
 * so they are neither retried nor held against the endpoint's health, and are thrown here.
 */
@ApplicationScoped
public class ResilientLiveConnector implements LiveSession.Connector {

    private final GuardedConnect guarded;

    ResilientLiveConnector(GuardedConnect guarded) {
        this.guarded = guarded;
    }

    @Override
    public Uni<LiveConnection> open(Setup setup, Context context) {
        return guarded.attempt(setup, context).map(attempt -> {
            if (attempt.refusal() != null) {
                throw attempt.refusal();
            }
            return attempt.connection();
        });
    }
}
