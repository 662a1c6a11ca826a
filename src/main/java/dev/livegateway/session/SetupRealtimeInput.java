package dev.livegateway.session;

import static dev.livegateway.session.ConfigFieldChecks.atLeast;

import dev.livegateway.api.v1.AutomaticActivityDetection;
import dev.livegateway.api.v1.RealtimeInputConfig;
import dev.livegateway.api.v1.SessionConfig;
import dev.livegateway.wire.Setup;

/**
 * The setup's {@code realtimeInputConfig} from a caller's {@link SessionConfig}: automatic activity
 * detection (its sensitivities and timings), activity handling, turn coverage and interim
 * transcript timestamps. Every refusal names the proto field and what is allowed.
 */
final class SetupRealtimeInput {

    private SetupRealtimeInput() {}

    /** The realtime input config, or null when the caller set nothing in it. */
    static Setup.RealtimeInputConfig realtimeInputConfig(SessionConfig config) {
        if (!config.hasRealtimeInput()) {
            return null;
        }
        RealtimeInputConfig r = config.getRealtimeInput();
        Setup.AutomaticActivityDetection detection = r.hasAutomaticActivityDetection()
                ? activityDetection(r.getAutomaticActivityDetection()) : null;
        String handling = switch (r.getActivityHandling()) {
            case ACTIVITY_HANDLING_UNSPECIFIED -> null;
            case ACTIVITY_HANDLING_START_OF_ACTIVITY_INTERRUPTS -> "START_OF_ACTIVITY_INTERRUPTS";
            case ACTIVITY_HANDLING_NO_INTERRUPTION -> "NO_INTERRUPTION";
            case UNRECOGNIZED -> throw new InvalidClientEventException("config.realtime_input.activity_handling",
                    "unknown value; allowed: ACTIVITY_HANDLING_START_OF_ACTIVITY_INTERRUPTS, ACTIVITY_HANDLING_NO_INTERRUPTION");
        };
        String coverage = switch (r.getTurnCoverage()) {
            case TURN_COVERAGE_UNSPECIFIED -> null;
            case TURN_COVERAGE_TURN_INCLUDES_ONLY_ACTIVITY -> "TURN_INCLUDES_ONLY_ACTIVITY";
            case TURN_COVERAGE_TURN_INCLUDES_ALL_INPUT -> "TURN_INCLUDES_ALL_INPUT";
            case UNRECOGNIZED -> throw new InvalidClientEventException("config.realtime_input.turn_coverage",
                    "unknown value; allowed: TURN_COVERAGE_TURN_INCLUDES_ONLY_ACTIVITY, TURN_COVERAGE_TURN_INCLUDES_ALL_INPUT");
        };
        Boolean interimTimestamps = r.getInterimTranscriptTimestamps() ? Boolean.TRUE : null;
        if (detection == null && handling == null && coverage == null && interimTimestamps == null) {
            return null;
        }
        return new Setup.RealtimeInputConfig(detection, handling, coverage, interimTimestamps);
    }

    private static Setup.AutomaticActivityDetection activityDetection(AutomaticActivityDetection a) {
        String start = switch (a.getStartOfSpeechSensitivity()) {
            case START_SENSITIVITY_UNSPECIFIED -> null;
            case START_SENSITIVITY_HIGH, START_SENSITIVITY_LOW -> a.getStartOfSpeechSensitivity().name();
            case UNRECOGNIZED -> throw new InvalidClientEventException(
                    "config.realtime_input.automatic_activity_detection.start_of_speech_sensitivity",
                    "unknown value; allowed: START_SENSITIVITY_HIGH, START_SENSITIVITY_LOW");
        };
        String end = switch (a.getEndOfSpeechSensitivity()) {
            case END_SENSITIVITY_UNSPECIFIED -> null;
            case END_SENSITIVITY_HIGH, END_SENSITIVITY_LOW -> a.getEndOfSpeechSensitivity().name();
            case UNRECOGNIZED -> throw new InvalidClientEventException(
                    "config.realtime_input.automatic_activity_detection.end_of_speech_sensitivity",
                    "unknown value; allowed: END_SENSITIVITY_HIGH, END_SENSITIVITY_LOW");
        };
        Integer padding = a.hasPrefixPaddingMs() ? atLeast(
                "config.realtime_input.automatic_activity_detection.prefix_padding_ms", a.getPrefixPaddingMs(), 0) : null;
        Integer silence = a.hasSilenceDurationMs() ? atLeast(
                "config.realtime_input.automatic_activity_detection.silence_duration_ms", a.getSilenceDurationMs(), 0) : null;
        return new Setup.AutomaticActivityDetection(a.getDisabled() ? Boolean.TRUE : null, start, end, padding, silence);
    }
}
