package dev.livegateway.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The audio fast paths give byte for byte what the Jackson data binding gives, and step aside otherwise. */
class AudioMessageCodecTest {

    private static final ObjectWriter JACKSON_WRITER = Wire.mapper().writerFor(ClientMessage.class);
    private static final ObjectReader JACKSON_READER = Wire.mapper().readerFor(ServerMessage.class);
    private static final ObjectWriter JACKSON_SERVER_WRITER = Wire.mapper().writerFor(ServerMessage.class);
    private static final ObjectReader JACKSON_CLIENT_READER = Wire.mapper().readerFor(ClientMessage.class)
            .with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @Test
    void realtimeAudioIsWrittenExactlyAsJacksonWritesIt() throws Exception {
        Random random = new Random(7);
        for (int size : new int[] {0, 1, 2, 3, 4, 5, 640, 641, 642, 3200, 65536}) {
            byte[] pcm = new byte[size];
            random.nextBytes(pcm);
            for (String mime : new String[] {"audio/pcm;rate=16000", "audio/pcm", null}) {
                ClientMessage message = ClientMessage.of(ClientMessage.RealtimeInput.audio(new Content.Blob(mime, pcm)));
                byte[] fast = AudioMessageCodec.writeRealtimeAudio(message);
                assertThat(fast).as("size %d, mime %s", size, mime).isNotNull();
                assertThat(new String(fast, StandardCharsets.UTF_8))
                        .isEqualTo(new String(JACKSON_WRITER.writeValueAsBytes(message), StandardCharsets.UTF_8));
                assertThat(Wire.write(message)).isEqualTo(fast);
            }
        }
    }

    @Test
    void otherClientMessagesAndEscapedMimeTypesTakeTheGeneralPath() throws Exception {
        byte[] pcm = {1, 2, 3, 4};
        List<ClientMessage> others = List.of(
                ClientMessage.of(ClientMessage.RealtimeInput.text("hello")),
                ClientMessage.of(ClientMessage.RealtimeInput.video(new Content.Blob("image/png", pcm))),
                ClientMessage.of(ClientMessage.RealtimeInput.endOfAudioStream()),
                ClientMessage.of(ClientMessage.RealtimeInput.audio(new Content.Blob("audio/pcm", null))),
                ClientMessage.of(ClientMessage.RealtimeInput.audio(new Content.Blob("audio/\"pcm\"", pcm))),
                ClientMessage.of(ClientMessage.RealtimeInput.audio(new Content.Blob("audio/pcm;é", pcm))),
                new ClientMessage(null, null, new ClientMessage.RealtimeInput(new Content.Blob("audio/pcm", pcm),
                        null, "also text", null, null, null, null), null));
        for (ClientMessage message : others) {
            assertThat(AudioMessageCodec.writeRealtimeAudio(message)).as(message.toString()).isNull();
            assertThat(Wire.write(message)).isEqualTo(JACKSON_WRITER.writeValueAsBytes(message));
        }
    }

    @Test
    void modelTurnAudioIsReadExactlyAsJacksonReadsIt() throws Exception {
        Random random = new Random(11);
        byte[] pcm = new byte[960];
        random.nextBytes(pcm);
        String data = java.util.Base64.getEncoder().encodeToString(pcm);
        List<String> messages = List.of(
                "{\"serverContent\":{\"modelTurn\":{\"role\":\"model\",\"parts\":[{\"inlineData\":{\"mimeType\":\"audio/pcm\",\"data\":\"" + data + "\"}}]}}}",
                "{\"serverContent\":{\"modelTurn\":{\"parts\":[{\"inlineData\":{\"data\":\"" + data + "\",\"mimeType\":\"audio/pcm;rate=24000\"}}]}}}",
                "{ \"serverContent\" : { \"modelTurn\" : { \"parts\" : [ { \"inlineData\" : { \"mimeType\" : \"audio/pcm\", \"data\" : \"" + data + "\" } }, { \"inlineData\" : { \"data\" : \"AAA=\" } } ], \"role\" : \"model\" } } }\n",
                "{\"serverContent\":{\"modelTurn\":{\"role\":\"model\",\"parts\":[]}}}",
                // base64 the JDK decoder would not take the same way: escaped, wrapped, empty
                "{\"serverContent\":{\"modelTurn\":{\"parts\":[{\"inlineData\":{\"data\":\"AAEC\\u0041\\u0041\\u0041\\u0041\"}}]}}}",
                "{\"serverContent\":{\"modelTurn\":{\"parts\":[{\"inlineData\":{\"data\":\"AAEC AAEC\"}}]}}}",
                "{\"serverContent\":{\"modelTurn\":{\"parts\":[{\"inlineData\":{\"data\":\"\"}}]}}}");
        for (String json : messages) {
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            ServerMessage fast = AudioMessageCodec.readModelTurnInlineData(Wire.mapper().getFactory(), bytes);
            assertThat(fast).as(json).isNotNull();
            ServerMessage jackson = JACKSON_READER.readValue(bytes);
            assertThat(Wire.write(fast, false)).isEqualTo(Wire.write(jackson, false));
            assertThat(Wire.write(Wire.readServer(bytes), false)).isEqualTo(Wire.write(jackson, false));
        }
    }

    @Test
    void badBase64IsTreatedAsTheDataBindingTreatsIt() throws Exception {
        for (String data : new String[] {"AAA", "A===", "AA*A", "AAE=AAEC", "AA\\nEC"}) {
            byte[] bytes = ("{\"serverContent\":{\"modelTurn\":{\"parts\":[{\"inlineData\":{\"data\":\"" + data
                    + "\"}}]}}}").getBytes(StandardCharsets.UTF_8);
            byte[] expected;
            try {
                expected = Wire.write((ServerMessage) JACKSON_READER.readValue(bytes), false);
            } catch (java.io.IOException e) {
                expected = null;
            }
            if (expected == null) {
                assertThatThrownBy(() -> Wire.readServer(bytes)).as(data).isInstanceOf(java.io.IOException.class);
            } else {
                assertThat(Wire.write(Wire.readServer(bytes), false)).as(data).isEqualTo(expected);
            }
        }
    }

    /**
     * A WebSocket frame's message sits inside a larger buffer: read in place, with quotes and
     * base64 around it that a reader overstepping its bounds would take, it gives what the exact array gives.
     */
    @Test
    void serverMessagesAreReadInPlaceFromALargerBuffer() throws Exception {
        Random random = new Random(13);
        byte[] pcm = new byte[4800];
        random.nextBytes(pcm);
        String data = java.util.Base64.getEncoder().encodeToString(pcm);
        byte[] before = "{\"data\":\"AAAA".getBytes(StandardCharsets.US_ASCII);
        byte[] after = "AAAA\"}\"AAAA\"".getBytes(StandardCharsets.US_ASCII);
        List<String> messages = List.of(
                "{\"serverContent\":{\"modelTurn\":{\"role\":\"model\",\"parts\":[{\"inlineData\":{\"mimeType\":\"audio/pcm\",\"data\":\"" + data + "\"}}]}}}",
                "{\"serverContent\":{\"modelTurn\":{\"parts\":[{\"inlineData\":{\"data\":\"AAEC\"}},{\"inlineData\":{\"data\":\"AA==\"}}]}}}",
                "{\"serverContent\":{\"modelTurn\":{\"parts\":[{\"inlineData\":{\"data\":\"AAEC AAEC\"}}]}}}",
                "{\"serverContent\":{\"modelTurn\":{\"parts\":[{\"inlineData\":{\"data\":\"AAA\"}}]}}}",
                "{\"setupComplete\":{\"sessionId\":\"s\"}}",
                "{\"serverContent\":{\"turnComplete\":true},\"usageMetadata\":{\"totalTokenCount\":3}}");
        for (String json : messages) {
            byte[] exact = json.getBytes(StandardCharsets.UTF_8);
            byte[] framed = new byte[before.length + exact.length + after.length];
            System.arraycopy(before, 0, framed, 0, before.length);
            System.arraycopy(exact, 0, framed, before.length, exact.length);
            System.arraycopy(after, 0, framed, before.length + exact.length, after.length);
            byte[] expected;
            try {
                expected = Wire.write(Wire.readServer(exact), false);
            } catch (java.io.IOException badBase64) {
                assertThatThrownBy(() -> Wire.readServer(framed, before.length, exact.length)).as(json)
                        .isInstanceOf(java.io.IOException.class);
                continue;
            }
            assertThat(Wire.write(Wire.readServer(framed, before.length, exact.length), false)).as(json).isEqualTo(expected);
            ServerMessage fast = AudioMessageCodec.readModelTurnInlineData(Wire.mapper().getFactory(), framed,
                    before.length, exact.length);
            if (json.contains("modelTurn")) {
                assertThat(fast).as(json).isNotNull();
                assertThat(Wire.write(fast, false)).as(json).isEqualTo(expected);
            } else {
                assertThat(fast).as(json).isNull();
            }
        }
        byte[] truncated = "{\"serverContent\":{\"modelTurn\":{\"parts\":[{\"inlineData\":{\"data\":\"AAAA\"}}]}}}"
                .getBytes(StandardCharsets.UTF_8);
        // The message ends inside the data string: the bytes after it in the buffer must not complete it.
        assertThatThrownBy(() -> Wire.readServer(truncated, 0, truncated.length - 8))
                .isInstanceOf(java.io.IOException.class);
    }

    @Test
    void otherServerMessagesTakeTheGeneralPath() throws Exception {
        List<String> others = List.of(
                "{\"setupComplete\":{\"sessionId\":\"s\"}}",
                "{\"serverContent\":{\"modelTurn\":{\"role\":\"model\",\"parts\":[{\"text\":\"hi\"}]}}}",
                "{\"serverContent\":{\"turnComplete\":true},\"usageMetadata\":{\"totalTokenCount\":3}}",
                "{\"serverContent\":{\"modelTurn\":{\"parts\":[{\"inlineData\":{\"mimeType\":\"audio/pcm\",\"data\":\"AAA=\"}}]},\"generationComplete\":true}}",
                "{\"serverContent\":{\"modelTurn\":{\"parts\":[{\"inlineData\":{\"mimeType\":\"audio/pcm\",\"data\":\"AAA=\"},\"thought\":true}]}}}",
                "{\"serverContent\":{\"modelTurn\":{\"role\":null,\"parts\":[]}}}",
                "{\"serverContent\":{\"modelTurn\":{\"parts\":[{\"inlineData\":{\"mimeType\":\"a\",\"data\":\"AAA=\"}}]}},\"goAway\":{\"timeLeft\":\"1s\"}}",
                "{\"sessionResumptionUpdate\":{\"newHandle\":\"h\",\"resumable\":true}}");
        for (String json : others) {
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            assertThat(AudioMessageCodec.readModelTurnInlineData(Wire.mapper().getFactory(), bytes)).as(json).isNull();
            assertThat(Wire.write(Wire.readServer(bytes), false))
                    .isEqualTo(Wire.write((ServerMessage) JACKSON_READER.readValue(bytes), false));
        }
    }

    @Test
    void modelTurnAudioIsWrittenExactlyAsJacksonWritesIt() throws Exception {
        Random random = new Random(13);
        for (int size : new int[] {0, 1, 2, 3, 960, 961, 4800, 65536}) {
            byte[] pcm = new byte[size];
            random.nextBytes(pcm);
            for (String role : new String[] {"model", null}) {
                for (String mime : new String[] {"audio/pcm", "audio/pcm;rate=24000", null}) {
                    for (int partCount : new int[] {0, 1, 3}) {
                        List<Content.Part> parts = new java.util.ArrayList<>();
                        for (int i = 0; i < partCount; i++) {
                            parts.add(Content.Part.inline(new Content.Blob(mime, pcm)));
                        }
                        ServerMessage message = ServerMessage.of(ServerMessage.ServerContent.modelTurn(new Content(role, parts)));
                        byte[] fast = AudioMessageCodec.writeModelTurnInlineData(message);
                        assertThat(fast).as("size %d, role %s, mime %s, parts %d", size, role, mime, partCount).isNotNull();
                        assertThat(new String(fast, StandardCharsets.UTF_8))
                                .isEqualTo(new String(JACKSON_SERVER_WRITER.writeValueAsBytes(message), StandardCharsets.UTF_8));
                        assertThat(Wire.write(message, false)).isEqualTo(fast);
                    }
                }
            }
        }
    }

    @Test
    void otherServerMessagesAreWrittenByTheDataBinding() throws Exception {
        byte[] pcm = {1, 2, 3, 4};
        Content.Part audio = Content.Part.inline(new Content.Blob("audio/pcm", pcm));
        List<ServerMessage> others = List.of(
                ServerMessage.of(ServerMessage.ServerContent.modelTurn(Content.text("model", "hi"))),
                ServerMessage.of(ServerMessage.ServerContent.modelTurn(new Content("model", List.of(audio, Content.Part.text("x"))))),
                ServerMessage.of(ServerMessage.ServerContent.modelTurn(new Content("model", null))),
                ServerMessage.of(ServerMessage.ServerContent.modelTurn(new Content("mo\"del", List.of(audio)))),
                ServerMessage.of(ServerMessage.ServerContent.modelTurn(new Content("model",
                        List.of(Content.Part.inline(new Content.Blob("audio/pcm", null)))))),
                ServerMessage.of(ServerMessage.ServerContent.modelTurn(new Content("model",
                        List.of(Content.Part.inline(new Content.Blob("audio/\u00e9", pcm)))))),
                ServerMessage.of(ServerMessage.ServerContent.modelTurn(new Content("model",
                        List.of(new Content.Part(null, new Content.Blob("audio/pcm", pcm), null, null, true))))),
                new ServerMessage(null, new ServerMessage.ServerContent(new Content("model", List.of(audio)), true, null, null,
                        null, null, null, null, null), null, null, null, null, null),
                ServerMessage.of(ServerMessage.ServerContent.modelTurn(new Content("model", List.of(audio))),
                        new ServerMessage.UsageMetadata(null, null, 3, null, null, null, null, null, null, null, null)),
                ServerMessage.of(ServerMessage.ServerContent.turnCompleted()));
        for (ServerMessage message : others) {
            assertThat(AudioMessageCodec.writeModelTurnInlineData(message)).as(message.toString()).isNull();
            assertThat(Wire.write(message, false)).isEqualTo(JACKSON_SERVER_WRITER.writeValueAsBytes(message));
        }
    }

    @Test
    void realtimeAudioIsReadExactlyAsJacksonReadsIt() throws Exception {
        Random random = new Random(17);
        byte[] pcm = new byte[640];
        random.nextBytes(pcm);
        String data = java.util.Base64.getEncoder().encodeToString(pcm);
        List<String> messages = List.of(
                "{\"realtimeInput\":{\"audio\":{\"mimeType\":\"audio/pcm;rate=16000\",\"data\":\"" + data + "\"}}}",
                "{\"realtimeInput\":{\"audio\":{\"data\":\"" + data + "\",\"mimeType\":\"audio/pcm\"}}}",
                " { \"realtimeInput\" : { \"audio\" : { \"data\" : \"" + data + "\" } } }\n",
                "{\"realtimeInput\":{\"audio\":{}}}",
                "{\"realtimeInput\":{\"audio\":{\"data\":\"AAEC\\u0041\\u0041\\u0041\\u0041\"}}}",
                "{\"realtimeInput\":{\"audio\":{\"data\":\"\"}}}");
        for (String json : messages) {
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            ClientMessage fast = AudioMessageCodec.readRealtimeAudio(Wire.mapper().getFactory(), bytes);
            assertThat(fast).as(json).isNotNull();
            ClientMessage jackson = JACKSON_CLIENT_READER.readValue(bytes);
            assertThat(JACKSON_WRITER.writeValueAsBytes(fast)).as(json).isEqualTo(JACKSON_WRITER.writeValueAsBytes(jackson));
            assertThat(JACKSON_WRITER.writeValueAsBytes(Wire.readClient(bytes, true)))
                    .isEqualTo(JACKSON_WRITER.writeValueAsBytes(jackson));
        }
    }

    @Test
    void otherClientMessagesAreReadByTheDataBindingWithItsStrictness() throws Exception {
        List<String> others = List.of(
                "{\"realtime_input\":{\"audio\":{\"data\":\"AAA=\"}}}",
                "{\"realtimeInput\":{\"audio\":{\"mime_type\":\"audio/pcm\",\"data\":\"AAA=\"}}}",
                "{\"realtimeInput\":{\"audio\":{\"data\":\"AAA=\"},\"audioStreamEnd\":true}}",
                "{\"realtimeInput\":{\"audioStreamEnd\":true}}",
                "{\"realtimeInput\":{\"audio\":{\"data\":null}}}",
                "{\"clientContent\":{\"turnComplete\":true}}");
        for (String json : others) {
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            assertThat(AudioMessageCodec.readRealtimeAudio(Wire.mapper().getFactory(), bytes)).as(json).isNull();
            assertThat(JACKSON_WRITER.writeValueAsBytes(Wire.readClient(bytes, true)))
                    .isEqualTo(JACKSON_WRITER.writeValueAsBytes(JACKSON_CLIENT_READER.readValue(bytes)));
        }
        for (String unknown : new String[] {
                "{\"realtimeInput\":{\"audio\":{\"data\":\"AAA=\",\"sampleRate\":16000}}}",
                "{\"realtimeInput\":{\"audio\":{\"data\":\"AAA=\"}},\"extra\":1}"}) {
            byte[] bytes = unknown.getBytes(StandardCharsets.UTF_8);
            assertThat(AudioMessageCodec.readRealtimeAudio(Wire.mapper().getFactory(), bytes)).as(unknown).isNull();
            assertThatThrownBy(() -> Wire.readClient(bytes, true))
                    .isInstanceOf(com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException.class);
            assertThat(Wire.readClient(bytes, false).realtimeInput().audio().data()).hasSize(2);
        }
        assertThatThrownBy(() -> Wire.readClient("{\"realtimeInput\":{\"audio\":{\"data\":\"AAA=\"".getBytes(StandardCharsets.UTF_8), true))
                .isInstanceOf(java.io.IOException.class);
    }
}
