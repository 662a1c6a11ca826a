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

    /** The non-upgrade rules that target a connection whose setup is now known; consumes "next N" budgets. */
    synchronized List<FaultRule> rulesFor(long connectionNumber, String liveSessionId, String rawSetup) {
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
