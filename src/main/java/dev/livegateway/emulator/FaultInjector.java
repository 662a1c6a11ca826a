package dev.livegateway.emulator;

import dev.livegateway.wire.Wire;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The active fault rules and their bookkeeping (how many connections a "next N" rule still
 * targets). Thread-safe: rules change from the admin endpoint and from test threads.
 */
public final class FaultInjector {

    private final List<ActiveRule> rules = new CopyOnWriteArrayList<>();

    /** A rule plus its remaining "next N connections" budget. */
    private static final class ActiveRule {
        final FaultRule rule;
        int remaining;

        ActiveRule(FaultRule rule) {
            this.rule = rule;
            this.remaining = rule.nextConnections() == null ? -1 : rule.nextConnections();
        }
    }

    /**
     * Adds a rule after validating it.
     *
     * @return the rule with its id
     * @throws IllegalArgumentException naming what is wrong
     */
    public FaultRule add(FaultRule rule) {
        List<String> problems = rule.problems();
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid fault rule: " + String.join("; ", problems));
        }
        FaultRule withId = rule.id() == null ? rule.withId(UUID.randomUUID().toString()) : rule;
        rules.add(new ActiveRule(withId));
        return withId;
    }

    /** Parses and adds a rule given as JSON (admin endpoint, CLI). */
    public FaultRule addJson(String json) {
        try {
            return add(Wire.mapper().readValue(json, FaultRule.class));
        } catch (IOException e) {
            throw new IllegalArgumentException("invalid fault rule JSON: " + firstLine(e.getMessage()), e);
        }
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    public List<FaultRule> rules() {
        List<FaultRule> out = new ArrayList<>();
        for (ActiveRule r : rules) {
            out.add(r.rule);
        }
        return out;
    }

    public boolean remove(String id) {
        return rules.removeIf(r -> r.rule.id().equals(id));
    }

    public void clear() {
        rules.clear();
    }

    /** The REFUSE_UPGRADE rule that targets connection number {@code connectionNumber}, if any. */
    synchronized FaultRule refusalFor(long connectionNumber) {
        for (ActiveRule r : rules) {
            if (r.rule.action() == FaultRule.Action.REFUSE_UPGRADE && targets(r, connectionNumber, null, null)) {
                consume(r);
                return r.rule;
            }
        }
        return null;
    }

    /**
     * The faults of a connection whose setup is now known, by when they act; consumes "next N"
     * budgets. The emulator-wide {@code goAwayAfter} joins the rules, and the setup delay adds up
     * the options' and the DELAY_SETUP rules'.
     */
    Schedule schedule(long connectionNumber, String liveSessionId, String rawSetup, EmulatorOptions options) {
        List<FaultRule> rules = rulesFor(connectionNumber, liveSessionId, rawSetup);
        if (options.goAwayAfter() != null) {
            rules.add(FaultRule.of(FaultRule.Action.GO_AWAY).goAwaySeconds(options.goAwayTimeLeftSeconds())
                    .afterAge(options.goAwayAfter().toMillis()).build());
        }
        Schedule schedule = new Schedule(options.setupCompleteDelay().toMillis());
        for (FaultRule rule : rules) {
            switch (rule.trigger()) {
                case AT_SETUP -> {
                    switch (rule.action()) {
                        case DELAY_SETUP -> schedule.setupDelayMs += rule.delayMs();
                        case GO_AWAY -> schedule.afterSetupComplete.add(rule);
                        default -> {
                            // Closes, drops or stalls the connection at setup: later rules never act.
                            schedule.atSetup = rule;
                            return schedule;
                        }
                    }
                }
                case AFTER_AGE -> schedule.afterAge.add(rule);
                case AFTER_MESSAGES -> schedule.afterMessages.add(rule);
            }
        }
        return schedule;
    }

    /** One connection's faults, by trigger. Used on the connection's event loop only. */
    static final class Schedule {
        private long setupDelayMs;
        private FaultRule atSetup;
        private final List<FaultRule> afterSetupComplete = new ArrayList<>();
        private final List<FaultRule> afterAge = new ArrayList<>();
        private final List<FaultRule> afterMessages = new ArrayList<>();

        private Schedule(long setupDelayMs) {
            this.setupDelayMs = setupDelayMs;
        }

        /** How long to hold back {@code setupComplete}. */
        long setupDelayMs() { return setupDelayMs; }

        /** The rule that ends the connection at setup (instead of {@code setupComplete}), or null. */
        FaultRule atSetup() { return atSetup; }

        /** Rules to apply right after {@code setupComplete} (goAway at setup). */
        List<FaultRule> afterSetupComplete() { return afterSetupComplete; }

        /** Rules to apply when the connection reaches their {@code afterMs} age. */
        List<FaultRule> afterAge() { return afterAge; }

        /** Removes and returns the message-triggered rules due after {@code consumed} client messages. */
        List<FaultRule> dueAfterMessages(int consumed) {
            List<FaultRule> due = new ArrayList<>();
            for (FaultRule rule : List.copyOf(afterMessages)) {
                if (consumed >= rule.afterMessages()) {
                    afterMessages.remove(rule);
                    due.add(rule);
                }
            }
            return due;
        }
    }

    /** The non-upgrade rules that target a connection whose setup is now known; consumes "next N" budgets. */
    private synchronized List<FaultRule> rulesFor(long connectionNumber, String liveSessionId, String rawSetup) {
        List<FaultRule> out = new ArrayList<>();
        for (ActiveRule r : rules) {
            if (r.rule.action() != FaultRule.Action.REFUSE_UPGRADE
                    && targets(r, connectionNumber, liveSessionId, rawSetup)) {
                consume(r);
                out.add(r.rule);
            }
        }
        return out;
    }

    private static boolean targets(ActiveRule r, long connectionNumber, String liveSessionId, String rawSetup) {
        FaultRule rule = r.rule;
        if (r.remaining == 0) {
            return false;
        }
        if (rule.everyNthConnection() != null && connectionNumber % rule.everyNthConnection() != 0) {
            return false;
        }
        if (rule.liveSessionId() != null && !rule.liveSessionId().equals(liveSessionId)) {
            return false;
        }
        return rule.setupContains() == null || (rawSetup != null && rawSetup.contains(rule.setupContains()));
    }

    private void consume(ActiveRule r) {
        if (r.remaining > 0 && --r.remaining == 0) {
            rules.remove(r);
        }
    }
}
