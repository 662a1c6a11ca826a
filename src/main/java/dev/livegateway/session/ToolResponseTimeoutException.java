package dev.livegateway.session;

import java.time.Duration;
import java.util.List;

/**
 * The caller did not answer pending tool calls within {@code live-gateway.session.tool-response-timeout};
 * becomes DEADLINE_EXCEEDED naming the calls.
 */
public final class ToolResponseTimeoutException extends RuntimeException {

    private final List<String> pendingCallIds;

    public ToolResponseTimeoutException(List<String> pendingCallIds, Duration timeout) {
        super("no tool_response for the pending tool call(s) " + pendingCallIds + " within " + timeout.toMillis()
                + " ms (live-gateway.session.tool-response-timeout); answer every tool call with a tool_response "
                + "carrying its id, or ask the operator for a longer timeout");
        this.pendingCallIds = List.copyOf(pendingCallIds);
    }

    public List<String> pendingCallIds() {
        return pendingCallIds;
    }
}
