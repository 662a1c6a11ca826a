package dev.livegateway.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.google.protobuf.util.Durations;
import dev.livegateway.api.v1.FunctionCall;
import dev.livegateway.api.v1.GatewayToolFinished;
import dev.livegateway.api.v1.GatewayToolOutcome;
import dev.livegateway.api.v1.GatewayToolStarted;
import dev.livegateway.api.v1.ServerEvent;
import dev.livegateway.api.v1.ToolCall;
import dev.livegateway.api.v1.ToolCallCancellation;
import dev.livegateway.toolrun.CallOutcome;
import dev.livegateway.toolrun.CallResult;
import dev.livegateway.toolrun.RunningCall;
import dev.livegateway.tools.GatewayFunction;
import dev.livegateway.wire.ClientMessage;
import dev.livegateway.wire.ServerMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The session's side of the functions the gateway runs itself (registry {@code http} and
 * {@code mcp} entries): when the model calls one, the call starts at once (BLOCKING and
 * NON_BLOCKING alike: the Live API takes each response by id), the caller is told
 * ({@code GatewayToolStarted}, then {@code GatewayToolFinished} with what the model received and
 * the duration) and sees only its own calls in {@code ToolCall}; the response, or an error response
 * the model can explain, goes to the Live API through the session's input path, so a response due
 * while the session moves is held and delivered once, on the new connection. A
 * {@code toolCallCancellation} aborts the request (the model gets nothing); all the gateway-run
 * calls of one model turn share {@code live-gateway.tool-run.turn-budget}. Logs name the call, never
 * argument values (unless {@code log-arguments}). Used on the session's context only.
 */
final class GatewayToolRunner {

    private static final Logger LOG = Logger.getLogger(GatewayToolRunner.class);
    private static final int REMEMBERED_IDS = 256;

    private record InFlight(String id, String name, GatewayFunction function, boolean nonBlocking, long startedNanos,
            RunningCall[] running) {}

    private final LiveSession session;
    private final SessionContext context;
    private final GatewayTools tools;
    private final ModelRules rules;
    private final SessionObserver observer;
    private final Consumer<ClientMessage> toModel;
    private Map<String, GatewayFunction> functions;
    private final Map<String, InFlight> inFlight = new LinkedHashMap<>();
    /** Ids of gateway-run calls, to keep them out of the caller's cancellations (bounded). */
    private final Set<String> gatewayIds = new LinkedHashSet<>();
    /** When the current model turn's first gateway-run call started (System.nanoTime), or 0. */
    private long turnStartedNanos;

    GatewayToolRunner(LiveSession session, SessionContext context, GatewayTools tools, ModelRules rules,
            SessionObserver observer, Consumer<ClientMessage> toModel) {
        this.session = session;
        this.context = context;
        this.tools = tools;
        this.rules = rules;
        this.observer = observer;
        this.toModel = toModel;
        this.functions = tools.functions();
    }

    /** A context update swapped the tools: these are the gateway-run functions from now on. */
    void declared(Map<String, GatewayFunction> newFunctions) {
        functions = Map.copyOf(newFunctions);
    }

    int inFlight() {
        return inFlight.size();
    }

    /** Starts the gateway-run calls of {@code message}, aborts cancelled ones, and ends the turn's budget at turnComplete. */
    void note(ServerMessage message) {
        if (message.toolCall() != null && message.toolCall().functionCalls() != null && tools.calls() != null) {
            for (ServerMessage.FunctionCall call : message.toolCall().functionCalls()) {
                GatewayFunction function = call.name() == null ? null : functions.get(call.name());
                if (function != null && call.id() != null) {
                    start(call, function);
                }
            }
        }
        if (message.toolCallCancellation() != null && message.toolCallCancellation().ids() != null) {
            for (String id : message.toolCallCancellation().ids()) {
                InFlight f = inFlight.get(id);
                if (f != null && f.running()[0] != null) {
                    f.running()[0].cancel();
                }
            }
        }
        if (message.serverContent() != null && Boolean.TRUE.equals(message.serverContent().turnComplete())) {
            turnStartedNanos = 0;
        }
    }

    /** {@code toCaller} behind {@link #forCaller}. */
    Consumer<ServerEvent> callerView(Consumer<ServerEvent> toCaller) {
        return event -> {
            ServerEvent seen = forCaller(event);
            if (seen != null) {
                toCaller.accept(seen);
            }
        };
    }

    /** The caller's view of {@code event}: its ToolCall and ToolCallCancellation without the gateway's calls (null: nothing left). */
    ServerEvent forCaller(ServerEvent event) {
        if (event.hasToolCall()) {
            List<FunctionCall> callers = event.getToolCall().getFunctionCallsList().stream()
                    .filter(c -> !functions.containsKey(c.getName()) || tools.calls() == null).toList();
            if (callers.size() == event.getToolCall().getFunctionCallsCount()) {
                return event;
            }
            return callers.isEmpty() ? null
                    : ServerEvent.newBuilder().setToolCall(ToolCall.newBuilder().addAllFunctionCalls(callers)).build();
        }
        if (event.hasToolCallCancellation()) {
            List<String> ids = event.getToolCallCancellation().getIdsList().stream()
                    .filter(id -> !gatewayIds.contains(id)).toList();
            if (ids.size() == event.getToolCallCancellation().getIdsCount()) {
                return event;
            }
            return ids.isEmpty() ? null : ServerEvent.newBuilder()
                    .setToolCallCancellation(ToolCallCancellation.newBuilder().addAllIds(ids)).build();
        }
        return event;
    }

    private void start(ServerMessage.FunctionCall call, GatewayFunction function) {
        long now = System.nanoTime();
        if (turnStartedNanos == 0) {
            turnStartedNanos = now;
        }
        Duration budget = tools.calls().config().turnBudget().minus(Duration.ofNanos(now - turnStartedNanos));
        boolean nonBlocking = rules.nonBlocking(function.behavior() == null ? null : function.behavior().name());
        InFlight f = new InFlight(call.id(), call.name(), function, nonBlocking, now, new RunningCall[1]);
        inFlight.put(call.id(), f);
        remember(call.id());
        JsonNode args = call.args() == null ? JsonNodeFactory.instance.objectNode() : call.args();
        GatewayToolStarted.Builder started = GatewayToolStarted.newBuilder().setId(call.id()).setName(call.name())
                .setTool(function.entry().name()).setToolVersion(function.entry().version()).setNonBlocking(nonBlocking);
        if (tools.calls().config().eventsIncludeArgs() && args.isObject()) {
            started.setArgs(StructJson.toStruct(args));
        }
        session.send(ServerEvent.newBuilder().setGatewayToolStarted(started).build());
        observer.gatewayToolStarted(session, function, call.id());
        LOG.infof("gateway tool call %s started: tool=%s v%d function=%s %s=%s", call.id(), function.entry().name(),
                function.entry().version(), call.name(), tools.calls().config().logArguments() ? "args" : "argNames",
                tools.calls().config().logArguments() ? args : argNames(args));
        if (budget.isNegative() || budget.isZero()) {
            finished(f, CallResult.failed(CallOutcome.TIMEOUT, "the time budget of the turn's gateway-run tool calls"
                    + " (live-gateway.tool-run.turn-budget) is spent", 0));
            return;
        }
        f.running()[0] = tools.calls().call(session.plan().tenant(), function, args, budget,
                result -> context.later(() -> finished(f, result)));
    }

    private void finished(InFlight f, CallResult result) {
        if (inFlight.remove(f.id()) == null) {
            return;
        }
        Duration took = Duration.ofNanos(System.nanoTime() - f.startedNanos());
        boolean cancelled = result.outcome() == CallOutcome.CANCELLED;
        if (!cancelled && !session.isEnded()) {
            String scheduling = f.nonBlocking() ? f.function().policy().scheduling() : null;
            toModel.accept(ClientMessage.of(new ClientMessage.ToolResponse(List.of(
                    new ClientMessage.FunctionResponse(f.id(), f.name(), result.response(), scheduling, null)))));
        }
        GatewayToolFinished.Builder finished = GatewayToolFinished.newBuilder().setId(f.id()).setName(f.name())
                .setTool(f.function().entry().name()).setOutcome(outcome(result.outcome()))
                .setError(result.error() == null ? "" : result.error()).setDuration(Durations.fromNanos(took.toNanos()))
                .setAttempts(result.attempts());
        if (!cancelled) {
            finished.setResponse(StructJson.toStruct(result.response()));
        }
        if (!session.isEnded()) {
            session.send(ServerEvent.newBuilder().setGatewayToolFinished(finished).build());
        }
        observer.gatewayToolFinished(session, f.function(), f.id(), result, took);
        if (result.ok()) {
            LOG.infof("gateway tool call %s finished: tool=%s function=%s ok in %d ms (%d attempts)", f.id(),
                    f.function().entry().name(), f.name(), took.toMillis(), result.attempts());
        } else {
            LOG.warnf("gateway tool call %s failed: tool=%s function=%s %s in %d ms (%d attempts): %s", f.id(),
                    f.function().entry().name(), f.name(), result.outcome().tag(), took.toMillis(), result.attempts(),
                    result.error());
        }
    }

    /** The session ended: every call in flight is aborted (the model is gone; nothing is answered). */
    void endAll() {
        for (InFlight f : new ArrayList<>(inFlight.values())) {
            if (f.running()[0] != null) {
                f.running()[0].cancel();
            }
        }
    }

    private void remember(String id) {
        gatewayIds.add(id);
        if (gatewayIds.size() > REMEMBERED_IDS) {
            Iterator<String> oldest = gatewayIds.iterator();
            oldest.next();
            oldest.remove();
        }
    }

    private static List<String> argNames(JsonNode args) {
        List<String> names = new ArrayList<>();
        args.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static GatewayToolOutcome outcome(CallOutcome outcome) {
        return GatewayToolOutcome.valueOf("GATEWAY_TOOL_OUTCOME_" + outcome.name());
    }
}
