package dev.livegateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The model capability table: what each Live model accepts in a setup, known before connecting,
 * so a setup the model would refuse (WebSocket close 1007 after a round trip to Google) is refused
 * at once with INVALID_ARGUMENT naming the field and the model. Prefix {@code live-gateway.models},
 * keyed by model id (the last segment of the model name), quoted in properties because ids contain
 * dots, e.g. {@code live-gateway.models."gemini-3.8-live".thinking=refused}.
 *
 * <p>The shipped defaults (application.properties) cover the 2.5 and 3.x Live models. A new model
 * needs no release: add its entry in any config source (a {@code config/application.properties}
 * next to the jar, {@code -D} system properties, or environment variables such as
 * {@code LIVE_GATEWAY_MODELS__GEMINI_3_9_LIVE__THINKING=refused}; ids are matched ignoring case and
 * treating every character other than a letter or digit alike, so {@code gemini-3-9-live} from an
 * environment variable names {@code gemini-3.9-live}). A model without an entry is not checked:
 * the Live API decides.
 */
@ConfigMapping(prefix = "live-gateway.models")
public interface ModelsConfig {

    /** The table, keyed by model id. */
    @WithParentName
    Map<String, Model> models();

    /** Whether a model takes {@code generationConfig.thinkingConfig}. */
    enum Thinking {
        /** Any {@code thinkingConfig} is refused (the model closes with 1007). */
        REFUSED,
        /** {@code thinkingConfig} may be set, or not. */
        ACCEPTED,
        /** A {@code thinkingLevel} or {@code thinkingBudget} must be set. */
        REQUIRED
    }

    /** {@code FunctionDeclaration.behavior} values. */
    enum Behavior {
        BLOCKING,
        NON_BLOCKING
    }

    /** What one model accepts. */
    interface Model {

        /** {@code refused}, {@code accepted} or {@code required} (see {@link Thinking}). */
        @WithDefault("accepted")
        Thinking thinking();

        /**
         * The {@code thinkingLevel} values the model accepts ({@code MINIMAL}, {@code LOW},
         * {@code MEDIUM}, {@code HIGH}, {@code XHIGH}), or {@code NONE} when it takes no level at all
         * (the 2.5 models think by budget only). Unset: any level.
         */
        Optional<List<String>> thinkingLevels();

        /** Whether the model takes {@code thinkingBudget}. */
        @WithDefault("true")
        boolean thinkingBudget();

        /** Whether {@code thinkingLevel} and {@code thinkingBudget} may be set together (Gemini 3 refuses both: 400). */
        @WithDefault("false")
        boolean levelWithBudget();

        /** The function behaviours the model supports ({@code BLOCKING}, {@code NON_BLOCKING}). */
        @WithDefault("BLOCKING,NON_BLOCKING")
        List<Behavior> functionBehaviors();

        /** The behaviour of a function declared without one (the 3.8 models: {@code NON_BLOCKING}). */
        @WithDefault("BLOCKING")
        Behavior defaultFunctionBehavior();

        /** Whether the model takes {@code generationConfig.enableAffectiveDialog} (removed from the 3.x models). */
        @WithDefault("true")
        boolean affectiveDialog();

        /** Whether the model takes {@code proactivity.proactiveAudio} (not on gemini-3.1-flash-live-preview). */
        @WithDefault("true")
        boolean proactiveAudio();

        /**
         * Whether the model keeps working after {@code turnComplete} (background reasoning, the
         * extended-thinking model): then only {@code serverContent.interactionStatus} {@code IDLE} or
         * {@code WAITING_FOR_INPUT} says it is idle. Models that send {@code interactionStatus} are
         * followed anyway, from their first status on; this makes the gateway wait for it from the start.
         */
        @WithDefault("false")
        boolean backgroundReasoning();
    }

    /** The entry for {@code modelId} (the last segment of a model name), matched loosely (see the class comment). */
    default Optional<Model> find(String modelId) {
        if (modelId == null) {
            return Optional.empty();
        }
        String id = modelId.substring(modelId.lastIndexOf('/') + 1);
        Model exact = models().get(id);
        if (exact != null) {
            return Optional.of(exact);
        }
        String wanted = normalise(id);
        return models().entrySet().stream().filter(e -> normalise(e.getKey()).equals(wanted)).map(Map.Entry::getValue)
                .findFirst();
    }

    /** The thinking levels a table entry may name (the SDK's ThinkingLevel values), and NONE. */
    Set<String> LEVELS = Set.of("MINIMAL", "LOW", "MEDIUM", "HIGH", "XHIGH", "NONE");

    /** Configuration problems of the table, each naming its key; empty when it is sound. */
    default List<String> problems() {
        List<String> problems = new ArrayList<>();
        models().forEach((id, m) -> {
            String key = "live-gateway.models.\"" + id + "\".";
            m.thinkingLevels().ifPresent(levels -> {
                for (String level : levels) {
                    if (!LEVELS.contains(level.strip().toUpperCase(Locale.ROOT))) {
                        problems.add(key + "thinking-levels: unknown level '" + level + "'; allowed: MINIMAL, LOW,"
                                + " MEDIUM, HIGH, XHIGH, or NONE alone");
                    }
                }
                if (levels.size() > 1 && levels.stream().anyMatch(l -> "NONE".equalsIgnoreCase(l.strip()))) {
                    problems.add(key + "thinking-levels: NONE stands alone");
                }
            });
            if (m.functionBehaviors().isEmpty()) {
                problems.add(key + "function-behaviors: name at least one of BLOCKING, NON_BLOCKING");
            } else if (!m.functionBehaviors().contains(m.defaultFunctionBehavior())) {
                problems.add(key + "default-function-behavior " + m.defaultFunctionBehavior()
                        + " is not among function-behaviors " + m.functionBehaviors());
            }
        });
        return problems;
    }

    /** Lower case, every run of characters other than letters and digits as one {@code -}. */
    static String normalise(String id) {
        return id.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    }
}
