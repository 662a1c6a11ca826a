package dev.livegateway.tools;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.nio.file.Path;
import java.time.Duration;
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
    @Min(1)
    @Max(1000)
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
        @Min(1024)
        int maxEntryBytes();

        /** Longest entry description, in characters. */
        @WithDefault("1024")
        @Min(1)
        int maxDescriptionChars();

        /** Longest function description, in characters. */
        @WithDefault("4096")
        @Min(1)
        int maxFunctionDescriptionChars();

        /** Most function declarations in one entry. */
        @WithDefault("64")
        @Min(1)
        int maxFunctionsPerEntry();

        /** Deepest nesting of a parameters or response schema. */
        @WithDefault("16")
        @Min(1)
        int maxSchemaDepth();

        /** Most tenants named in one entry. */
        @WithDefault("256")
        @Min(1)
        int maxTenants();

        default ToolLimits toToolLimits() {
            return new ToolLimits(maxEntryBytes(), maxDescriptionChars(), maxFunctionDescriptionChars(),
                    maxFunctionsPerEntry(), maxSchemaDepth(), maxTenants());
        }
    }
}
