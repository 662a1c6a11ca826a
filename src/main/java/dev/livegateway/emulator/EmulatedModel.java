package dev.livegateway.emulator;

import dev.livegateway.wire.Setup;
import dev.livegateway.wire.Tool;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a Live model accepts and how it behaves, as Google's servers play it (docs/emulator.md,
 * "Models"): the 3.x models refuse what their migration notes say they refuse (close 1007
 * {@code Request contains an invalid argument.}), the 3.8 models default to NON_BLOCKING functions,
 * and the extended-thinking model reasons in the background after {@code turnComplete}. Models the
 * emulator has no entry for accept everything (the 2.5 rules).
 *
 * @param levels     thinking levels accepted; null: any, empty: none (budget only)
 * @param behaviors  function behaviours accepted
 */
record EmulatedModel(
        String id,
        Thinking thinking,
        Set<String> levels,
        boolean budget,
        Set<String> behaviors,
        String defaultBehavior,
        boolean backgroundReasoning,
        boolean affectiveDialog,
        boolean proactiveAudio) {

    enum Thinking { REFUSED, ACCEPTED, REQUIRED }

    private static final Set<String> BOTH = Set.of("BLOCKING", "NON_BLOCKING");

    /** The model named {@code modelName} (bare or qualified). */
    static EmulatedModel of(String modelName) {
        String id = modelName == null ? "" : modelName.substring(modelName.lastIndexOf('/') + 1);
        return switch (id) {
            case "gemini-3.8-live-extended-thinking" -> new EmulatedModel(id, Thinking.REQUIRED,
                    Set.of("LOW", "MEDIUM", "HIGH"), true, Set.of("NON_BLOCKING"), "NON_BLOCKING", true, false, true);
            case "gemini-3.8-live" -> new EmulatedModel(id, Thinking.REFUSED, null, false, BOTH, "NON_BLOCKING", false,
                    false, true);
            case "gemini-3.1-flash-live-preview" -> new EmulatedModel(id, Thinking.REFUSED, null, false,
                    Set.of("BLOCKING"), "BLOCKING", false, false, false);
            default -> id.contains("native-audio")
                    ? new EmulatedModel(id, Thinking.ACCEPTED, Set.of(), true, BOTH, "BLOCKING", false, true, true)
                    : new EmulatedModel(id, Thinking.ACCEPTED, null, true, BOTH, "BLOCKING", false, true, true);
        };
    }

    /** Why the model refuses this setup (the server's log line; the close reason is generic), or null. */
    String refusal(Setup setup) {
        Setup.GenerationConfig g = setup.generationConfig();
        Setup.ThinkingConfig t = g == null ? null : g.thinkingConfig();
        String level = level(t);
        Integer budget = t == null ? null : t.thinkingBudget();
        switch (thinking) {
            case REFUSED -> {
                if (t != null) {
                    return id + " does not take thinkingConfig";
                }
            }
            case REQUIRED -> {
                if (level == null && budget == null) {
                    return id + " requires thinkingConfig.thinkingLevel or thinkingBudget";
                }
            }
            case ACCEPTED -> { }
        }
        if (level != null && budget != null) {
            return "thinkingLevel and thinkingBudget are mutually exclusive";
        }
        if (level != null && levels != null && !levels.contains(level)) {
            return id + " does not take thinkingLevel " + level;
        }
        if (budget != null && !this.budget) {
            return id + " does not take thinkingBudget";
        }
        if (g != null && Boolean.TRUE.equals(g.enableAffectiveDialog()) && !affectiveDialog) {
            return id + " does not take enableAffectiveDialog";
        }
        if (setup.proactivity() != null && setup.proactivity().proactiveAudio() != null && !proactiveAudio) {
            return id + " does not take proactivity";
        }
        return toolRefusal(setup.tools());
    }

    /** Why the model refuses these tools (a setup's or a context update's), or null. */
    String toolRefusal(List<Tool> tools) {
        for (Tool tool : tools == null ? List.<Tool>of() : tools) {
            for (Tool.FunctionDeclaration f : tool.functionDeclarations() == null
                    ? List.<Tool.FunctionDeclaration>of() : tool.functionDeclarations()) {
                if (!behaviors.contains(behavior(f))) {
                    return id + " does not support " + behavior(f) + " function " + f.name();
                }
            }
        }
        return null;
    }

    /** The function's behaviour: as declared, else the model's default. */
    String behavior(Tool.FunctionDeclaration f) {
        String b = f.behavior();
        return b == null || b.isBlank() || b.toUpperCase(Locale.ROOT).endsWith("UNSPECIFIED") ? defaultBehavior
                : b.toUpperCase(Locale.ROOT);
    }

    boolean nonBlocking(Tool.FunctionDeclaration f) {
        return "NON_BLOCKING".equals(behavior(f));
    }

    /** The thinking level set, upper case, or null. */
    static String level(Setup.ThinkingConfig t) {
        if (t == null || t.thinkingLevel() == null || t.thinkingLevel().isBlank()
                || t.thinkingLevel().toUpperCase(Locale.ROOT).endsWith("UNSPECIFIED")) {
            return null;
        }
        return t.thinkingLevel().toUpperCase(Locale.ROOT);
    }

    /**
     * How hard the model thinks for this setup: 0 without thinking, else 1 (MINIMAL, LOW, a small
     * budget) to 4 (XHIGH): the number of thought summaries and of reasoning steps.
     */
    int effort(Setup setup) {
        Setup.ThinkingConfig t = setup.generationConfig() == null ? null : setup.generationConfig().thinkingConfig();
        if (t == null || thinking == Thinking.REFUSED) {
            return 0;
        }
        String level = level(t);
        if (level != null) {
            return switch (level) {
                case "MEDIUM" -> 2;
                case "HIGH" -> 3;
                case "XHIGH" -> 4;
                default -> 1;
            };
        }
        Integer budget = t.thinkingBudget();
        if (budget == null || budget == 0) {
            return 0;
        }
        return budget < 0 || budget > 8192 ? 3 : budget > 1024 ? 2 : 1;
    }

    /** The level as the model reports it in its words ({@code budget N} when thinking by budget). */
    static String effortName(Setup setup) {
        Setup.ThinkingConfig t = setup.generationConfig() == null ? null : setup.generationConfig().thinkingConfig();
        String level = level(t);
        return level != null ? level : t != null && t.thinkingBudget() != null ? "budget " + t.thinkingBudget() : "none";
    }

    /** Whether thought summaries are sent. */
    static boolean includeThoughts(Setup setup) {
        Setup.ThinkingConfig t = setup.generationConfig() == null ? null : setup.generationConfig().thinkingConfig();
        return t != null && Boolean.TRUE.equals(t.includeThoughts());
    }
}
