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

    public static FaultRule of(Action action) {
        return new FaultRule(null, action, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    public static FaultRule close(LiveError error) {
        return of(Action.CLOSE).withError(error);
    }

    public FaultRule withId(String v) {
        return new FaultRule(v, action, error, closeCode, closeReason, goAwaySeconds, httpStatus, delayMs,
                nextConnections, everyNthConnection, liveSessionId, setupContains, when, afterMs, afterMessages);
    }

    public FaultRule withError(LiveError v) {
        return new FaultRule(id, action, v, closeCode, closeReason, goAwaySeconds, httpStatus, delayMs,
                nextConnections, everyNthConnection, liveSessionId, setupContains, when, afterMs, afterMessages);
    }

    public FaultRule withClose(int code, String reason) {
        return new FaultRule(id, action, error, code, reason, goAwaySeconds, httpStatus, delayMs,
                nextConnections, everyNthConnection, liveSessionId, setupContains, when, afterMs, afterMessages);
    }

    public FaultRule withGoAwaySeconds(int v) {
        return new FaultRule(id, action, error, closeCode, closeReason, v, httpStatus, delayMs,
                nextConnections, everyNthConnection, liveSessionId, setupContains, when, afterMs, afterMessages);
    }

    public FaultRule withHttpStatus(int v) {
        return new FaultRule(id, action, error, closeCode, closeReason, goAwaySeconds, v, delayMs,
                nextConnections, everyNthConnection, liveSessionId, setupContains, when, afterMs, afterMessages);
    }

    public FaultRule withDelayMs(long v) {
        return new FaultRule(id, action, error, closeCode, closeReason, goAwaySeconds, httpStatus, v,
                nextConnections, everyNthConnection, liveSessionId, setupContains, when, afterMs, afterMessages);
    }

    public FaultRule forNextConnections(int n) {
        return new FaultRule(id, action, error, closeCode, closeReason, goAwaySeconds, httpStatus, delayMs,
                n, everyNthConnection, liveSessionId, setupContains, when, afterMs, afterMessages);
    }

    public FaultRule forEveryNthConnection(int m) {
        return new FaultRule(id, action, error, closeCode, closeReason, goAwaySeconds, httpStatus, delayMs,
                nextConnections, m, liveSessionId, setupContains, when, afterMs, afterMessages);
    }

    public FaultRule forLiveSession(String sessionId) {
        return new FaultRule(id, action, error, closeCode, closeReason, goAwaySeconds, httpStatus, delayMs,
                nextConnections, everyNthConnection, sessionId, setupContains, when, afterMs, afterMessages);
    }

    public FaultRule forSetupContaining(String marker) {
        return new FaultRule(id, action, error, closeCode, closeReason, goAwaySeconds, httpStatus, delayMs,
                nextConnections, everyNthConnection, liveSessionId, marker, when, afterMs, afterMessages);
    }

    public FaultRule atSetup() {
        return new FaultRule(id, action, error, closeCode, closeReason, goAwaySeconds, httpStatus, delayMs,
                nextConnections, everyNthConnection, liveSessionId, setupContains, Trigger.AT_SETUP, null, null);
    }

    public FaultRule afterAge(long millis) {
        return new FaultRule(id, action, error, closeCode, closeReason, goAwaySeconds, httpStatus, delayMs,
                nextConnections, everyNthConnection, liveSessionId, setupContains, Trigger.AFTER_AGE, millis, null);
    }

    public FaultRule afterMessages(int k) {
        return new FaultRule(id, action, error, closeCode, closeReason, goAwaySeconds, httpStatus, delayMs,
                nextConnections, everyNthConnection, liveSessionId, setupContains, Trigger.AFTER_MESSAGES, null, k);
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
