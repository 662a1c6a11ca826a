package dev.livegateway.session;

import dev.livegateway.api.v1.AudioChunk;
import dev.livegateway.api.v1.ClientEvent;
import dev.livegateway.api.v1.ClientTurn;
import dev.livegateway.api.v1.ContextUpdate;
import dev.livegateway.api.v1.ToolReference;
import dev.livegateway.api.v1.FunctionResponse;
import dev.livegateway.api.v1.Part;
import dev.livegateway.api.v1.Turn;
import dev.livegateway.api.v1.VideoFrame;
import dev.livegateway.config.LimitsConfig;
import dev.livegateway.wire.ClientMessage;
import dev.livegateway.wire.ClientMessage.RealtimeInput;
import dev.livegateway.tools.ToolRef;
import dev.livegateway.wire.Content;
import dev.livegateway.wire.Tool;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Validates a caller event (after the config) and turns it into one Live API client message.
 * Audio and video stay raw bytes until the wire writer base64-encodes them.
 */
public final class ClientEventTranslator {

    public static final Set<Integer> SAMPLE_RATES = Set.of(8000, 16000, 24000, 32000, 44100, 48000);
    public static final int DEFAULT_INPUT_RATE = 16000;
    private static final int MAX_FUNCTION_RESPONSES = 128;

    private final LimitsConfig limits;
    private final boolean manualActivity;
    private final Map<ClientEvent, List<Tool>> resolvedContextTools = new IdentityHashMap<>();

    private final ConversationContext context;

    public ClientEventTranslator(LimitsConfig limits, boolean manualActivity) {
        this(limits, manualActivity, new ConversationContext());
    }

    /** {@code context} learns every context update translated, for the setup of later connections. */
    public ClientEventTranslator(LimitsConfig limits, boolean manualActivity, ConversationContext context) {
        this.limits = limits;
        this.manualActivity = manualActivity;
        this.context = context;
    }

    public ClientMessage translate(ClientEvent event) {
        return switch (event.getEventCase()) {
            case AUDIO -> ClientMessage.of(RealtimeInput.audio(audio(event.getAudio())));
            case VIDEO -> ClientMessage.of(RealtimeInput.video(video(event.getVideo())));
            case TEXT -> ClientMessage.of(RealtimeInput.text(text("text.text", event.getText().getText())));
            case TURN -> ClientMessage.of(turn(event.getTurn()));
            case ACTIVITY_START -> {
                requireManual("activity_start");
                yield ClientMessage.of(RealtimeInput.startOfActivity());
            }
            case ACTIVITY_END -> {
                requireManual("activity_end");
                yield ClientMessage.of(RealtimeInput.endOfActivity());
            }
            case AUDIO_STREAM_END -> {
                if (manualActivity) {
                    throw new InvalidClientEventException("audio_stream_end", "only allowed with automatic activity"
                            + " detection; with it disabled, end the turn with activity_end");
                }
                yield ClientMessage.of(RealtimeInput.endOfAudioStream());
            }
            case TOOL_RESPONSE -> ClientMessage.of(toolResponse(event.getToolResponse().getFunctionResponsesList()));
            case CONTEXT_UPDATE -> ClientMessage.of(contextUpdate(event));
            case CONFIG -> throw new InvalidClientEventException("config",
                    "the session is already configured; config is only allowed in the first event");
            case EVENT_NOT_SET -> throw new InvalidClientEventException("event",
                    "no event set; set one of audio, video, text, turn, activity_start, activity_end,"
                            + " audio_stream_end, tool_response, context_update");
        };
    }

    /**
     * The registry tools of {@code event} (a context update naming tools), resolved by the gRPC
     * layer before the event reaches the session; {@link #translate} takes them.
     */
    public void resolvedContextTools(ClientEvent event, List<Tool> tools) {
        resolvedContextTools.put(event, List.copyOf(tools));
    }

    /** Checks a context update before its tools are resolved; returns the registry tools it names. */
    public static List<ToolRef> contextToolRefs(ContextUpdate update) {
        if (!update.hasSystemInstruction() && !update.hasTools()) {
            throw new InvalidClientEventException("context_update", "nothing to update; set system_instruction"
                    + " and/or tools");
        }
        if (!update.hasTools()) {
            return List.of();
        }
        List<ToolRef> refs = new ArrayList<>(update.getTools().getToolsCount());
        for (int i = 0; i < update.getTools().getToolsCount(); i++) {
            ToolReference tool = update.getTools().getTools(i);
            String field = "context_update.tools.tools[" + i + "]";
            if (tool.getName().isBlank()) {
                throw new InvalidClientEventException(field + ".name", "empty; name a tool configuration of the"
                        + " registry");
            }
            if (tool.getVersion() < 0) {
                throw new InvalidClientEventException(field + ".version", "must be 0 (current) or a registry"
                        + " version, got " + tool.getVersion());
            }
            refs.add(new ToolRef(tool.getName(), tool.getVersion()));
        }
        return refs;
    }

    private ClientMessage.ContextUpdate contextUpdate(ClientEvent event) {
        ContextUpdate update = event.getContextUpdate();
        List<ToolRef> refs = contextToolRefs(update);
        Content instruction = null;
        if (update.hasSystemInstruction()) {
            String text = update.getSystemInstruction();
            if (text.length() > limits.maxTextChars()) {
                throw new InvalidClientEventException("context_update.system_instruction", "at most "
                        + limits.maxTextChars() + " characters, got " + text.length());
            }
            // An empty instruction clears it; the Live API takes a content with one empty text part.
            instruction = new Content(null, List.of(Content.Part.text(text)));
        }
        ClientMessage.ContextUpdateTools tools = null;
        if (update.hasTools()) {
            List<Tool> resolved = resolvedContextTools.remove(event);
            if (resolved == null) {
                if (!refs.isEmpty()) {
                    throw new IllegalStateException("context_update tools were not resolved before translation");
                }
                resolved = List.of();
            }
            tools = new ClientMessage.ContextUpdateTools(resolved);
        }
        context.updated(instruction, tools == null ? null : tools.tools());
        return new ClientMessage.ContextUpdate(instruction, tools);
    }

    private void requireManual(String field) {
        if (!manualActivity) {
            throw new InvalidClientEventException(field, "only allowed when"
                    + " config.realtime_input.automatic_activity_detection.disabled is true");
        }
    }

    private Content.Blob audio(AudioChunk chunk) {
        int rate = chunk.getSampleRateHz() == 0 ? DEFAULT_INPUT_RATE : chunk.getSampleRateHz();
        if (!SAMPLE_RATES.contains(rate)) {
            throw new InvalidClientEventException("audio.sample_rate_hz", "unsupported rate " + rate
                    + " Hz; allowed: 8000, 16000 (native), 24000, 32000, 44100, 48000");
        }
        int size = chunk.getData().size();
        if (size == 0) {
            throw new InvalidClientEventException("audio.data", "empty; send PCM16 little-endian samples");
        }
        if (size > limits.maxAudioChunkBytes()) {
            throw new InvalidClientEventException("audio.data", size + " bytes is over the limit of "
                    + limits.maxAudioChunkBytes() + " bytes per chunk; send 20-100 ms chunks");
        }
        if (size % 2 != 0) {
            throw new InvalidClientEventException("audio.data", "odd length " + size
                    + "; PCM16 needs a whole number of 2-byte samples");
        }
        return new Content.Blob("audio/pcm;rate=" + rate, chunk.getData().toByteArray());
    }

    private Content.Blob video(VideoFrame frame) {
        byte[] data = frame.getData().toByteArray();
        if (data.length == 0) {
            throw new InvalidClientEventException("video.data", "empty; send one JPEG or PNG image");
        }
        if (data.length > limits.maxVideoFrameBytes()) {
            throw new InvalidClientEventException("video.data", data.length + " bytes is over the limit of "
                    + limits.maxVideoFrameBytes() + " bytes per frame");
        }
        String detected = imageType(data);
        if (detected == null) {
            throw new InvalidClientEventException("video.data", "not a JPEG or PNG image (unknown signature)");
        }
        String declared = frame.getMimeType().strip();
        if (!declared.isEmpty() && !declared.equalsIgnoreCase(detected)) {
            throw new InvalidClientEventException("video.mime_type", "'" + SetupTranslator.abbreviate(declared)
                    + "' does not match the image, which is " + detected + "; allowed: image/jpeg, image/png");
        }
        return new Content.Blob(detected, data);
    }

    /** The image type from its signature bytes, or null. */
    static String imageType(byte[] data) {
        if (data.length >= 3 && (data[0] & 0xff) == 0xFF && (data[1] & 0xff) == 0xD8 && (data[2] & 0xff) == 0xFF) {
            return "image/jpeg";
        }
        if (data.length >= 8 && (data[0] & 0xff) == 0x89 && data[1] == 'P' && data[2] == 'N' && data[3] == 'G'
                && data[4] == 0x0D && data[5] == 0x0A && data[6] == 0x1A && data[7] == 0x0A) {
            return "image/png";
        }
        return null;
    }

    private String text(String field, String text) {
        if (text.isEmpty()) {
            throw new InvalidClientEventException(field, "empty");
        }
        if (text.length() > limits.maxTextChars()) {
            throw new InvalidClientEventException(field, "at most " + limits.maxTextChars() + " characters, got "
                    + text.length());
        }
        return text;
    }

    private ClientMessage.ClientContent turn(ClientTurn turn) {
        if (turn.getTurnsCount() == 0 && !turn.getTurnComplete()) {
            throw new InvalidClientEventException("turn.turns", "no turns and turn_complete is false: nothing to do");
        }
        List<Content> turns = new ArrayList<>(turn.getTurnsCount());
        for (int i = 0; i < turn.getTurnsCount(); i++) {
            Turn t = turn.getTurns(i);
            String field = "turn.turns[" + i + "]";
            String role = switch (t.getRole()) {
                case ROLE_UNSPECIFIED, ROLE_USER -> "user";
                case ROLE_MODEL -> "model";
                case UNRECOGNIZED -> throw new InvalidClientEventException(field + ".role",
                        "unknown value; allowed: ROLE_USER, ROLE_MODEL");
            };
            if (t.getPartsCount() == 0) {
                throw new InvalidClientEventException(field + ".parts", "empty; a turn needs at least one part");
            }
            List<Content.Part> parts = new ArrayList<>(t.getPartsCount());
            for (int j = 0; j < t.getPartsCount(); j++) {
                parts.add(part(field + ".parts[" + j + "]", t.getParts(j)));
            }
            turns.add(new Content(role, parts));
        }
        return new ClientMessage.ClientContent(turns.isEmpty() ? null : turns, turn.getTurnComplete());
    }

    private Content.Part part(String field, Part part) {
        return switch (part.getContentCase()) {
            case TEXT -> Content.Part.text(text(field + ".text", part.getText()));
            case INLINE_DATA -> {
                String mime = part.getInlineData().getMimeType().strip();
                byte[] data = part.getInlineData().getData().toByteArray();
                if (data.length == 0) {
                    throw new InvalidClientEventException(field + ".inline_data.data", "empty");
                }
                if (data.length > limits.maxVideoFrameBytes()) {
                    throw new InvalidClientEventException(field + ".inline_data.data", data.length
                            + " bytes is over the limit of " + limits.maxVideoFrameBytes());
                }
                boolean image = mime.equals("image/jpeg") || mime.equals("image/png");
                if (image && !mime.equals(imageType(data))) {
                    throw new InvalidClientEventException(field + ".inline_data.data", "not a " + mime + " image");
                }
                if (!image && !mime.startsWith("audio/pcm")) {
                    throw new InvalidClientEventException(field + ".inline_data.mime_type", "'"
                            + SetupTranslator.abbreviate(mime) + "' is not supported; allowed: image/jpeg, image/png,"
                            + " audio/pcm;rate=16000");
                }
                yield Content.Part.inline(new Content.Blob(mime, data));
            }
            case CONTENT_NOT_SET -> throw new InvalidClientEventException(field, "no content; set text or inline_data");
        };
    }

    private ClientMessage.ToolResponse toolResponse(List<FunctionResponse> responses) {
        if (responses.isEmpty()) {
            throw new InvalidClientEventException("tool_response.function_responses", "empty");
        }
        if (responses.size() > MAX_FUNCTION_RESPONSES) {
            throw new InvalidClientEventException("tool_response.function_responses", "at most "
                    + MAX_FUNCTION_RESPONSES + " responses per event");
        }
        List<ClientMessage.FunctionResponse> out = new ArrayList<>(responses.size());
        for (int i = 0; i < responses.size(); i++) {
            FunctionResponse r = responses.get(i);
            String field = "tool_response.function_responses[" + i + "]";
            if (r.getId().isEmpty() && r.getName().isEmpty()) {
                throw new InvalidClientEventException(field + ".id", "empty; echo the id of the FunctionCall answered");
            }
            String scheduling = switch (r.getScheduling()) {
                case FUNCTION_RESPONSE_SCHEDULING_UNSPECIFIED -> null;
                case FUNCTION_RESPONSE_SCHEDULING_SILENT -> "SILENT";
                case FUNCTION_RESPONSE_SCHEDULING_WHEN_IDLE -> "WHEN_IDLE";
                case FUNCTION_RESPONSE_SCHEDULING_INTERRUPT -> "INTERRUPT";
                case UNRECOGNIZED -> throw new InvalidClientEventException(field + ".scheduling",
                        "unknown value; allowed: SILENT, WHEN_IDLE, INTERRUPT");
            };
            out.add(new ClientMessage.FunctionResponse(r.getId().isEmpty() ? null : r.getId(),
                    r.getName().isEmpty() ? null : r.getName(), StructJson.toJson(r.getResponse()), scheduling,
                    r.getWillContinue() ? Boolean.TRUE : null));
        }
        return new ClientMessage.ToolResponse(out);
    }

    /** Whether the message ends the user's turn, so an answer is now awaited. */
    static boolean endsTurn(ClientMessage message) {
        return message.toolResponse() != null
                || (message.clientContent() != null && Boolean.TRUE.equals(message.clientContent().turnComplete()))
                || (message.realtimeInput() != null && (message.realtimeInput().text() != null
                        || message.realtimeInput().activityEnd() != null
                        || Boolean.TRUE.equals(message.realtimeInput().audioStreamEnd())));
    }
}
