package dev.livegateway.emulator;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.ArrayList;
import java.util.List;

/**
 * One fault-injection rule: what to do ({@link #action}), to which connections (the target fields;
 * none set means every connection) and when ({@link #when}). The same JSON shape is accepted by
 * {@code POST /emulator/faults}, the {@code --fault} CLI flag and {@code live-gateway.emulator.faults.rules}.
 *
 * @param id               assigned by the emulator when absent
 * @param action           the fault
 * @param error            for CLOSE: a named real-server error; sets code and reason
 * @param closeCode        for CLOSE: explicit close code (overrides {@code error})
 * @param closeReason      for CLOSE: explicit reason (truncated to 123 bytes)
 * @param goAwaySeconds    for GO_AWAY: {@code timeLeft} in whole seconds before the close 1000 (default 10)
 * @param httpStatus       for REFUSE_UPGRADE: 429 or 503 (default 503)
 * @param delayMs          for DELAY_SETUP: how long to hold back {@code setupComplete}
 * @param nextConnections  target: only the next N matching connections
 * @param everyNthConnection target: connections whose sequence number is a multiple of M (1-based)
 * @param liveSessionId    target: connections of this Live session
 * @param setupContains    target: connections whose raw setup JSON contains this string (e.g. a marker in the system instruction)
 * @param when             trigger (default AT_SETUP; REFUSE_UPGRADE always acts at the upgrade)
 * @param afterMs          for AFTER_AGE: connection age in milliseconds
 * @param afterMessages    for AFTER_MESSAGES: consumed client messages on the connection, setup excluded
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = false)
public record FaultRule(
        String id,
        Action action,
        LiveError error,
        Integer closeCode,
        String closeReason,
        Integer goAwaySeconds,
        Integer httpStatus,
        Long delayMs,
        Integer nextConnections,
        Integer everyNthConnection,
        String liveSessionId,
        String setupContains,
        Trigger when,
        Long afterMs,
        Integer afterMessages) {

    /** The fault to inject. */
    public enum Action {
        /** Send {@code goAway{timeLeft}} then close 1000 when the time is up. */
        GO_AWAY,
        /** Close with a code and reason. */
        CLOSE,
        /** Drop the TCP connection without a close frame (the client sees 1006). */
        DROP,
        /** Refuse the WebSocket upgrade with an HTTP status (429 or 503). */
        REFUSE_UPGRADE,
        /** Hold back {@code setupComplete} for {@code delayMs}. */
        DELAY_SETUP,
        /** Stop answering and ignore input, keeping the connection open. */
        STALL
    }

    /** When a rule acts on a connection it targets. */
    public enum Trigger {
        AT_SETUP,
        AFTER_AGE,
        AFTER_MESSAGES
    }

    /** Errors the real Live API closes sessions with, with their codes and reasons. */
    public enum LiveError {
        INVALID_ARGUMENT(CloseReasons.INVALID_PAYLOAD, CloseReasons.INVALID_ARGUMENT),
        NOT_FOUND(CloseReasons.POLICY_VIOLATION, CloseReasons.NOT_FOUND),
        INTERNAL(CloseReasons.INTERNAL_ERROR, CloseReasons.INTERNAL),
        UNAVAILABLE(CloseReasons.INTERNAL_ERROR, CloseReasons.UNAVAILABLE),
        DEADLINE_EXCEEDED(CloseReasons.INTERNAL_ERROR, CloseReasons.DEADLINE_EXCEEDED),
        RESOURCE_EXHAUSTED(CloseReasons.INTERNAL_ERROR, null);

        public final short code;
        private final String reason;

        LiveError(short code, String reason) {
            this.code = code;
            this.reason = reason;
        }

        public String reason() {
            return reason != null ? reason : CloseReasons.resourceExhausted(traceId());
        }

        private static String traceId() {
            return String.format("%016x", java.util.concurrent.ThreadLocalRandom.current().nextLong());
        }
    }

    /** A rule doing {@code action} to every connection at setup; add targets and a trigger, then {@link Builder#build}. */
    public static Builder of(Action action) {
        return new Builder(action);
    }

    /** A CLOSE rule with a named real-server error. */
    public static Builder close(LiveError error) {
        return of(Action.CLOSE).error(error);
    }

    /** This rule with the id the injector assigns. */
    FaultRule withId(String v) {
        return new FaultRule(v, action, error, closeCode, closeReason, goAwaySeconds, httpStatus, delayMs,
                nextConnections, everyNthConnection, liveSessionId, setupContains, when, afterMs, afterMessages);
    }

    /** Builds a rule from Java; each method sets the record component of the same meaning. */
    public static final class Builder {
        private final Action action;
        private LiveError error;
        private Integer closeCode;
        private String closeReason;
        private Integer goAwaySeconds;
        private Integer httpStatus;
        private Long delayMs;
        private Integer nextConnections;
        private Integer everyNthConnection;
        private String liveSessionId;
        private String setupContains;
        private Trigger when;
        private Long afterMs;
        private Integer afterMessages;

        private Builder(Action action) {
            this.action = action;
        }

        public Builder error(LiveError v) { error = v; return this; }
        public Builder closeWith(int code, String reason) { closeCode = code; closeReason = reason; return this; }
        public Builder goAwaySeconds(int v) { goAwaySeconds = v; return this; }
        public Builder httpStatus(int v) { httpStatus = v; return this; }
        public Builder delayMs(long v) { delayMs = v; return this; }
        public Builder forNextConnections(int n) { nextConnections = n; return this; }
        public Builder forEveryNthConnection(int m) { everyNthConnection = m; return this; }
        public Builder forLiveSession(String sessionId) { liveSessionId = sessionId; return this; }
        public Builder forSetupContaining(String marker) { setupContains = marker; return this; }

        /** Acts at setup (the default); clears an age or message trigger. */
        public Builder atSetup() { return trigger(Trigger.AT_SETUP, null, null); }
        /** Acts when the connection is {@code millis} old. */
        public Builder afterAge(long millis) { return trigger(Trigger.AFTER_AGE, millis, null); }
        /** Acts after the connection's {@code k}-th consumed client message, setup excluded. */
        public Builder afterMessages(int k) { return trigger(Trigger.AFTER_MESSAGES, null, k); }

        private Builder trigger(Trigger trigger, Long ms, Integer messages) {
            when = trigger;
            afterMs = ms;
            afterMessages = messages;
            return this;
        }

        public FaultRule build() {
            return new FaultRule(null, action, error, closeCode, closeReason, goAwaySeconds, httpStatus, delayMs,
                    nextConnections, everyNthConnection, liveSessionId, setupContains, when, afterMs, afterMessages);
        }
    }

    /** The trigger, defaulting to AT_SETUP. */
    public Trigger trigger() {
        return when == null ? Trigger.AT_SETUP : when;
    }

    /** Close code for CLOSE: explicit, else the named error's, else 1011. */
    public short effectiveCloseCode() {
        if (closeCode != null) {
            return closeCode.shortValue();
        }
        return error != null ? error.code : CloseReasons.INTERNAL_ERROR;
    }

    /** Close reason for CLOSE, at most 123 bytes. */
    public String effectiveCloseReason() {
        if (closeReason != null) {
            return CloseReasons.truncate(closeReason);
        }
        return error != null ? error.reason() : CloseReasons.INTERNAL;
    }

    /** Problems a person can act on; empty when the rule is usable. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (action == null) {
            problems.add("action is required: one of GO_AWAY, CLOSE, DROP, REFUSE_UPGRADE, DELAY_SETUP, STALL");
            return problems;
        }
        if (action == Action.REFUSE_UPGRADE && httpStatus != null && httpStatus != 429 && httpStatus != 503) {
            problems.add("httpStatus must be 429 or 503, was " + httpStatus);
        }
        if (action == Action.REFUSE_UPGRADE && (liveSessionId != null || setupContains != null || when != null)) {
            problems.add("REFUSE_UPGRADE acts before the setup is known: target it with nextConnections or everyNthConnection only");
        }
        if (action == Action.DELAY_SETUP && (delayMs == null || delayMs < 0)) {
            problems.add("DELAY_SETUP needs delayMs >= 0");
        }
        if (action == Action.DELAY_SETUP && trigger() != Trigger.AT_SETUP) {
            problems.add("DELAY_SETUP only acts AT_SETUP");
        }
        if (action == Action.GO_AWAY && goAwaySeconds != null && goAwaySeconds < 0) {
            problems.add("goAwaySeconds must be >= 0");
        }
        if (closeCode != null && (closeCode < 1000 || closeCode > 4999)) {
            problems.add("closeCode must be a WebSocket close code (1000-4999), was " + closeCode);
        }
        if (trigger() == Trigger.AFTER_AGE && (afterMs == null || afterMs < 0)) {
            problems.add("when=AFTER_AGE needs afterMs >= 0");
        }
        if (trigger() == Trigger.AFTER_MESSAGES && (afterMessages == null || afterMessages < 1)) {
            problems.add("when=AFTER_MESSAGES needs afterMessages >= 1");
        }
        if (nextConnections != null && nextConnections < 1) {
            problems.add("nextConnections must be >= 1");
        }
        if (everyNthConnection != null && everyNthConnection < 1) {
            problems.add("everyNthConnection must be >= 1");
        }
        return problems;
    }
}
