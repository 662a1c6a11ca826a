package dev.livegateway.session;

import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import dev.livegateway.api.v1.GoingAway;
import dev.livegateway.api.v1.GoingAwayReason;
import dev.livegateway.api.v1.ResumeReason;
import dev.livegateway.api.v1.ResumeTokenUpdate;
import dev.livegateway.api.v1.ServerEvent;
import dev.livegateway.api.v1.SessionResumed;
import dev.livegateway.api.v1.SessionStarted;
import java.time.Duration;
import java.time.Instant;

/** The events the session itself tells the caller about (not translated from the Live API). */
final class SessionEvents {

    private SessionEvents() {}

    static ServerEvent started(SessionPlan plan, String upstreamSessionId, String token, String voiceConsentSignature,
            String upstreamTarget, String model) {
        return ServerEvent.newBuilder().setSessionStarted(SessionStarted.newBuilder()
                .setGatewaySessionId(plan.gatewaySessionId())
                .setUpstreamSessionId(upstreamSessionId)
                .setUpstreamTarget(orEmpty(upstreamTarget))
                .setModel(model)
                .addAllTools(plan.tools())
                .setResumeToken(orEmpty(token))
                .setResumed(plan.resumedFromToken())
                .setTenant(plan.tenant())
                .setVoiceConsentSignature(orEmpty(voiceConsentSignature))).build();
    }

    static ServerEvent goingAway(GoingAwayReason reason, Duration timeLeft, String token) {
        return ServerEvent.newBuilder().setGoingAway(GoingAway.newBuilder()
                .setReason(reason)
                .setTimeLeft(Durations.fromNanos(timeLeft.toNanos()))
                .setResumeToken(orEmpty(token))).build();
    }

    static ServerEvent resumeToken(String token, Instant expiresAt) {
        return ServerEvent.newBuilder().setResumeTokenUpdate(ResumeTokenUpdate.newBuilder()
                .setToken(token).setExpiresAt(Timestamps.fromNanos(expiresAt.getEpochSecond() * 1_000_000_000L + expiresAt.getNano()))).build();
    }

    static ServerEvent resumed(ResumeReason reason, int replayed, int resumptions) {
        return ServerEvent.newBuilder().setSessionResumed(SessionResumed.newBuilder()
                .setReason(reason).setReplayedMessages(replayed).setResumptions(resumptions)).build();
    }

    /** A Live API duration ("1.5s"); zero when absent or unreadable. */
    static Duration parseDuration(String value) {
        if (value == null || value.isEmpty()) {
            return Duration.ZERO;
        }
        try {
            String number = value.endsWith("s") ? value.substring(0, value.length() - 1) : value;
            return Duration.ofMillis((long) (Double.parseDouble(number) * 1000));
        } catch (NumberFormatException e) {
            return Duration.ZERO;
        }
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
