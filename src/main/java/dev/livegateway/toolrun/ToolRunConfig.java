package dev.livegateway.toolrun;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Tools the gateway runs itself (registry entries of kind {@code http} and {@code mcp}): the
 * limits around every call, whatever its entry says, and what is shown of it. Prefix
 * {@code live-gateway.tool-run}.
 */
@ConfigMapping(prefix = "live-gateway.tool-run")
public interface ToolRunConfig {

    /**
     * Gateway-run calls one tenant may have in flight on this replica; a call beyond it gets an
     * error response ({@code LIMITED}) at once rather than waiting. 1-10000.
     */
    @WithDefault("32")
    int maxConcurrentPerTenant();

    /**
     * Gateway-run calls one tenant may start per second on this replica (a token bucket refilled
     * at this rate); a call beyond it gets an error response ({@code LIMITED}). 1-100000.
     */
    @WithDefault("20")
    int ratePerTenant();

    /** Calls a tenant may start at once above the rate (the bucket's size). At least 1. */
    @WithDefault("40")
    int burstPerTenant();

    /**
     * The longest any one attempt may take, whatever an entry's {@code policy.timeout} says.
     * Positive, at most 10 minutes.
     */
    @WithDefault("60s")
    Duration maxTimeout();

    /**
     * The time all gateway-run calls of one model turn (one {@code toolCall} message) may take
     * together, retries included: a call still running when it is spent is aborted and the model
     * gets a {@code TIMEOUT} error response, so a turn never hangs on the gateway. Positive.
     */
    @WithDefault("30s")
    Duration turnBudget();

    /**
     * Whether {@code GatewayToolStarted.args} carries the arguments to the caller (who owns the
     * conversation). The logs never carry argument values unless {@link #logArguments()}.
     */
    @WithDefault("true")
    boolean eventsIncludeArgs();

    /** Whether the call log lines carry argument values (off: only their names). */
    @WithDefault("false")
    boolean logArguments();

    /**
     * A directory of secret files (a mounted Kubernetes Secret): {@code ${secret:NAME}} reads the
     * environment variable {@code NAME}, else the file {@code NAME} here (its content, trailing
     * newline removed). Unset: environment variables only.
     */
    Optional<Path> secretsDirectory();

    /** The longest wait for an MCP server's tool list when a session resolves its tools. */
    @WithDefault("10s")
    Duration mcpListTimeout();

    /** Every range violation, each naming its property and what is allowed; empty when valid. */
    default List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (maxConcurrentPerTenant() < 1 || maxConcurrentPerTenant() > 10_000) {
            problems.add("live-gateway.tool-run.max-concurrent-per-tenant must be between 1 and 10000, got "
                    + maxConcurrentPerTenant());
        }
        if (ratePerTenant() < 1 || ratePerTenant() > 100_000) {
            problems.add("live-gateway.tool-run.rate-per-tenant must be between 1 and 100000, got " + ratePerTenant());
        }
        if (burstPerTenant() < 1) {
            problems.add("live-gateway.tool-run.burst-per-tenant must be at least 1, got " + burstPerTenant());
        }
        if (maxTimeout().isNegative() || maxTimeout().isZero() || maxTimeout().compareTo(Duration.ofMinutes(10)) > 0) {
            problems.add("live-gateway.tool-run.max-timeout must be positive and at most 10m, got " + maxTimeout());
        }
        if (turnBudget().isNegative() || turnBudget().isZero()) {
            problems.add("live-gateway.tool-run.turn-budget must be positive, got " + turnBudget());
        }
        if (mcpListTimeout().isNegative() || mcpListTimeout().isZero()) {
            problems.add("live-gateway.tool-run.mcp-list-timeout must be positive, got " + mcpListTimeout());
        }
        return problems;
    }
}
