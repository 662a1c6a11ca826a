package dev.livegateway.session;

import dev.livegateway.api.v1.ResolvedTool;
import dev.livegateway.wire.Flavour;
import dev.livegateway.wire.ClientMessage;
import dev.livegateway.wire.Setup;
import dev.livegateway.wire.Wire;
import io.smallrye.mutiny.Uni;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * Where resume tokens live. The in-memory store serves one replica; a shared store (Redis) lets
 * any replica continue any caller's session.
 *
 * <p>A token continues one stream only. {@link #take} is atomic: of several takers exactly one
 * gets the record, and the token is left as a tombstone naming the taker until the record would
 * have expired, so the original session's periodic {@link #save} can never bring it back; the
 * taking stream mints a token of its own.
 */
public interface ResumeTokenStore {

    /**
     * What a token stands for: the Live session's newest handle and how to set it up again.
     *
     * @param gatewaySessionId the gateway session that owns the token and saves it
     */
    record ResumeRecord(String tenant, String handle, String setupJson, List<String> tools, String gatewaySessionId,
            Instant expiresAt, String upstreamTarget) {

        /** A record without an upstream target (written before pools: the pool places its session). */
        public ResumeRecord(String tenant, String handle, String setupJson, List<String> tools, String gatewaySessionId,
                Instant expiresAt) {
            this(tenant, handle, setupJson, tools, gatewaySessionId, expiresAt, null);
        }

        /**
         * What a token of the session with {@code plan} restores, with the Live session's newest handle,
         * valid only on {@code upstreamTarget} (the target the session was placed on).
         */
        static ResumeRecord of(SessionPlan plan, String handle, Instant expiresAt, String upstreamTarget) {
            return new ResumeRecord(plan.tenant(), handle,
                    new String(Wire.write(ClientMessage.of(plan.setup())), StandardCharsets.UTF_8),
                    plan.tools().stream().map(t -> t.getName() + "@" + t.getVersion()).toList(),
                    plan.gatewaySessionId(), expiresAt, upstreamTarget);
        }

        /** This record with a newer {@code handle}, expiry and target; the setup and tools stay (they do not change). */
        ResumeRecord with(String handle, Instant expiresAt, String upstreamTarget) {
            return new ResumeRecord(tenant, handle, setupJson, tools, gatewaySessionId, expiresAt, upstreamTarget);
        }

        /**
         * The plan of a new gateway session that continues this record's Live session.
         *
         * @throws UncheckedIOException when the stored setup is unreadable
         */
        public SessionPlan restore(String sessionId, String tenant, Flavour flavour) {
            Setup setup;
            try {
                setup = Wire.readClient(setupJson.getBytes(StandardCharsets.UTF_8), false).setup();
            } catch (IOException e) {
                throw new UncheckedIOException("stored session setup is unreadable", e);
            }
            List<ResolvedTool> resolved = tools.stream().map(ResumeRecord::tool).toList();
            boolean manual = setup.realtimeInputConfig() != null
                    && setup.realtimeInputConfig().automaticActivityDetection() != null
                    && Boolean.TRUE.equals(setup.realtimeInputConfig().automaticActivityDetection().disabled());
            return new SessionPlan(sessionId, tenant, setup.model(), setup, flavour, manual, resolved, handle, true)
                    .withUpstreamTarget(upstreamTarget);
        }

        private static ResolvedTool tool(String nameAtVersion) {
            int at = nameAtVersion.lastIndexOf('@');
            return ResolvedTool.newBuilder().setName(nameAtVersion.substring(0, at))
                    .setVersion(Long.parseLong(nameAtVersion.substring(at + 1))).build();
        }
    }

    /** How a {@link #take} went. */
    enum TakeOutcome {
        /** The record is the caller's; the token is now spent. */
        TAKEN,
        /** No such token, or it expired. */
        UNKNOWN,
        /** Another stream took it before ({@link Take#takenBy()} names its gateway session). */
        ALREADY_TAKEN,
        /** The token belongs to another tenant; it is left untouched for its owner. */
        OTHER_TENANT
    }

    /** The outcome of a take; {@code record} only when {@link TakeOutcome#TAKEN}, {@code takenBy} only when ALREADY_TAKEN. */
    record Take(TakeOutcome outcome, ResumeRecord record, String takenBy) {

        static final Take UNKNOWN = new Take(TakeOutcome.UNKNOWN, null, null);
        static final Take OTHER_TENANT = new Take(TakeOutcome.OTHER_TENANT, null, null);

        static Take taken(ResumeRecord record) {
            return new Take(TakeOutcome.TAKEN, record, null);
        }

        static Take alreadyTaken(String by) {
            return new Take(TakeOutcome.ALREADY_TAKEN, null, by);
        }
    }

    /**
     * Stores the owning session's newest record under its token, unless the token was taken:
     * then nothing is written and the result is {@code false} (the session no longer owns the
     * conversation).
     */
    Uni<Boolean> save(String token, ResumeRecord record);

    /**
     * Atomically spends {@code token} for {@code tenant}: returns its record and leaves a
     * tombstone naming {@code takerSessionId}. A token of another tenant is not spent.
     */
    Uni<Take> take(String token, String tenant, String takerSessionId);

    /**
     * Stores {@code record} unconditionally, replacing a tombstone: gives a token back after the
     * stream that took it was not admitted.
     */
    Uni<Void> put(String token, ResumeRecord record);

    Uni<Void> remove(String token);
}
