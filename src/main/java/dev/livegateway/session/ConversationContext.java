package dev.livegateway.session;

import dev.livegateway.wire.Content;
import dev.livegateway.wire.Setup;
import dev.livegateway.wire.Tool;
import java.util.List;

/**
 * The system instruction and tools a conversation has now, after its context updates. A new
 * connection of the same Live session (goAway handover, reconnect, resume token on another
 * stream) sends the setup with them, not with those of the first config. Touched only on the
 * session's context.
 */
public final class ConversationContext {

    private Content systemInstruction;
    private boolean instructionChanged;
    private List<Tool> tools;

    /** Records a context update as it is sent: null fields are left unchanged. */
    void updated(Content newSystemInstruction, List<Tool> newTools) {
        if (newSystemInstruction != null) {
            systemInstruction = emptyInstruction(newSystemInstruction) ? null : newSystemInstruction;
            instructionChanged = true;
        }
        if (newTools != null) {
            tools = List.copyOf(newTools);
        }
    }

    /** {@code base} with the current instruction and tools. */
    Setup applyTo(Setup base) {
        if (!instructionChanged && tools == null) {
            return base;
        }
        Content instruction = instructionChanged ? systemInstruction : base.systemInstruction();
        List<Tool> currentTools = tools == null ? base.tools() : (tools.isEmpty() ? null : tools);
        return base.withContext(instruction, currentTools);
    }

    private static boolean emptyInstruction(Content content) {
        return content.parts() == null || content.parts().stream().allMatch(p -> p.text() != null && p.text().isEmpty());
    }
}
