package dev.livegateway.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The one Jackson configuration of the Live API JSON, shared by the gateway's client and the
 * emulator's server. The gateway reads server messages leniently (newer fields are ignored); the
 * emulator reads client messages strictly, as the real server rejects unknown fields with 1007.
 */
public final class Wire {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private static final ObjectWriter CLIENT_WRITER = MAPPER.writerFor(ClientMessage.class);
    private static final ObjectWriter SERVER_WRITER = MAPPER.writerFor(ServerMessage.class);
    private static final ObjectWriter SERVER_PRETTY_WRITER = SERVER_WRITER.withDefaultPrettyPrinter();
    private static final ObjectReader SERVER_READER = MAPPER.readerFor(ServerMessage.class);
    private static final ObjectReader CLIENT_READER_LENIENT = MAPPER.readerFor(ClientMessage.class);
    private static final ObjectReader CLIENT_READER_STRICT = CLIENT_READER_LENIENT
            .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private Wire() {}

    /** The shared mapper, for JSON trees (function arguments, schemas, grounding metadata). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static byte[] write(ClientMessage message) {
        // Audio is nearly all of a voice session's traffic: written without the data binding.
        byte[] audio = AudioMessageCodec.writeRealtimeAudio(message);
        if (audio != null) {
            return audio;
        }
        try {
            return CLIENT_WRITER.writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] write(ServerMessage message, boolean pretty) {
        // Model audio is nearly all of what the emulator sends: written without the data binding.
        byte[] audio = pretty ? null : AudioMessageCodec.writeModelTurnInlineData(message);
        if (audio != null) {
            return audio;
        }
        try {
            return (pretty ? SERVER_PRETTY_WRITER : SERVER_WRITER).writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a server message; unknown fields are ignored. */
    public static ServerMessage readServer(byte[] json) throws IOException {
        return readServer(json, 0, json.length);
    }

    /**
     * Reads a server message from {@code length} bytes of {@code array} at {@code offset}, such as
     * a WebSocket frame's own buffer, so that nothing is copied before parsing; unknown fields are ignored.
     */
    public static ServerMessage readServer(byte[] array, int offset, int length) throws IOException {
        try {
            ServerMessage audio = AudioMessageCodec.readModelTurnInlineData(MAPPER.getFactory(), array, offset, length);
            if (audio != null) {
                return audio;
            }
        } catch (JsonProcessingException e) {
            // Malformed: the data binding below reports it the way it always has.
        }
        return SERVER_READER.readValue(array, offset, length);
    }

    /** Reads a client message; {@code strict} rejects unknown fields. */
    public static ClientMessage readClient(byte[] json, boolean strict) throws IOException {
        try {
            ClientMessage audio = AudioMessageCodec.readRealtimeAudio(MAPPER.getFactory(), json);
            if (audio != null) {
                return audio;
            }
        } catch (JsonProcessingException e) {
            // Malformed: the data binding below reports it the way it always has.
        }
        return (strict ? CLIENT_READER_STRICT : CLIENT_READER_LENIENT).readValue(json);
    }
}
