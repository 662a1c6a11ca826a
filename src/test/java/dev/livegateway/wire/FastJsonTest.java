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
class FastJsonTest {

    private static final ObjectWriter JACKSON_WRITER = Wire.mapper().writerFor(ClientMessage.class);
    private static final ObjectReader JACKSON_READER = Wire.mapper().readerFor(ServerMessage.class);

    @Test
    void realtimeAudioIsWrittenExactlyAsJacksonWritesIt() throws Exception {
        Random random = new Random(7);
        for (int size : new int[] {0, 1, 2, 3, 4, 5, 640, 641, 642, 3200, 65536}) {
            byte[] pcm = new byte[size];
            random.nextBytes(pcm);
            for (String mime : new String[] {"audio/pcm;rate=16000", "audio/pcm", null}) {
                ClientMessage message = ClientMessage.of(ClientMessage.RealtimeInput.audio(new Content.Blob(mime, pcm)));
                byte[] fast = FastJson.writeRealtimeAudio(message);
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
            assertThat(FastJson.writeRealtimeAudio(message)).as(message.toString()).isNull();
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
            ServerMessage fast = FastJson.readModelTurnInlineData(Wire.mapper().getFactory(), bytes);
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
            assertThat(FastJson.readModelTurnInlineData(Wire.mapper().getFactory(), bytes)).as(json).isNull();
            assertThat(Wire.write(Wire.readServer(bytes), false))
                    .isEqualTo(Wire.write((ServerMessage) JACKSON_READER.readValue(bytes), false));
        }
    }
}
