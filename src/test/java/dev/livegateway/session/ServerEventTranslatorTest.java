package dev.livegateway.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.livegateway.api.v1.InteractionStatus;
import dev.livegateway.api.v1.ServerEvent;
import dev.livegateway.api.v1.ServerEvent.EventCase;
import dev.livegateway.api.v1.UrlRetrievalStatus;
import dev.livegateway.api.v1.VadSignalType;
import dev.livegateway.api.v1.VoiceActivityType;
import dev.livegateway.wire.Wire;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The 2026 server fields, from Live API JSON as google-genai 2.0.0 names it, read by the gateway's
 * wire reader and translated into caller events in order.
 */
class ServerEventTranslatorTest {

    private static List<ServerEvent> translate(String json) throws IOException {
        List<ServerEvent> events = new ArrayList<>();
        ServerEventTranslator.translate(Wire.readServer(json.replace('\'', '"').getBytes(StandardCharsets.UTF_8)),
                events::add);
        return events;
    }

    @Test
    void serverContentFieldsComeThroughInOrder() throws IOException {
        List<ServerEvent> events = translate("{'serverContent':{"
                + "'modelTurn':{'parts':[{'text':'Let me think','thought':true,'thoughtSignature':'AQID'},"
                + "{'inlineData':{'mimeType':'video/mp4','data':'AAEC'}}]},"
                + "'inputTranscription':{'text':'hello','finished':true,'languageCode':'en-US','speakerLabel':'speaker_1',"
                + "'startOffset':'1.5s','endOffset':'2.250s','words':[{'word':'hello','startOffset':'1.5s','endOffset':'2s'}]},"
                + "'interimInputTranscription':{'text':'hel'},"
                + "'urlContextMetadata':{'urlMetadata':[{'retrievedUrl':'https://example.com',"
                + "'urlRetrievalStatus':'URL_RETRIEVAL_STATUS_PAYWALL'},{'retrievedUrl':'https://x.org','urlRetrievalStatus':'NEW_ONE'}]},"
                + "'turnComplete':true,'turnCompleteReason':'NEED_MORE_INPUT','waitingForInput':true,"
                + "'interactionStatus':'IDLE'}}");
        assertThat(events).extracting(ServerEvent::getEventCase).containsExactly(EventCase.TEXT, EventCase.MEDIA,
                EventCase.INPUT_TRANSCRIPTION, EventCase.INTERIM_INPUT_TRANSCRIPTION, EventCase.URL_CONTEXT,
                EventCase.TURN_COMPLETE, EventCase.INTERACTION_STATUS);
        var text = events.get(0).getText();
        assertThat(text.getThought()).isTrue();
        assertThat(text.getThoughtSignature().toByteArray()).containsExactly(1, 2, 3);
        assertThat(events.get(1).getMedia().getMimeType()).isEqualTo("video/mp4");
        assertThat(events.get(1).getMedia().getData().toByteArray()).containsExactly(0, 1, 2);
        var transcript = events.get(2).getInputTranscription();
        assertThat(transcript.getLanguageCode()).isEqualTo("en-US");
        assertThat(transcript.getSpeakerLabel()).isEqualTo("speaker_1");
        assertThat(transcript.getStartOffset().getSeconds()).isEqualTo(1);
        assertThat(transcript.getStartOffset().getNanos()).isEqualTo(500_000_000);
        assertThat(transcript.getEndOffset().getNanos()).isEqualTo(250_000_000);
        assertThat(transcript.getWords(0).getWord()).isEqualTo("hello");
        assertThat(transcript.getWords(0).getEndOffset().getSeconds()).isEqualTo(2);
        assertThat(events.get(3).getInterimInputTranscription().getText()).isEqualTo("hel");
        assertThat(events.get(4).getUrlContext().getUrlsList()).satisfiesExactly(
                u -> {
                    assertThat(u.getRetrievedUrl()).isEqualTo("https://example.com");
                    assertThat(u.getStatus()).isEqualTo(UrlRetrievalStatus.URL_RETRIEVAL_STATUS_PAYWALL);
                },
                u -> assertThat(u.getStatus()).isEqualTo(UrlRetrievalStatus.URL_RETRIEVAL_STATUS_UNSPECIFIED));
        assertThat(events.get(5).getTurnComplete().getReason()).isEqualTo("NEED_MORE_INPUT");
        assertThat(events.get(5).getTurnComplete().getWaitingForInput()).isTrue();
        assertThat(events.get(6).getInteractionStatus().getStatus()).isEqualTo(InteractionStatus.INTERACTION_STATUS_IDLE);
        assertThat(events.get(6).getInteractionStatus().getWaitingForInput()).isTrue();
    }

    @Test
    void everyInteractionStatus() throws IOException {
        for (var status : List.of("IN_PROGRESS", "IDLE", "WAITING_FOR_INPUT", "REQUIRES_ACTION")) {
            var event = translate("{'serverContent':{'interactionStatus':'" + status + "'}}");
            assertThat(event).singleElement().satisfies(e ->
                    assertThat(e.getInteractionStatus().getStatus().name()).isEqualTo("INTERACTION_STATUS_" + status));
        }
        assertThat(translate("{'serverContent':{'waitingForInput':false}}")).singleElement().satisfies(e -> {
            assertThat(e.getInteractionStatus().getStatus()).isEqualTo(InteractionStatus.INTERACTION_STATUS_UNSPECIFIED);
            assertThat(e.getInteractionStatus().getWaitingForInput()).isFalse();
        });
    }

    @Test
    void voiceActivityAndVadSignals() throws IOException {
        assertThat(translate("{'voiceActivity':{'voiceActivityType':'ACTIVITY_START','audioOffset':'0.480s'}}"))
                .singleElement().satisfies(e -> {
                    assertThat(e.getVoiceActivity().getType()).isEqualTo(VoiceActivityType.VOICE_ACTIVITY_TYPE_ACTIVITY_START);
                    assertThat(e.getVoiceActivity().getAudioOffset().getNanos()).isEqualTo(480_000_000);
                });
        assertThat(translate("{'voiceActivity':{'voiceActivityType':'ACTIVITY_END'}}")).singleElement().satisfies(e -> {
            assertThat(e.getVoiceActivity().getType()).isEqualTo(VoiceActivityType.VOICE_ACTIVITY_TYPE_ACTIVITY_END);
            assertThat(e.getVoiceActivity().hasAudioOffset()).isFalse();
        });
        assertThat(translate("{'voiceActivityDetectionSignal':{'vadSignalType':'VAD_SIGNAL_TYPE_EOS'}}"))
                .singleElement().satisfies(e -> assertThat(e.getVadSignal().getType()).isEqualTo(VadSignalType.VAD_SIGNAL_TYPE_EOS));
    }

    @Test
    void everyUsageDetail() throws IOException {
        var usage = translate("{'usageMetadata':{'promptTokenCount':10,'cachedContentTokenCount':4,"
                + "'responseTokenCount':7,'toolUsePromptTokenCount':3,'thoughtsTokenCount':2,'totalTokenCount':26,"
                + "'promptTokensDetails':[{'modality':'AUDIO','tokenCount':10}],"
                + "'cacheTokensDetails':[{'modality':'TEXT','tokenCount':4}],"
                + "'responseTokensDetails':[{'modality':'AUDIO','tokenCount':7}],"
                + "'toolUsePromptTokensDetails':[{'modality':'DOCUMENT','tokenCount':3}],"
                + "'trafficType':'ON_DEMAND_PRIORITY','serviceTier':'PRIORITY'}}").get(0).getUsage();
        assertThat(usage.getCachedContentTokenCount()).isEqualTo(4);
        assertThat(usage.getToolUsePromptTokenCount()).isEqualTo(3);
        assertThat(usage.getThoughtsTokenCount()).isEqualTo(2);
        assertThat(usage.getCacheTokensDetails(0).getModality()).isEqualTo("TEXT");
        assertThat(usage.getToolUsePromptTokensDetails(0).getModality()).isEqualTo("DOCUMENT");
        assertThat(usage.getToolUsePromptTokensDetails(0).getTokenCount()).isEqualTo(3);
        assertThat(usage.getTrafficType()).isEqualTo("ON_DEMAND_PRIORITY");
        assertThat(usage.getServiceTier()).isEqualTo("PRIORITY");
    }

    @Test
    void codePartsKeepTheirIds() throws IOException {
        List<ServerEvent> events = translate("{'serverContent':{'modelTurn':{'parts':["
                + "{'executableCode':{'language':'PYTHON','code':'print(1)','id':'c1'}},"
                + "{'codeExecutionResult':{'outcome':'OUTCOME_OK','output':'1','id':'c1'}}]}}}");
        assertThat(events.get(0).getExecutableCode().getId()).isEqualTo("c1");
        assertThat(events.get(1).getCodeExecutionResult().getId()).isEqualTo("c1");
    }
}
