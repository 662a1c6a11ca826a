package dev.livegateway.session;

import dev.livegateway.config.ModelsConfig;
import dev.livegateway.config.ModelsConfig.Behavior;
import dev.livegateway.config.ModelsConfig.Model;
import dev.livegateway.config.ModelsConfig.Thinking;
import dev.livegateway.wire.Setup;
import dev.livegateway.wire.Tool;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The capability table ({@link ModelsConfig}) applied to a Live API {@code setup} or to the tools
 * of a mid-session context update: refuses, before any connection, what the model would close
 * with 1007. It reads the wire {@link Setup}, which every caller-facing front produces, so the
 * rules hold whatever front the setup came from. A refusal is an {@link InvalidClientEventException}
 * naming the Live API field (JSON path) and the model; fronts map it to INVALID_ARGUMENT.
 */
public final class ModelRules {

    /** The rules of a model without an entry in the table: nothing is checked, BLOCKING is the default. */
    public static final ModelRules UNCHECKED = new ModelRules("", null);

    private final String modelId;
    private final Model model;

    private ModelRules(String modelId, Model model) {
        this.modelId = modelId;
        this.model = model;
    }

    /** The rules of {@code modelName} (bare or qualified) from the table. */
    public static ModelRules of(ModelsConfig table, String modelName) {
        String id = modelName == null ? "" : modelName.substring(modelName.lastIndexOf('/') + 1);
        return table.find(id).map(m -> new ModelRules(id, m)).orElseGet(() -> new ModelRules(id, null));
    }

    /** Whether the table knows the model. */
    public boolean known() {
        return model != null;
    }

    /** Whether the model keeps working after {@code turnComplete} until {@code interactionStatus} says IDLE. */
    public boolean backgroundReasoning() {
        return model != null && model.backgroundReasoning();
    }

    /** Whether a function declared with {@code behavior} (null: unset) runs without blocking the model. */
    public boolean nonBlocking(String behavior) {
        return effectiveBehavior(behavior) == Behavior.NON_BLOCKING;
    }

    private Behavior effectiveBehavior(String behavior) {
        if (behavior != null && !behavior.isBlank() && !behavior.endsWith("UNSPECIFIED")) {
            try {
                return Behavior.valueOf(behavior.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                return Behavior.BLOCKING;
            }
        }
        return model == null ? Behavior.BLOCKING : model.defaultFunctionBehavior();
    }

    /** Checks a whole setup: thinking, affective dialog, proactive audio and every function's behaviour. */
    public void check(Setup setup) {
        if (model == null) {
            return;
        }
        Setup.GenerationConfig generation = setup.generationConfig();
        checkThinking(generation == null ? null : generation.thinkingConfig());
        if (generation != null && Boolean.TRUE.equals(generation.enableAffectiveDialog()) && !model.affectiveDialog()) {
            throw refuse("generationConfig.enableAffectiveDialog", "is not supported; leave it unset");
        }
        if (setup.proactivity() != null && setup.proactivity().proactiveAudio() != null && !model.proactiveAudio()) {
            throw refuse("proactivity.proactiveAudio", "is not supported; leave it unset");
        }
        checkTools(setup.tools(), "tools");
    }

    /**
     * Checks function declarations (a setup's or a context update's {@code tools}); {@code path} is
     * the JSON path of the list, e.g. {@code tools} or {@code contextUpdate.tools}.
     */
    public void checkTools(List<Tool> tools, String path) {
        if (model == null || tools == null) {
            return;
        }
        for (int t = 0; t < tools.size(); t++) {
            List<Tool.FunctionDeclaration> functions = tools.get(t).functionDeclarations();
            if (functions == null) {
                continue;
            }
            for (int f = 0; f < functions.size(); f++) {
                Tool.FunctionDeclaration function = functions.get(f);
                Behavior behavior = effectiveBehavior(function.behavior());
                if (!model.functionBehaviors().contains(behavior)) {
                    String field = path + "[" + t + "].functionDeclarations[" + f + "].behavior";
                    throw refuse(field, "function " + function.name() + " is " + behavior
                            + (function.behavior() == null ? " (the model's default)" : "")
                            + "; the model supports only " + join(model.functionBehaviors()));
                }
            }
        }
    }

    private void checkThinking(Setup.ThinkingConfig thinking) {
        String level = thinking == null ? null : level(thinking);
        Integer budget = thinking == null ? null : thinking.thinkingBudget();
        String base = "generationConfig.thinkingConfig";
        if (model.thinking() == Thinking.REFUSED) {
            if (thinking != null) {
                throw refuse(base, "thinking is not configurable on this model; leave thinkingConfig unset");
            }
            return;
        }
        if (model.thinking() == Thinking.REQUIRED && level == null && budget == null) {
            throw refuse(base + ".thinkingLevel", "is required"
                    + model.thinkingLevels().filter(l -> !isNone(l)).map(l -> " (one of " + String.join(", ", l) + ")").orElse("")
                    + (model.thinkingBudget() ? ", or a thinkingBudget" : ""));
        }
        if (level != null && budget != null && !model.levelWithBudget()) {
            throw refuse(base, "thinkingLevel and thinkingBudget are mutually exclusive; set one of them");
        }
        if (level != null) {
            Optional<List<String>> levels = model.thinkingLevels();
            if (levels.isPresent() && isNone(levels.get())) {
                throw refuse(base + ".thinkingLevel", "is not supported; the model thinks by thinkingBudget");
            }
            if (levels.isPresent() && levels.get().stream().noneMatch(l -> l.equalsIgnoreCase(level))) {
                throw refuse(base + ".thinkingLevel", level + " is not supported; allowed: "
                        + String.join(", ", levels.get()));
            }
        }
        if (budget != null && !model.thinkingBudget()) {
            throw refuse(base + ".thinkingBudget", "is not supported; set a thinkingLevel instead");
        }
    }

    /** The thinking level set, upper case, or null. */
    private static String level(Setup.ThinkingConfig thinking) {
        String level = thinking.thinkingLevel();
        return level == null || level.isBlank() || level.endsWith("UNSPECIFIED") ? null : level.toUpperCase(Locale.ROOT);
    }

    private static boolean isNone(List<String> levels) {
        return levels.size() == 1 && "NONE".equalsIgnoreCase(levels.get(0).strip());
    }

    private static String join(List<Behavior> behaviors) {
        return String.join(", ", behaviors.stream().map(Enum::name).toList());
    }

    private InvalidClientEventException refuse(String field, String what) {
        return new InvalidClientEventException(field, what + " (model " + modelId
                + ", live-gateway.models.\"" + modelId + "\")");
    }
}
