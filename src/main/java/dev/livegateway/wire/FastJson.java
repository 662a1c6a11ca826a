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
 * Hand-written codecs for the two messages that make up almost all of a voice session's traffic:
 * {@code realtimeInput.audio} out and {@code serverContent.modelTurn} with {@code inlineData} parts
 * in. They produce exactly what the Jackson data binding produces (the tests compare both) without
 * its reflection and intermediate buffers; anything of another shape returns null and takes the
 * general path.
 */
final class FastJson {

    private static final byte[] AUDIO_PREFIX = "{\"realtimeInput\":{\"audio\":{".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MIME_KEY = "\"mimeType\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA_KEY = "\"data\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] AUDIO_SUFFIX = "\"}}}".getBytes(StandardCharsets.US_ASCII);
    private static final Base64.Encoder BASE64 = Base64.getEncoder();
    private static final Base64.Decoder BASE64_DECODER = Base64.getDecoder();

    private FastJson() {}

    /**
     * {@code {"realtimeInput":{"audio":{"mimeType":"…","data":"<base64>"}}}} written straight into
     * one exactly sized array, or null when the message is anything else (or its MIME type would
     * need JSON escaping).
     */
    static byte[] writeRealtimeAudio(ClientMessage message) {
        ClientMessage.RealtimeInput in = message.realtimeInput();
        if (in == null || message.setup() != null || message.clientContent() != null || message.toolResponse() != null
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
        int size = AUDIO_PREFIX.length + (mime == null ? 0 : MIME_KEY.length + mime.length() + 2)
                + DATA_KEY.length + base64.length + AUDIO_SUFFIX.length;
        byte[] out = new byte[size];
        int at = put(out, 0, AUDIO_PREFIX);
        if (mime != null) {
            at = put(out, at, MIME_KEY);
            mime.getBytes(0, mime.length(), out, at); // plain ASCII, checked above
            at += mime.length();
            out[at++] = '"';
            out[at++] = ',';
        }
        at = put(out, at, DATA_KEY);
        at = put(out, at, base64);
        put(out, at, AUDIO_SUFFIX);
        return out;
    }

    /**
     * Reads {@code {"serverContent":{"modelTurn":{"role":…,"parts":[{"inlineData":{"mimeType":…,
     * "data":…}},…]}}}} with the streaming parser; null for any other shape, field or token (the
     * caller then reads the message with the data binding, which gives the same result for these).
     */
    static ServerMessage readModelTurnInlineData(JsonFactory factory, byte[] json) throws IOException {
        try (JsonParser p = factory.createParser(json)) {
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

    private static List<Content.Part> readInlineDataParts(JsonParser p, byte[] json) throws IOException {
        if (p.nextToken() != JsonToken.START_ARRAY) {
            return null;
        }
        List<Content.Part> parts = new ArrayList<>(1);
        JsonToken token;
        while ((token = p.nextToken()) == JsonToken.START_OBJECT) {
            if (!"inlineData".equals(p.nextFieldName()) || p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
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
            if (p.nextToken() != JsonToken.END_OBJECT) {
                return null;
            }
            parts.add(Content.Part.inline(new Content.Blob(mime, data)));
        }
        return token == JsonToken.END_ARRAY ? parts : null;
    }

    /**
     * Decodes the current string token straight from the input bytes with the JDK's decoder, which
     * is several times faster than the parser's character loop. Only padded base64 without escapes
     * or whitespace, where both decoders agree; anything else is left to the parser's decoder so
     * that lenience and errors stay what they were.
     */
    private static byte[] decodeBase64(JsonParser p, byte[] json) throws IOException {
        long quote = p.currentTokenLocation().getByteOffset();
        if (quote >= 0 && quote < json.length && json[(int) quote] == '"') {
            int start = (int) quote + 1;
            int end = start;
            while (end < json.length && json[end] != '"' && json[end] != '\\') {
                end++;
            }
            if (end < json.length && json[end] == '"' && (end - start) % 4 == 0) {
                try {
                    ByteBuffer decoded = BASE64_DECODER.decode(ByteBuffer.wrap(json, start, end - start));
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

    private static int put(byte[] out, int at, byte[] bytes) {
        System.arraycopy(bytes, 0, out, at, bytes.length);
        return at + bytes.length;
    }
}
