package dev.livegateway.toolrun;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livegateway.tools.DurationText;
import dev.livegateway.tools.GatewayCallPolicy;
import dev.livegateway.tools.GatewayFunction;
import dev.livegateway.tools.McpToolCatalog;
import dev.livegateway.tools.ToolEntry;
import dev.livegateway.tools.ToolKind;
import dev.livegateway.wire.Tool;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

/**
 * Runs the functions of the registry's gateway-run entries ({@code http}, {@code mcp}) for sessions
 * and for the admin dry run: the tenant's limits first, then attempts under the entry's retries and
 * circuit breaker ({@link EntryGuards}), each within the entry's timeout (capped by
 * {@code live-gateway.tool-run.max-timeout}), the whole call within the caller's deadline (the
 * turn's budget). Every call ends in a {@link CallResult} the model can read. Also the registry's
 * {@link McpToolCatalog}.
 */
@ApplicationScoped
public class GatewayToolCalls implements McpToolCatalog {

    private final Vertx vertx;
    private final ToolRunConfig config;
    private final ToolSecrets secrets;
    private final HttpToolInvoker http;
    private final McpServers mcp;
    private final EntryGuards guards = new EntryGuards();
    private final TenantCallLimits limits;

    GatewayToolCalls(Vertx vertx, ToolRunConfig config) {
        this.vertx = vertx;
        this.config = config;
        this.secrets = new ToolSecrets(vertx, config.secretsDirectory());
        this.http = new HttpToolInvoker(vertx);
        this.mcp = new McpServers(vertx, secrets, config.mcpListTimeout());
        this.limits = new TenantCallLimits(config.maxConcurrentPerTenant(), config.ratePerTenant(),
                config.burstPerTenant());
    }

    /** Fails start-up with every range problem of {@code live-gateway.tool-run}, each naming its property. */
    void validate(@Observes StartupEvent start) {
        List<String> problems = config.problems();
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Invalid tool-run configuration:\n  - " + String.join("\n  - ", problems));
        }
    }

    public ToolRunConfig config() {
        return config;
    }

    @Override
    public Uni<List<Tool.FunctionDeclaration>> functions(ToolEntry entry) {
        return mcp.functions(entry);
    }

    /**
     * Starts {@code function} with {@code args} for {@code tenant} (null: no tenant limits, the admin
     * dry run); {@code done} gets the result exactly once, on any thread, at the latest when
     * {@code deadline} has passed.
     */
    public RunningCall call(String tenant, GatewayFunction function, JsonNode args, Duration deadline,
            Consumer<CallResult> done) {
        CallHandle handle = new CallHandle();
        RunningCall call = new RunningCall(handle, done);
        if (tenant != null) {
            String refusal = limits.acquire(tenant);
            if (refusal != null) {
                call.finish(CallResult.failed(CallOutcome.LIMITED, refusal, 0));
                return call;
            }
        }
        long timer = vertx.setTimer(Math.max(1, deadline.toMillis()), id -> call.abort(CallOutcome.TIMEOUT,
                "the time budget of the turn's gateway-run tool calls (" + deadline.toMillis()
                        + " ms left of live-gateway.tool-run.turn-budget) ran out"));
        call.onFinish(() -> {
            vertx.cancelTimer(timer);
            if (tenant != null) {
                limits.release(tenant);
            }
        });
        ToolEntry entry = function.entry();
        GatewayCallPolicy policy = function.policy();
        Duration timeout = min(DurationText.of(policy.timeout()), config.maxTimeout());
        guards.of(entry, policy).get(() -> attempt(function, args, timeout, policy, handle))
                .subscribe().with(result -> call.finish(CallResult.ok(result, handle.attempts())),
                        failure -> call.finish(result(failure, entry, policy, handle.attempts())));
        return call;
    }

    /** The admin dry run: {@link #call} without tenant limits, within the turn budget. */
    public Uni<CallResult> dryRun(GatewayFunction function, JsonNode args) {
        return Uni.createFrom().emitter(emitter -> call(null, function, args, config.turnBudget(), emitter::complete));
    }

    private Uni<JsonNode> attempt(GatewayFunction function, JsonNode args, Duration timeout, GatewayCallPolicy policy,
            CallHandle handle) {
        ToolEntry entry = function.entry();
        if (entry.kind() == ToolKind.HTTP) {
            return secrets.resolve(entry.definition().http().headers()).chain(headers -> http.attempt(
                    entry.definition().http(), headers, args, timeout, policy.maxResponseBytes(), handle));
        }
        return mcp.attempt(entry, function.name(), args, timeout, handle);
    }

    private static CallResult result(Throwable failure, ToolEntry entry, GatewayCallPolicy policy, int attempts) {
        if (failure instanceof CallFailure f) {
            return CallResult.failed(f.outcome(), f.getMessage(), f.detail(), attempts);
        }
        if (failure instanceof CircuitBreakerOpenException) {
            return CallResult.failed(CallOutcome.CIRCUIT_OPEN, "tool '" + entry.name() + "' failed repeatedly and is"
                    + " paused (circuit breaker open for " + policy.circuitBreaker().delay() + ")", attempts);
        }
        return CallResult.failed(CallOutcome.UNAVAILABLE, "tool '" + entry.name() + "' could not be called: "
                + failure.getClass().getSimpleName(), attempts);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** Gateway-run calls of {@code tenant} in flight on this replica. */
    public int inFlight(String tenant) {
        return limits.inFlight(tenant);
    }

    @PreDestroy
    void close() {
        http.close();
        mcp.close();
    }
}
