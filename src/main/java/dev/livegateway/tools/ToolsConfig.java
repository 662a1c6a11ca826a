package dev.livegateway.tools;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The tool registry. Prefix {@code live-gateway.tools}. */
@ConfigMapping(prefix = "live-gateway.tools")
public interface ToolsConfig {

    /** What start-up does with a tool file that cannot be applied. */
    enum InvalidFilePolicy {
        /** Refuse to start, listing every problem: a deployment with a broken tool file fails visibly. */
        FAIL,
        /** Log the problems and start without the bad entries. */
        WARN
    }

    /**
     * Directory of tool files ({@code *.yaml}, {@code *.yml}, {@code *.json}; one entry or a list
     * per file), e.g. a mounted ConfigMap. Unset: the registry holds only what the REST API adds.
     * A relative path is resolved against the working directory.
     */
    Optional<Path> directory();

    /** How often the directory is checked for changes (content hash of its tool files). */
    @WithDefault("10s")
    Duration reloadInterval();

    /** What to do at start-up when a tool file is invalid: {@code fail} or {@code warn}. */
    @WithDefault("fail")
    InvalidFilePolicy onInvalidFileAtStartup();

    /**
     * Versions kept per entry, the current one included, so that a session pinned to an older
     * version (or resuming on another replica) still resolves it.
     */
    @WithDefault("10")
    int historySize();

    /** Longest wait for the store when the file source applies a reload. */
    @WithDefault("10s")
    Duration storeTimeout();

    /** Size limits of one entry. */
    Limits limits();

    /** Size limits of one entry; see {@link ToolLimits}. */
    interface Limits {

        /** Largest entry, measured as compact JSON, in bytes. */
        @WithDefault("65536")
        int maxEntryBytes();

        /** Longest entry description, in characters. */
        @WithDefault("1024")
        int maxDescriptionChars();

        /** Longest function description, in characters. */
        @WithDefault("4096")
        int maxFunctionDescriptionChars();

        /** Most function declarations in one entry. */
        @WithDefault("64")
        int maxFunctionsPerEntry();

        /** Deepest nesting of a parameters or response schema. */
        @WithDefault("16")
        int maxSchemaDepth();

        /** Most tenants named in one entry. */
        @WithDefault("256")
        int maxTenants();

        default ToolLimits toToolLimits() {
            return new ToolLimits(maxEntryBytes(), maxDescriptionChars(), maxFunctionDescriptionChars(),
                    maxFunctionsPerEntry(), maxSchemaDepth(), maxTenants());
        }
    }

    /**
     * Every range violation, each naming its property and what is allowed; empty when valid.
     * Checked at start-up by {@link ToolsProducers} (a plain check instead of Bean Validation on
     * the mapping, which cost about a second of start-up CPU).
     */
    default List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (historySize() < 1 || historySize() > 1000) {
            problems.add("live-gateway.tools.history-size must be between 1 and 1000, got " + historySize());
        }
        atLeast(problems, "limits.max-entry-bytes", limits().maxEntryBytes(), 1024);
        atLeast(problems, "limits.max-description-chars", limits().maxDescriptionChars(), 1);
        atLeast(problems, "limits.max-function-description-chars", limits().maxFunctionDescriptionChars(), 1);
        atLeast(problems, "limits.max-functions-per-entry", limits().maxFunctionsPerEntry(), 1);
        atLeast(problems, "limits.max-schema-depth", limits().maxSchemaDepth(), 1);
        atLeast(problems, "limits.max-tenants", limits().maxTenants(), 1);
        if (reloadInterval().isNegative() || reloadInterval().isZero()) {
            problems.add("live-gateway.tools.reload-interval must be positive, got " + reloadInterval());
        }
        if (storeTimeout().isNegative() || storeTimeout().isZero()) {
            problems.add("live-gateway.tools.store-timeout must be positive, got " + storeTimeout());
        }
        return problems;
    }

    private static void atLeast(List<String> problems, String key, int value, int min) {
        if (value < min) {
            problems.add("live-gateway.tools." + key + " must be at least " + min + ", got " + value);
        }
    }
}
