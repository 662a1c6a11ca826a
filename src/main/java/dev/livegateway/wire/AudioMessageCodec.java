package dev.livegateway.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * The audio-message codec: hand-written codecs for the two messages that make up almost all of a
 * voice session's traffic, {@code realtimeInput.audio} (client to server) and
 * {@code serverContent.modelTurn} with {@code inlineData} parts (server to client), each written
 * and read. The gateway writes the
 * first and reads the second; the emulator does the reverse. They produce exactly what the
 * Jackson data binding produces (the tests compare both) without its reflection and intermediate
 * buffers; anything of another shape returns null and takes the general path.
 */
final class AudioMessageCodec {

    private static final byte[] AUDIO_PREFIX = "{\"realtimeInput\":{\"audio\":{".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MIME_KEY = "\"mimeType\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA_KEY = "\"data\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] AUDIO_SUFFIX = "}}}".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MODEL_TURN_PREFIX = "{\"serverContent\":{\"modelTurn\":{".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ROLE_KEY = "\"role\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PARTS_KEY = "\"parts\":[".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] INLINE_DATA_PREFIX = "{\"inlineData\":{".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MODEL_TURN_SUFFIX = "]}}}".getBytes(StandardCharsets.US_ASCII);
    private static final Base64.Encoder BASE64 = Base64.getEncoder();
    private static final Base64.Decoder BASE64_DECODER = Base64.getDecoder();

    private AudioMessageCodec() {}

    /**
     * {@code {"realtimeInput":{"audio":{"mimeType":"…","data":"<base64>"}}}} written straight into
     * one exactly sized array, or null when the message is anything else (or its MIME type would
     * need JSON escaping).
     */
    static byte[] writeRealtimeAudio(ClientMessage message) {
        ClientMessage.RealtimeInput in = message.realtimeInput();
        if (in == null || message.setup() != null || message.clientContent() != null || message.toolResponse() != null
                || message.contextUpdate() != null
                || in.audio() == null || in.video() != null || in.text() != null || in.activityStart() != null
                || in.activityEnd() != null || in.audioStreamEnd() != null || in.mediaChunks() != null
                || in.audio().data() == null) {
            return null;
        }
        String mime = in.audio().mimeType();
        if (mime != null && !plainAscii(mime)) {
            return null;
        }
        byte[] base64 = BASE64.encode(in.audio().data());
        byte[] out = new byte[AUDIO_PREFIX.length + blobFieldsSize(mime, base64) + AUDIO_SUFFIX.length];
        int at = put(out, 0, AUDIO_PREFIX);
        at = putBlobFields(out, at, mime, base64);
        put(out, at, AUDIO_SUFFIX);
        return out;
    }

    /**
     * {@code {"serverContent":{"modelTurn":{"role":…,"parts":[{"inlineData":{"mimeType":…,"data":…}},…]}}}}
     * written straight into one exactly sized array, or null for any other message (another
     * field, a part that is not inline data, a string that would need escaping).
     */
    static byte[] writeModelTurnInlineData(ServerMessage message) {
        ServerMessage.ServerContent content = message.serverContent();
        if (content == null || content.modelTurn() == null || message.setupComplete() != null || message.toolCall() != null
                || message.toolCallCancellation() != null || message.goAway() != null
                || message.sessionResumptionUpdate() != null || message.usageMetadata() != null
                || message.voiceActivityDetectionSignal() != null || message.voiceActivity() != null
                || !ServerMessage.ServerContent.modelTurn(content.modelTurn()).equals(content)) {
            return null;
        }
        String role = content.modelTurn().role();
        List<Content.Part> parts = content.modelTurn().parts();
        if ((role != null && !plainAscii(role)) || parts == null) {
            return null;
        }
        int size = MODEL_TURN_PREFIX.length + (role == null ? 0 : ROLE_KEY.length + role.length() + 2)
                + PARTS_KEY.length + MODEL_TURN_SUFFIX.length + Math.max(0, parts.size() - 1);
        byte[][] encoded = new byte[parts.size()][];
        for (int i = 0; i < parts.size(); i++) {
            Content.Part part = parts.get(i);
            if (part == null || !Content.Part.inline(part.inlineData()).equals(part) || part.inlineData() == null
                    || part.inlineData().data() == null) {
                return null;
            }
            String mime = part.inlineData().mimeType();
            if (mime != null && !plainAscii(mime)) {
                return null;
            }
            encoded[i] = BASE64.encode(part.inlineData().data());
            size += INLINE_DATA_PREFIX.length + blobFieldsSize(mime, encoded[i]) + 2; // }}
        }
        byte[] out = new byte[size];
        int at = put(out, 0, MODEL_TURN_PREFIX);
        if (role != null) {
            at = put(out, at, ROLE_KEY);
            at = putAscii(out, at, role);
            out[at++] = '"';
            out[at++] = ',';
        }
        at = put(out, at, PARTS_KEY);
        for (int i = 0; i < parts.size(); i++) {
            if (i > 0) {
                out[at++] = ',';
            }
            at = put(out, at, INLINE_DATA_PREFIX);
            at = putBlobFields(out, at, parts.get(i).inlineData().mimeType(), encoded[i]);
            out[at++] = '}';
            out[at++] = '}';
        }
        put(out, at, MODEL_TURN_SUFFIX);
        return out;
    }

    /**
     * Reads {@code {"realtimeInput":{"audio":{"mimeType":…,"data":…}}}} (camelCase, nothing else in
     * it) with the streaming parser; null for any other shape, field or token, which the data
     * binding then reads (and, when strict, rejects) as before.
     */
    static ClientMessage readRealtimeAudio(JsonFactory factory, byte[] bytes) throws IOException {
        Input json = new Input(bytes, 0, bytes.length);
        try (JsonParser p = factory.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT || !"realtimeInput".equals(p.nextFieldName())
                    || p.nextToken() != JsonToken.START_OBJECT || !"audio".equals(p.nextFieldName())
                    || p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            Content.Blob blob = readBlob(p, json);
            if (blob == null || p.nextToken() != JsonToken.END_OBJECT || p.nextToken() != JsonToken.END_OBJECT
                    || p.nextToken() != null) {
                return null;
            }
            return ClientMessage.of(ClientMessage.RealtimeInput.audio(blob));
        }
    }

    /**
     * Reads {@code {"serverContent":{"modelTurn":{"role":…,"parts":[{"inlineData":{"mimeType":…,
     * "data":…}},…]}}}} with the streaming parser; null for any other shape, field or token (the
     * caller then reads the message with the data binding, which gives the same result for these).
     */
    static ServerMessage readModelTurnInlineData(JsonFactory factory, byte[] json) throws IOException {
        return readModelTurnInlineData(factory, json, 0, json.length);
    }

    /**
     * {@link #readModelTurnInlineData(JsonFactory, byte[])} from {@code length} bytes of {@code array}
     * at {@code offset} (a WebSocket frame's buffer): the parser and the base64 decoder read them in
     * place, nothing is copied first.
     */
    static ServerMessage readModelTurnInlineData(JsonFactory factory, byte[] array, int offset, int length)
            throws IOException {
        Input json = new Input(array, offset, offset + length);
        try (JsonParser p = factory.createParser(array, offset, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT || !"serverContent".equals(p.nextFieldName())
                    || p.nextToken() != JsonToken.START_OBJECT || !"modelTurn".equals(p.nextFieldName())
                    || p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String role = null;
            List<Content.Part> parts = null;
            boolean seenRole = false;
            String field;
            while ((field = p.nextFieldName()) != null) {
                if (field.equals("role") && !seenRole) {
                    if (p.nextToken() != JsonToken.VALUE_STRING) {
                        return null;
                    }
                    role = p.getText();
                    seenRole = true;
                } else if (field.equals("parts") && parts == null) {
                    parts = readInlineDataParts(p, json);
                    if (parts == null) {
                        return null;
                    }
                } else {
                    return null;
                }
            }
            // modelTurn closed; serverContent and the message must close with nothing else in them.
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != JsonToken.END_OBJECT
                    || p.nextToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                return null;
            }
            return ServerMessage.of(ServerMessage.ServerContent.modelTurn(new Content(role, parts)));
        }
    }

    private static List<Content.Part> readInlineDataParts(JsonParser p, Input json) throws IOException {
        if (p.nextToken() != JsonToken.START_ARRAY) {
            return null;
        }
        List<Content.Part> parts = new ArrayList<>(1);
        JsonToken token;
        while ((token = p.nextToken()) == JsonToken.START_OBJECT) {
            if (!"inlineData".equals(p.nextFieldName()) || p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            Content.Blob blob = readBlob(p, json);
            if (blob == null || p.nextToken() != JsonToken.END_OBJECT) {
                return null;
            }
            parts.add(Content.Part.inline(blob));
        }
        return token == JsonToken.END_ARRAY ? parts : null;
    }

    /** The fields of a blob object whose START_OBJECT was just read, through its END_OBJECT; null if anything else is in it. */
    private static Content.Blob readBlob(JsonParser p, Input json) throws IOException {
        String mime = null;
        byte[] data = null;
        String field;
        while ((field = p.nextFieldName()) != null) {
            if (field.equals("mimeType") && mime == null) {
                if (p.nextToken() != JsonToken.VALUE_STRING) {
                    return null;
                }
                mime = p.getText();
            } else if (field.equals("data") && data == null) {
                if (p.nextToken() != JsonToken.VALUE_STRING) {
                    return null;
                }
                data = decodeBase64(p, json);
            } else {
                return null;
            }
        }
        return p.currentToken() == JsonToken.END_OBJECT ? new Content.Blob(mime, data) : null;
    }

    /** The bytes being parsed: {@code array[start, end)}; the parser's byte offsets count from {@code start}. */
    private record Input(byte[] array, int start, int end) {}

    /**
     * Decodes the current string token straight from the input bytes with the JDK's decoder, which
     * is several times faster than the parser's character loop. One pass, no copy: the decoder
     * reads the input array in place (a heap ByteBuffer over it) and writes into one new array of
     * exactly the decoded size (padded base64 tells the size up front, so the copy below never
     * runs for it). Only padded base64 without escapes or whitespace, where both decoders agree;
     * anything else is left to the parser's decoder so that lenience and errors stay what they were.
     */
    private static byte[] decodeBase64(JsonParser p, Input json) throws IOException {
        byte[] in = json.array();
        long quote = p.currentTokenLocation().getByteOffset() + json.start();
        if (quote >= json.start() && quote < json.end() && in[(int) quote] == '"') {
            int start = (int) quote + 1;
            int end = start;
            while (end < json.end() && in[end] != '"' && in[end] != '\\') {
                end++;
            }
            if (end < json.end() && in[end] == '"' && (end - start) % 4 == 0) {
                try {
                    ByteBuffer decoded = BASE64_DECODER.decode(ByteBuffer.wrap(in, start, end - start));
                    byte[] array = decoded.array();
                    return decoded.arrayOffset() == 0 && decoded.remaining() == array.length ? array
                            : Arrays.copyOfRange(array, decoded.arrayOffset() + decoded.position(),
                                    decoded.arrayOffset() + decoded.limit());
                } catch (IllegalArgumentException notPlainBase64) {
                    // fall through to the parser's decoder
                }
            }
        }
        return p.getBinaryValue();
    }

    private static boolean plainAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    /** Length of what {@link #putBlobFields} writes. */
    private static int blobFieldsSize(String mime, byte[] base64) {
        return (mime == null ? 0 : MIME_KEY.length + mime.length() + 2) + DATA_KEY.length + base64.length + 1;
    }

    /** A blob's fields, {@code "mimeType":"…","data":"<base64>"} (no MIME type when null; plain ASCII, checked by callers). */
    private static int putBlobFields(byte[] out, int at, String mime, byte[] base64) {
        if (mime != null) {
            at = put(out, at, MIME_KEY);
            at = putAscii(out, at, mime);
            out[at++] = '"';
            out[at++] = ',';
        }
        at = put(out, at, DATA_KEY);
        at = put(out, at, base64);
        out[at++] = '"';
        return at;
    }

    @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int): exact for plain ASCII, checked by callers
    private static int putAscii(byte[] out, int at, String ascii) {
        ascii.getBytes(0, ascii.length(), out, at);
        return at + ascii.length();
    }

    private static int put(byte[] out, int at, byte[] bytes) {
        System.arraycopy(bytes, 0, out, at, bytes.length);
        return at + bytes.length;
    }
}
