package dev.livegateway.websocket;

import static dev.livegateway.websocket.LiveApiFieldValues.enumOf;

import dev.livegateway.api.v1.ActivityHandling;
import dev.livegateway.api.v1.AutomaticActivityDetection;
import dev.livegateway.api.v1.EndSensitivity;
import dev.livegateway.api.v1.RealtimeInputConfig;
import dev.livegateway.api.v1.StartSensitivity;
import dev.livegateway.api.v1.TurnCoverage;
import dev.livegateway.wire.Setup;

/**
 * A Live API setup's {@code realtimeInputConfig} as the gateway's {@link RealtimeInputConfig}:
 * automatic activity detection (its sensitivities and timings), activity handling, turn coverage
 * and interim transcript timestamps. Refusals name the Live API field.
 */
final class LiveApiSetupRealtimeInput {

    private LiveApiSetupRealtimeInput() {}

    static RealtimeInputConfig realtimeInput(Setup.RealtimeInputConfig r) {
        String field = "setup.realtimeInputConfig";
        RealtimeInputConfig.Builder b = RealtimeInputConfig.newBuilder();
        if (r.automaticActivityDetection() != null) {
            b.setAutomaticActivityDetection(activityDetection(r.automaticActivityDetection(),
                    field + ".automaticActivityDetection"));
        }
        if (r.activityHandling() != null) {
            b.setActivityHandling(enumOf(field + ".activityHandling", r.activityHandling(), "ACTIVITY_HANDLING_",
                    ActivityHandling::valueOf, ActivityHandling.values()));
        }
        if (r.turnCoverage() != null) {
            b.setTurnCoverage(enumOf(field + ".turnCoverage", r.turnCoverage(), "TURN_COVERAGE_",
                    TurnCoverage::valueOf, TurnCoverage.values()));
        }
        if (Boolean.TRUE.equals(r.interimTranscriptTimestampEnabled())) {
            b.setInterimTranscriptTimestamps(true);
        }
        return b.build();
    }

    private static AutomaticActivityDetection.Builder activityDetection(Setup.AutomaticActivityDetection a,
            String field) {
        AutomaticActivityDetection.Builder ab = AutomaticActivityDetection.newBuilder();
        if (Boolean.TRUE.equals(a.disabled())) ab.setDisabled(true);
        if (a.startOfSpeechSensitivity() != null) {
            ab.setStartOfSpeechSensitivity(enumOf(field + ".startOfSpeechSensitivity",
                    a.startOfSpeechSensitivity(), "START_SENSITIVITY_", StartSensitivity::valueOf,
                    StartSensitivity.values()));
        }
        if (a.endOfSpeechSensitivity() != null) {
            ab.setEndOfSpeechSensitivity(enumOf(field + ".endOfSpeechSensitivity",
                    a.endOfSpeechSensitivity(), "END_SENSITIVITY_", EndSensitivity::valueOf,
                    EndSensitivity.values()));
        }
        if (a.prefixPaddingMs() != null) ab.setPrefixPaddingMs(a.prefixPaddingMs());
        if (a.silenceDurationMs() != null) ab.setSilenceDurationMs(a.silenceDurationMs());
        return ab;
    }
}
