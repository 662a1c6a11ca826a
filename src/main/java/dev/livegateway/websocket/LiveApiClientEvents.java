package dev.livegateway.websocket;

import static dev.livegateway.websocket.LiveApiFieldValues.enumOf;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import dev.livegateway.api.v1.ActivityEnd;
import dev.livegateway.api.v1.ActivityStart;
import dev.livegateway.api.v1.AudioChunk;
import dev.livegateway.api.v1.AudioEncoding;
import dev.livegateway.api.v1.AudioStreamEnd;
import dev.livegateway.api.v1.ClientEvent;
import dev.livegateway.api.v1.ClientTurn;
import dev.livegateway.api.v1.ContextTools;
import dev.livegateway.api.v1.ContextUpdate;
import dev.livegateway.api.v1.FunctionResponse;
import dev.livegateway.api.v1.FunctionResponseScheduling;
import dev.livegateway.api.v1.InlineData;
import dev.livegateway.api.v1.Part;
import dev.livegateway.api.v1.RealtimeText;
import dev.livegateway.api.v1.Role;
import dev.livegateway.api.v1.SessionConfig;
import dev.livegateway.api.v1.ToolResponse;
import dev.livegateway.api.v1.Turn;
import dev.livegateway.api.v1.VideoFrame;
import dev.livegateway.session.InvalidClientEventException;
import dev.livegateway.session.StructJson;
import dev.livegateway.wire.ClientMessage;
import dev.livegateway.wire.Content;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Live API client message after the setup ({@code clientContent}, {@code realtimeInput},
 * {@code toolResponse}, {@code contextUpdate}) as the gateway's caller events. Refusals name the
 * Live API field.
 */
final class LiveApiClientEvents {

    private static final Pattern RATE = Pattern.compile("rate=(\\d+)");

    private LiveApiClientEvents() {}

    /** A later client message as caller events (usually one; a legacy {@code mediaChunks} list gives several). */
    static List<ClientEvent> events(ClientMessage message) {
        if (message.fieldCount() != 1) {
            throw new InvalidClientEventException("BidiGenerateContentClientMessage", "exactly one of clientContent,"
                    + " realtimeInput, toolResponse, contextUpdate must be set, got " + message.fieldCount() + " fields");
        }
        if (message.setup() != null) {
            throw new InvalidClientEventException("setup", "sent twice; setup is the first message only");
        }
        if (message.contextUpdate() != null) {
            return List.of(ClientEvent.newBuilder().setContextUpdate(contextUpdate(message.contextUpdate())).build());
        }
        if (message.clientContent() != null) {
            return List.of(ClientEvent.newBuilder().setTurn(clientTurn(message.clientContent())).build());
        }
        if (message.toolResponse() != null) {
            return List.of(ClientEvent.newBuilder().setToolResponse(toolResponse(message.toolResponse())).build());
        }
        return realtime(message.realtimeInput());
    }

    /** A context update; its tools name registry tools as the setup's do. */
    private static ContextUpdate contextUpdate(ClientMessage.ContextUpdate update) {
        ContextUpdate.Builder b = ContextUpdate.newBuilder();
        if (update.systemInstruction() != null) {
            b.setSystemInstruction(LiveApiFieldValues.textOf(update.systemInstruction(),
                    "contextUpdate.systemInstruction"));
        }
        if (update.tools() != null) {
            SessionConfig.Builder named = SessionConfig.newBuilder();
            LiveApiToolRefs.addDeclared(update.tools().tools(), named, "contextUpdate.tools.tools");
            b.setTools(ContextTools.newBuilder().addAllTools(named.getToolsList()));
        }
        return b.build();
    }

    private static ClientTurn clientTurn(ClientMessage.ClientContent content) {
        ClientTurn.Builder b = ClientTurn.newBuilder().setTurnComplete(Boolean.TRUE.equals(content.turnComplete()));
        List<Content> turns = content.turns() == null ? List.of() : content.turns();
        for (int i = 0; i < turns.size(); i++) {
            Content turn = turns.get(i);
            String field = "clientContent.turns[" + i + "]";
            Turn.Builder t = Turn.newBuilder();
            String role = turn.role() == null ? "user" : turn.role();
            t.setRole(switch (role) {
                case "user" -> Role.ROLE_USER;
                case "model" -> Role.ROLE_MODEL;
                default -> throw new InvalidClientEventException(field + ".role", "'" + role + "'; allowed: user, model");
            });
            List<Content.Part> parts = turn.parts() == null ? List.of() : turn.parts();
            for (int j = 0; j < parts.size(); j++) {
                Content.Part p = parts.get(j);
                if (p.text() != null) {
                    t.addParts(Part.newBuilder().setText(p.text()));
                } else if (p.inlineData() != null) {
                    t.addParts(Part.newBuilder().setInlineData(InlineData.newBuilder()
                            .setMimeType(nullToEmpty(p.inlineData().mimeType()))
                            .setData(bytes(p.inlineData().data()))));
                } else {
                    throw new InvalidClientEventException(field + ".parts[" + j + "]", "a part must carry text or"
                            + " inlineData");
                }
            }
            b.addTurns(t);
        }
        return b.build();
    }

    private static ToolResponse toolResponse(ClientMessage.ToolResponse response) {
        ToolResponse.Builder b = ToolResponse.newBuilder();
        List<ClientMessage.FunctionResponse> all = response.functionResponses() == null ? List.of()
                : response.functionResponses();
        for (int i = 0; i < all.size(); i++) {
            ClientMessage.FunctionResponse r = all.get(i);
            String field = "toolResponse.functionResponses[" + i + "]";
            FunctionResponse.Builder f = FunctionResponse.newBuilder().setId(nullToEmpty(r.id()))
                    .setName(nullToEmpty(r.name()));
            JsonNode body = r.response();
            if (body != null && !body.isNull()) {
                if (!body.isObject()) {
                    throw new InvalidClientEventException(field + ".response", "must be a JSON object");
                }
                f.setResponse(StructJson.toStruct(body));
            }
            if (r.scheduling() != null) {
                f.setScheduling(enumOf(field + ".scheduling", r.scheduling(), "FUNCTION_RESPONSE_SCHEDULING_",
                        FunctionResponseScheduling::valueOf, FunctionResponseScheduling.values()));
            }
            if (r.willContinue() != null) {
                f.setWillContinue(r.willContinue());
            }
            b.addFunctionResponses(f);
        }
        return b.build();
    }

    private static List<ClientEvent> realtime(ClientMessage.RealtimeInput r) {
        List<ClientEvent> events = new ArrayList<>(1);
        if (r.audio() != null) {
            events.add(audio(r.audio(), "realtimeInput.audio"));
        }
        if (r.video() != null) {
            events.add(ClientEvent.newBuilder().setVideo(VideoFrame.newBuilder().setData(bytes(r.video().data()))
                    .setMimeType(nullToEmpty(r.video().mimeType()))).build());
        }
        if (r.text() != null) {
            events.add(ClientEvent.newBuilder().setText(RealtimeText.newBuilder().setText(r.text())).build());
        }
        if (r.activityStart() != null) {
            events.add(ClientEvent.newBuilder().setActivityStart(ActivityStart.getDefaultInstance()).build());
        }
        if (r.activityEnd() != null) {
            events.add(ClientEvent.newBuilder().setActivityEnd(ActivityEnd.getDefaultInstance()).build());
        }
        if (Boolean.TRUE.equals(r.audioStreamEnd())) {
            events.add(ClientEvent.newBuilder().setAudioStreamEnd(AudioStreamEnd.getDefaultInstance()).build());
        }
        if (r.mediaChunks() != null) {
            for (int i = 0; i < r.mediaChunks().size(); i++) {
                Content.Blob blob = r.mediaChunks().get(i);
                String mime = nullToEmpty(blob.mimeType());
                events.add(mime.startsWith("audio/") ? audio(blob, "realtimeInput.mediaChunks[" + i + "]")
                        : ClientEvent.newBuilder().setVideo(VideoFrame.newBuilder().setData(bytes(blob.data()))
                                .setMimeType(mime)).build());
            }
        }
        if (events.isEmpty()) {
            throw new InvalidClientEventException("realtimeInput", "empty; set audio, video, text, activityStart,"
                    + " activityEnd or audioStreamEnd");
        }
        return events;
    }

    /** {@code audio/pcm;rate=N} (16 kHz when no rate is given) as a PCM16 chunk. */
    private static ClientEvent audio(Content.Blob blob, String field) {
        String mime = nullToEmpty(blob.mimeType()).toLowerCase(Locale.ROOT);
        if (!mime.startsWith("audio/pcm") && !mime.startsWith("audio/l16")) {
            throw new InvalidClientEventException(field + ".mimeType", "'" + blob.mimeType() + "'; send audio/pcm;rate=N"
                    + " (16-bit little-endian mono PCM)");
        }
        Matcher rate = RATE.matcher(mime);
        int hz = rate.find() ? Integer.parseInt(rate.group(1)) : 16000;
        return ClientEvent.newBuilder().setAudio(AudioChunk.newBuilder().setData(bytes(blob.data()))
                .setSampleRateHz(hz).setEncoding(AudioEncoding.AUDIO_ENCODING_PCM16)).build();
    }

    private static ByteString bytes(byte[] data) {
        return data == null ? ByteString.EMPTY : ByteString.copyFrom(data);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
