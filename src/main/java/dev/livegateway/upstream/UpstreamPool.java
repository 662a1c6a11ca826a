package dev.livegateway.upstream;

import dev.livegateway.config.UpstreamConfig;
import dev.livegateway.config.UpstreamConfig.Mode;
import dev.livegateway.config.UpstreamConfig.TargetFlavour;
import dev.livegateway.quota.Lease;
import dev.livegateway.quota.QuotaExceededException;
import dev.livegateway.quota.QuotaService;
import dev.livegateway.wire.Setup;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The Live API capacity the gateway has, as one pool of targets (projects and regions, Developer
 * API keys, endpoints). A new session goes to a target that serves its model, allows its tenant and
 * has room (a capacity lease in the quota store when the target has {@code max-sessions}), chosen by
 * weight (smooth weighted round-robin) among the targets that answered well recently; a refusal at
 * connect time (HTTP 429/503, close 1011 RESOURCE_EXHAUSTED, an open breaker, an unreachable host)
 * moves it to the next target at once, within the connect budget, and the caller never notices. A
 * conversation stays on its target: resumptions go there only ({@link #resume}), and when that target
 * cannot take it back the session ends with {@link UpstreamException.TargetUnavailable}. Without
 * {@code live-gateway.upstream.targets} the single upstream is a pool of one, named {@value #DEFAULT_TARGET}.
 */
@ApplicationScoped
public class UpstreamPool {

    private static final Logger LOG = Logger.getLogger(UpstreamPool.class);
    /** The name of the single upstream's target. */
    public static final String DEFAULT_TARGET = "default";
    /** The quota pool of a target's capacity leases. */
    static final String CAPACITY_POOL_PREFIX = "upstream-target/";

    private final LiveConnector connector;
    private final UpstreamConfig config;
    private final GoogleAccessTokens defaultTokens;
    private final QuotaService quota;
    private final boolean pooled;
    private final Map<String, UpstreamTarget> targets = new LinkedHashMap<>();
    private final List<Consumer<UpstreamTarget>> addedWatchers = new CopyOnWriteArrayList<>();
    private final List<Consumer<UpstreamTarget>> removedWatchers = new CopyOnWriteArrayList<>();

    UpstreamPool(LiveConnector connector, LiveEndpoints endpoints, UpstreamConfig config,
            GoogleAccessTokens defaultTokens, QuotaService quota) {
        this.connector = connector;
        this.config = config;
        this.defaultTokens = defaultTokens;
        this.quota = quota;
        this.pooled = endpoints.pooled();
        if (pooled) {
            endpoints.validate();
            endpoints.targetSpecs().forEach(spec -> targets.put(spec.name(), build(spec)));
        } else {
            targets.put(DEFAULT_TARGET, single(endpoints));
        }
    }

    /** The single upstream as the pool's one target: its endpoint, credentials and breaker as before pools. */
    private UpstreamTarget single(LiveEndpoints endpoints) {
        Optional<Mode> mode = config.mode();
        TargetFlavour flavour = mode.map(m -> switch (m) {
            case VERTEX -> TargetFlavour.VERTEX;
            case GEMINI -> TargetFlavour.DEVELOPER;
            case EMULATOR -> TargetFlavour.ENDPOINT;
        }).orElse(TargetFlavour.ENDPOINT);
        TargetSpec spec = new TargetSpec(DEFAULT_TARGET, flavour, config.vertex().project(), config.vertex().location(),
                Optional.of(mode.orElse(Mode.EMULATOR) == Mode.GEMINI ? config.gemini().apiVersion()
                        : config.vertex().apiVersion()),
                config.vertex().credentialsFile(), Optional.empty(), Optional.empty(), config.endpoint(), 1,
                OptionalInt.empty(), Set.of(), Set.of());
        TargetCredentials credentials = headers -> switch (endpoints.mode()) {
            case GEMINI -> TargetCredentials.apiKey(() -> config.gemini().apiKey().orElseThrow()).addTo(headers);
            case VERTEX -> TargetCredentials.google(defaultTokens).addTo(headers);
            case EMULATOR -> TargetCredentials.NONE.addTo(headers);
        };
        return new UpstreamTarget(spec, endpoints::endpoint, credentials, connector.breakerFor(LiveConnector.BREAKER));
    }

    private UpstreamTarget build(TargetSpec spec) {
        LiveEndpoint endpoint = LiveEndpoints.of(spec);
        TargetCredentials credentials = switch (spec.flavour()) {
            case VERTEX -> TargetCredentials.google(new GoogleAccessTokens(spec.credentialsFile(),
                    config.vertex().tokenRefreshMargin(), spec.keyPrefix() + "credentials-file"));
            case DEVELOPER -> TargetCredentials.apiKey(() -> spec.resolvedApiKey().orElseThrow(
                    () -> new UpstreamException.CredentialsFailed(spec.keyPrefix() + "api-key-env names no key")));
            case ENDPOINT -> TargetCredentials.NONE;
        };
        return new UpstreamTarget(spec, () -> endpoint, credentials,
                connector.breakerFor(LiveConnector.BREAKER + "/" + spec.name()));
    }

    /** Whether the pool is made of named targets ({@code live-gateway.upstream.targets} or added ones). */
    public boolean pooled() {
        return pooled;
    }

    // ---- placing and resuming ------------------------------------------------------------------

    /**
     * Places a session and opens its first connection: on the target holding its conversation when
     * {@code request} names one (resumed from a token), else on the best target that takes it,
     * failing over to the next on a refusal; passes are retried under the reconnection policy.
     */
    public Uni<Placement> open(PlacementRequest request, Setup setup, Context context) {
        if (request.stickyTarget() != null) {
            return openSticky(request, setup, context);
        }
        String modelId = TargetSetup.modelId(setup.model());
        return connector.connecting(() -> {
            List<UpstreamTarget> candidates = candidates(request.tenant(), modelId, setup);
            if (candidates.isEmpty()) {
                return Uni.createFrom().failure(new UpstreamException.NoTargetAvailable("no upstream target takes"
                        + " sessions of model " + modelId + " for tenant " + request.tenant() + " now (targets: "
                        + describeTargets() + "); retry later", false, null));
            }
            return tryCandidate(candidates, 0, request, setup, context, null);
        });
    }

    private Uni<Placement> tryCandidate(List<UpstreamTarget> candidates, int index, PlacementRequest request,
            Setup setup, Context context, Throwable lastRefusal) {
        if (index >= candidates.size()) {
            return Uni.createFrom().failure(lastRefusal != null ? lastRefusal
                    : new UpstreamException.NoTargetAvailable("every upstream target that takes this session is at"
                            + " its max-sessions (" + describeTargets() + "); retry later", true, null));
        }
        UpstreamTarget target = candidates.get(index);
        Setup forTarget = pooled ? TargetSetup.forTarget(setup, target) : setup;
        return capacity(target, request.sessionId(), forTarget.model()).chain(capacity -> {
            if (capacity.full()) {
                LOG.debugf("upstream target %s is at its max-sessions", target.name());
                return tryCandidate(candidates, index + 1, request, setup, context, lastRefusal);
            }
            return attempt(target, forTarget, capacity.lease(), context).onFailure().recoverWithUni(failure -> {
                if (!failsOver(failure) || index + 1 >= candidates.size()) {
                    return Uni.createFrom().failure(failure);
                }
                target.failedOver();
                LOG.infof("upstream target %s refused the session (%s); placing it on %s", target.name(),
                        failure.getMessage(), candidates.get(index + 1).name());
                return tryCandidate(candidates, index + 1, request, setup, context, failure);
            });
        });
    }

    /** A session resumed from a token goes back to the target holding its conversation, or fails. */
    private Uni<Placement> openSticky(PlacementRequest request, Setup setup, Context context) {
        UpstreamTarget target = find(request.stickyTarget()).orElse(null);
        if (target == null) {
            return Uni.createFrom().failure(gone(request.stickyTarget()));
        }
        Setup forTarget = pooled ? TargetSetup.forTarget(setup, target) : setup;
        Uni<Placement> placed = connector.connecting(() -> target.removed() ? Uni.createFrom().failure(gone(target.name()))
                : capacity(target, request.sessionId(), forTarget.model()).chain(capacity -> capacity.full()
                        ? Uni.createFrom().failure(new UpstreamException.NoTargetAvailable("the upstream target '"
                                + target.name() + "' that holds this conversation is at its max-sessions ("
                                + target.spec().maxSessions().orElse(0) + "); retry later with the resume token",
                                true, null))
                        : attempt(target, forTarget, capacity.lease(), context)));
        return pooled ? placed.onFailure(UpstreamPool::unavailableFault).transform(f -> unavailable(target, f)) : placed;
    }

    /**
     * The next connection of a session that moves (goAway, drop, stall): on its own target only,
     * retried until the resume deadline; then {@link UpstreamException.TargetUnavailable} (pooled).
     */
    public Uni<LiveConnection> resume(Placement placement, Setup setup, Context context) {
        UpstreamTarget target = placement.target();
        Setup forTarget = pooled ? TargetSetup.forTarget(setup, target) : setup;
        Uni<LiveConnection> resumed = connector.resuming(() -> target.removed()
                ? Uni.createFrom().failure(gone(target.name()))
                : observed(target, connector.attempt(target, forTarget, context)));
        return pooled ? resumed.onFailure(UpstreamPool::unavailableFault).transform(f -> unavailable(target, f))
                : resumed;
    }

    private Uni<Placement> attempt(UpstreamTarget target, Setup setup, Lease lease, Context context) {
        target.sessionCount().incrementAndGet();
        return observed(target, connector.attempt(target, setup, context))
                .map(connection -> {
                    target.placed();
                    return new Placement(target, setup.model(), connection, lease);
                })
                .onFailure().invoke(failure -> {
                    target.sessionCount().decrementAndGet();
                    if (lease != null) {
                        lease.release();
                    }
                });
    }

    /** Notes the attempt's outcome in the target's health. */
    private static Uni<LiveConnection> observed(UpstreamTarget target, Uni<LiveConnection> attempt) {
        long started = System.nanoTime();
        return attempt
                .invoke(connection -> target.health().succeeded(Duration.ofNanos(System.nanoTime() - started)))
                .onFailure().invoke(failure -> {
                    if (failsOver(failure)) {
                        target.refused();
                        target.health().failed(failure.getMessage() == null ? failure.getClass().getSimpleName()
                                : failure.getMessage());
                    }
                });
    }

    /**
     * A refusal another target may not share: the target's own faults (unreachable, 5xx, 429, an
     * open breaker, a timeout), its quota (close 1011 RESOURCE_EXHAUSTED) and its credentials (no
     * token, HTTP 401/403 at the upgrade). A refusal of the request itself (1007 invalid argument,
     * 1008) would be the same everywhere.
     */
    static boolean failsOver(Throwable failure) {
        if (failure instanceof UpstreamException.Closed closed && closed.close().resourceExhausted()) {
            return true;
        }
        if (failure instanceof UpstreamException.CredentialsFailed
                || failure instanceof UpstreamException.HandshakeRejected rejected
                        && (rejected.httpStatus() == 401 || rejected.httpStatus() == 403)) {
            return true;
        }
        return !(failure instanceof UpstreamException.TargetUnavailable) && LiveConnector.endpointFault(failure);
    }

    private static boolean unavailableFault(Throwable failure) {
        return !(failure instanceof UpstreamException.TargetUnavailable) && LiveConnector.endpointFault(failure);
    }

    private UpstreamException.TargetUnavailable unavailable(UpstreamTarget target, Throwable cause) {
        return new UpstreamException.TargetUnavailable(target.name(), "the upstream target '" + target.name()
                + "' that holds this conversation did not take it back within the reconnection policy's deadline ("
                + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage())
                + "); the conversation cannot move to another target without losing its context", cause);
    }

    private static UpstreamException.TargetUnavailable gone(String name) {
        return new UpstreamException.TargetUnavailable(name, "the upstream target '" + name + "' that holds this"
                + " conversation was removed from the pool; the conversation cannot move to another target without"
                + " losing its context", null);
    }

    /** A target's room for one more session: a lease when it has max-sessions, else nothing to take. */
    private record Capacity(Lease lease, boolean full) {
        static final Capacity UNLIMITED = new Capacity(null, false);
        static final Capacity FULL = new Capacity(null, true);
    }

    private Uni<Capacity> capacity(UpstreamTarget target, String sessionId, String model) {
        OptionalInt max = target.spec().maxSessions();
        if (max.isEmpty()) {
            return Uni.createFrom().item(Capacity.UNLIMITED);
        }
        return quota.holdCapacity(sessionId + "@" + target.name(), CAPACITY_POOL_PREFIX + target.name(),
                        max.getAsInt(), model)
                .map(lease -> new Capacity(lease, false))
                .onFailure(QuotaExceededException.class).recoverWithItem(Capacity.FULL);
    }

    // ---- ranking --------------------------------------------------------------------------------

    /**
     * The targets that take the session, best first: one chosen by weight among those that answered
     * well recently (smooth weighted round-robin, so the spread follows the weights exactly), then
     * the other healthy ones, then the rest, each by weight.
     */
    synchronized List<UpstreamTarget> candidates(String tenant, String modelId, Setup setup) {
        List<UpstreamTarget> eligible = targets.values().stream()
                .filter(t -> t.takes(tenant, modelId) && TargetSetup.supports(setup, t)).toList();
        if (eligible.isEmpty()) {
            return eligible;
        }
        List<UpstreamTarget> healthy = eligible.stream()
                .filter(t -> t.health().recentlyHealthy() && t.breaker().state() != CircuitBreakerState.OPEN).toList();
        List<UpstreamTarget> pickFrom = healthy.isEmpty() ? eligible : healthy;
        UpstreamTarget first = null;
        int total = 0;
        for (UpstreamTarget t : pickFrom) {
            t.currentWeight += t.spec().weight();
            total += t.spec().weight();
            if (first == null || t.currentWeight > first.currentWeight) {
                first = t;
            }
        }
        first.currentWeight -= total;
        Comparator<UpstreamTarget> byWeight = Comparator.comparingInt((UpstreamTarget t) -> -t.spec().weight());
        List<UpstreamTarget> ranked = new ArrayList<>(eligible.size());
        ranked.add(first);
        healthy.stream().filter(t -> !ranked.contains(t)).sorted(byWeight).forEach(ranked::add);
        eligible.stream().filter(t -> !ranked.contains(t)).sorted(byWeight).forEach(ranked::add);
        return ranked;
    }

    /**
     * The target a new session's setup is planned for: the first (in name order) that serves the
     * model and tenant, not drained if one is; the session may still be placed on another.
     *
     * @throws IllegalArgumentException naming the models the pool serves for the tenant
     */
    public synchronized LiveEndpoint planningEndpoint(String tenant, String modelId) {
        List<UpstreamTarget> serving = targets.values().stream()
                .filter(t -> !t.removed() && t.spec().servesModel(modelId) && t.spec().allowsTenant(tenant)).toList();
        if (serving.isEmpty()) {
            throw new IllegalArgumentException("no upstream target serves model '" + modelId + "' for tenant '"
                    + tenant + "'; the pool serves " + servedModels(tenant));
        }
        return serving.stream().filter(t -> !t.draining()).findFirst().orElse(serving.get(0)).endpoint();
    }

    private String servedModels(String tenant) {
        List<String> served = new ArrayList<>();
        for (UpstreamTarget t : targets.values()) {
            if (t.spec().allowsTenant(tenant)) {
                served.add(t.spec().models().isEmpty() ? "every model (" + t.name() + ")"
                        : t.spec().models() + " (" + t.name() + ")");
            }
        }
        return served.isEmpty() ? "no model to this tenant" : String.join(", ", served);
    }

    private synchronized String describeTargets() {
        List<String> parts = new ArrayList<>();
        for (UpstreamTarget t : targets.values()) {
            parts.add(t.name() + (t.draining() ? " draining" : "") + t.spec().maxSessions().stream()
                    .mapToObj(max -> " max " + max).findFirst().orElse(""));
        }
        return String.join(", ", parts);
    }

    // ---- administration -------------------------------------------------------------------------

    /** The targets, in the order they were configured or added. */
    public synchronized List<UpstreamTarget> targets() {
        return List.copyOf(targets.values());
    }

    public synchronized Optional<UpstreamTarget> find(String name) {
        return Optional.ofNullable(targets.get(name));
    }

    /** Drains a target (no new sessions; its sessions finish and may still resume on it) or undrains it. */
    public Optional<UpstreamTarget> drain(String name, boolean draining) {
        Optional<UpstreamTarget> target = find(name);
        target.ifPresent(t -> {
            t.draining(draining);
            LOG.infof("upstream target %s %s", name, draining ? "drained: it takes no new sessions" : "takes sessions again");
        });
        return target;
    }

    /**
     * Adds a target at run time (this replica, until restart).
     *
     * @throws IllegalArgumentException with every problem of {@code spec}, or when the name is taken
     */
    public UpstreamTarget add(TargetSpec spec) {
        List<String> problems = spec.problems();
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        UpstreamTarget target = build(spec);
        synchronized (this) {
            if (targets.containsKey(spec.name())) {
                throw new IllegalStateException("an upstream target named '" + spec.name() + "' exists; remove it first");
            }
            targets.put(spec.name(), target);
        }
        LOG.infof("upstream target added: %s", spec);
        addedWatchers.forEach(w -> w.accept(target));
        return target;
    }

    /** Removes a target: no new sessions; its sessions keep their connections, but cannot resume on it. */
    public Optional<UpstreamTarget> remove(String name) {
        UpstreamTarget removed;
        synchronized (this) {
            removed = targets.remove(name);
        }
        if (removed != null) {
            removed.remove();
            LOG.infof("upstream target removed: %s (%d sessions keep their connections)", name, removed.sessions());
            removedWatchers.forEach(w -> w.accept(removed));
        }
        return Optional.ofNullable(removed);
    }

    /** Calls {@code added} for every target now and every one added later, {@code removed} for each removed. */
    public void watch(Consumer<UpstreamTarget> added, Consumer<UpstreamTarget> removed) {
        addedWatchers.add(added);
        removedWatchers.add(removed);
        targets().forEach(added);
    }

    /**
     * Sessions on a target across every replica sharing the lease store, when it has max-sessions
     * (its capacity leases); else this replica's.
     */
    public Uni<Integer> sessionsEverywhere(UpstreamTarget target) {
        if (target.spec().maxSessions().isEmpty()) {
            return Uni.createFrom().item(target.sessions());
        }
        return quota.poolUsage(CAPACITY_POOL_PREFIX + target.name());
    }
}
