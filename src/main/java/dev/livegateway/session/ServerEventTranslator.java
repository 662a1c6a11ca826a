package dev.livegateway.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.UnsafeByteOperations;
import dev.livegateway.api.v1.AudioOutput;
import dev.livegateway.api.v1.CodeExecutionResult;
import dev.livegateway.api.v1.ExecutableCode;
import dev.livegateway.api.v1.FunctionCall;
import dev.livegateway.api.v1.GenerationComplete;
import dev.livegateway.api.v1.GroundingChunk;
import dev.livegateway.api.v1.GroundingMetadata;
import dev.livegateway.api.v1.InteractionStatus;
import dev.livegateway.api.v1.InteractionStatusUpdate;
import dev.livegateway.api.v1.Interrupted;
import dev.livegateway.api.v1.MediaOutput;
import dev.livegateway.api.v1.ModalityTokenCount;
import dev.livegateway.api.v1.RetrievedContext;
import dev.livegateway.api.v1.ServerEvent;
import dev.livegateway.api.v1.TextOutput;
import dev.livegateway.api.v1.ToolCall;
import dev.livegateway.api.v1.ToolCallCancellation;
import dev.livegateway.api.v1.TranscribedWord;
import dev.livegateway.api.v1.Transcription;
import dev.livegateway.api.v1.TurnComplete;
import dev.livegateway.api.v1.UrlContextMetadata;
import dev.livegateway.api.v1.UrlMetadata;
import dev.livegateway.api.v1.UrlRetrievalStatus;
import dev.livegateway.api.v1.UsageMetadata;
import dev.livegateway.api.v1.VadSignalType;
import dev.livegateway.api.v1.VoiceActivity;
import dev.livegateway.api.v1.VoiceActivityDetectionSignal;
import dev.livegateway.api.v1.VoiceActivityType;
import dev.livegateway.api.v1.WebSource;
import dev.livegateway.wire.Content;
import dev.livegateway.wire.ServerMessage;
import java.util.List;
import java.util.function.Consumer;

/**
 * Turns the model's output in one Live API server message into typed caller events, in the order
 * the Live API put them: model turn parts, transcriptions (input, interim input, output),
 * grounding, URL context, interruption, generation and turn completion, interaction status, then
 * tool calls, voice activity and usage. Session-control messages (goAway, resumption updates) are the
 * session's business and are not translated here.
 */
public final class ServerEventTranslator {

    private static final int OUTPUT_RATE = 24000;

    private ServerEventTranslator() {}

    public static void translate(ServerMessage message, Consumer<ServerEvent> out) {
        ServerMessage.ServerContent content = message.serverContent();
        if (content != null) {
            serverContent(content, out);
        }
        if (message.toolCall() != null && message.toolCall().functionCalls() != null) {
            ToolCall.Builder call = ToolCall.newBuilder();
            for (ServerMessage.FunctionCall fc : message.toolCall().functionCalls()) {
                call.addFunctionCalls(FunctionCall.newBuilder()
                        .setId(nullToEmpty(fc.id()))
                        .setName(nullToEmpty(fc.name()))
                        .setArgs(StructJson.toStruct(fc.args())));
            }
            out.accept(ServerEvent.newBuilder().setToolCall(call).build());
        }
        if (message.toolCallCancellation() != null && message.toolCallCancellation().ids() != null) {
            out.accept(ServerEvent.newBuilder().setToolCallCancellation(
                    ToolCallCancellation.newBuilder().addAllIds(message.toolCallCancellation().ids())).build());
        }
        if (message.voiceActivity() != null) {
            VoiceActivity.Builder activity = VoiceActivity.newBuilder()
                    .setType(switch (nullToEmpty(message.voiceActivity().voiceActivityType())) {
                        case "ACTIVITY_START" -> VoiceActivityType.VOICE_ACTIVITY_TYPE_ACTIVITY_START;
                        case "ACTIVITY_END" -> VoiceActivityType.VOICE_ACTIVITY_TYPE_ACTIVITY_END;
                        default -> VoiceActivityType.VOICE_ACTIVITY_TYPE_UNSPECIFIED;
                    });
            com.google.protobuf.Duration offset = duration(message.voiceActivity().audioOffset());
            if (offset != null) {
                activity.setAudioOffset(offset);
            }
            out.accept(ServerEvent.newBuilder().setVoiceActivity(activity).build());
        }
        if (message.voiceActivityDetectionSignal() != null) {
            out.accept(ServerEvent.newBuilder().setVadSignal(VoiceActivityDetectionSignal.newBuilder()
                    .setType(switch (nullToEmpty(message.voiceActivityDetectionSignal().vadSignalType())) {
                        case "VAD_SIGNAL_TYPE_SOS" -> VadSignalType.VAD_SIGNAL_TYPE_SOS;
                        case "VAD_SIGNAL_TYPE_EOS" -> VadSignalType.VAD_SIGNAL_TYPE_EOS;
                        default -> VadSignalType.VAD_SIGNAL_TYPE_UNSPECIFIED;
                    })).build());
        }
        if (message.usageMetadata() != null) {
            out.accept(ServerEvent.newBuilder().setUsage(usage(message.usageMetadata())).build());
        }
    }

    private static void serverContent(ServerMessage.ServerContent content, Consumer<ServerEvent> out) {
        if (content.modelTurn() != null && content.modelTurn().parts() != null) {
            for (Content.Part part : content.modelTurn().parts()) {
                part(part, out);
            }
        }
        transcription(content.inputTranscription(), ServerEvent.Builder::setInputTranscription, out);
        transcription(content.interimInputTranscription(), ServerEvent.Builder::setInterimInputTranscription, out);
        transcription(content.outputTranscription(), ServerEvent.Builder::setOutputTranscription, out);
        if (content.groundingMetadata() != null && !content.groundingMetadata().isNull()) {
            out.accept(ServerEvent.newBuilder().setGrounding(grounding(content.groundingMetadata())).build());
        }
        if (content.urlContextMetadata() != null) {
            UrlContextMetadata.Builder urls = UrlContextMetadata.newBuilder();
            if (content.urlContextMetadata().urlMetadata() != null) {
                for (ServerMessage.UrlMetadata url : content.urlContextMetadata().urlMetadata()) {
                    urls.addUrls(UrlMetadata.newBuilder().setRetrievedUrl(nullToEmpty(url.retrievedUrl()))
                            .setStatus(urlStatus(url.urlRetrievalStatus())));
                }
            }
            out.accept(ServerEvent.newBuilder().setUrlContext(urls).build());
        }
        if (Boolean.TRUE.equals(content.interrupted())) {
            out.accept(ServerEvent.newBuilder().setInterrupted(Interrupted.getDefaultInstance()).build());
        }
        if (Boolean.TRUE.equals(content.generationComplete())) {
            out.accept(ServerEvent.newBuilder().setGenerationComplete(GenerationComplete.getDefaultInstance()).build());
        }
        if (Boolean.TRUE.equals(content.turnComplete())) {
            out.accept(ServerEvent.newBuilder().setTurnComplete(TurnComplete.newBuilder()
                    .setReason(nullToEmpty(content.turnCompleteReason()))
                    .setWaitingForInput(Boolean.TRUE.equals(content.waitingForInput()))).build());
        }
        if (content.interactionStatus() != null || content.waitingForInput() != null) {
            out.accept(ServerEvent.newBuilder().setInteractionStatus(InteractionStatusUpdate.newBuilder()
                    .setStatus(interactionStatus(content.interactionStatus()))
                    .setWaitingForInput(Boolean.TRUE.equals(content.waitingForInput()))).build());
        }
    }

    /** The Live API's status name; an unknown one is UNSPECIFIED (the event still carries waiting_for_input). */
    static InteractionStatus interactionStatus(String status) {
        if (status == null) {
            return InteractionStatus.INTERACTION_STATUS_UNSPECIFIED;
        }
        return switch (status) {
            case "IN_PROGRESS" -> InteractionStatus.INTERACTION_STATUS_IN_PROGRESS;
            case "IDLE" -> InteractionStatus.INTERACTION_STATUS_IDLE;
            case "WAITING_FOR_INPUT" -> InteractionStatus.INTERACTION_STATUS_WAITING_FOR_INPUT;
            case "REQUIRES_ACTION" -> InteractionStatus.INTERACTION_STATUS_REQUIRES_ACTION;
            default -> InteractionStatus.INTERACTION_STATUS_UNSPECIFIED;
        };
    }

    private static UrlRetrievalStatus urlStatus(String status) {
        if (status == null) {
            return UrlRetrievalStatus.URL_RETRIEVAL_STATUS_UNSPECIFIED;
        }
        try {
            UrlRetrievalStatus value = UrlRetrievalStatus.valueOf(status);
            return value == UrlRetrievalStatus.UNRECOGNIZED ? UrlRetrievalStatus.URL_RETRIEVAL_STATUS_UNSPECIFIED : value;
        } catch (IllegalArgumentException e) {
            return UrlRetrievalStatus.URL_RETRIEVAL_STATUS_UNSPECIFIED;
        }
    }

    /**
     * A protobuf JSON Duration ({@code "1.5s"}, {@code "-0.250s"}) as a Duration, or null when absent
     * or not one.
     */
    static com.google.protobuf.Duration duration(String value) {
        if (value == null || value.length() < 2 || value.charAt(value.length() - 1) != 's') {
            return null;
        }
        try {
            java.math.BigDecimal seconds = new java.math.BigDecimal(value.substring(0, value.length() - 1));
            long whole = seconds.longValue();
            int nanos = seconds.subtract(java.math.BigDecimal.valueOf(whole)).movePointRight(9).intValue();
            return com.google.protobuf.Duration.newBuilder().setSeconds(whole).setNanos(nanos).build();
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
    }

    private static void part(Content.Part part, Consumer<ServerEvent> out) {
        if (part.text() != null) {
            TextOutput.Builder text = TextOutput.newBuilder()
                    .setText(part.text()).setThought(Boolean.TRUE.equals(part.thought()));
            if (part.thoughtSignature() != null) {
                text.setThoughtSignature(UnsafeByteOperations.unsafeWrap(part.thoughtSignature()));
            }
            out.accept(ServerEvent.newBuilder().setText(text).build());
        }
        if (part.inlineData() != null && part.inlineData().data() != null) {
            String mime = nullToEmpty(part.inlineData().mimeType());
            if (mime.startsWith("audio/") || mime.isEmpty()) {
                out.accept(ServerEvent.newBuilder().setAudio(AudioOutput.newBuilder()
                        // The decoded array belongs to this message alone and is never written again.
                        .setData(UnsafeByteOperations.unsafeWrap(part.inlineData().data()))
                        .setSampleRateHz(sampleRate(mime))).build());
            } else {
                // The avatar's video, or any other media the model sends.
                out.accept(ServerEvent.newBuilder().setMedia(MediaOutput.newBuilder()
                        .setData(UnsafeByteOperations.unsafeWrap(part.inlineData().data()))
                        .setMimeType(mime)).build());
            }
        }
        if (part.executableCode() != null) {
            out.accept(ServerEvent.newBuilder().setExecutableCode(ExecutableCode.newBuilder()
                    .setLanguage(nullToEmpty(part.executableCode().language()))
                    .setCode(nullToEmpty(part.executableCode().code()))
                    .setId(nullToEmpty(part.executableCode().id()))).build());
        }
        if (part.codeExecutionResult() != null) {
            out.accept(ServerEvent.newBuilder().setCodeExecutionResult(CodeExecutionResult.newBuilder()
                    .setOutcome(nullToEmpty(part.codeExecutionResult().outcome()))
                    .setOutput(nullToEmpty(part.codeExecutionResult().output()))
                    .setId(nullToEmpty(part.codeExecutionResult().id()))).build());
        }
    }

    /** {@code audio/pcm;rate=24000} gives 24000; plain {@code audio/pcm} is the Live API's 24 kHz. */
    static int sampleRate(String mime) {
        int idx = mime.indexOf("rate=");
        if (idx < 0) {
            return OUTPUT_RATE;
        }
        int end = idx + 5;
        while (end < mime.length() && Character.isDigit(mime.charAt(end))) {
            end++;
        }
        try {
            return Integer.parseInt(mime.substring(idx + 5, end));
        } catch (NumberFormatException e) {
            return OUTPUT_RATE;
        }
    }

    private static void transcription(ServerMessage.Transcription t,
            java.util.function.BiConsumer<ServerEvent.Builder, Transcription> field, Consumer<ServerEvent> out) {
        // Vertex opens with an empty {} transcription; it carries nothing for the caller.
        if (t == null || (t.text() == null && t.finished() == null && t.words() == null && t.speakerLabel() == null)) {
            return;
        }
        Transcription.Builder transcription = Transcription.newBuilder().setText(nullToEmpty(t.text()))
                .setFinished(Boolean.TRUE.equals(t.finished()))
                .setLanguageCode(nullToEmpty(t.languageCode()))
                .setSpeakerLabel(nullToEmpty(t.speakerLabel()));
        com.google.protobuf.Duration start = duration(t.startOffset());
        if (start != null) {
            transcription.setStartOffset(start);
        }
        com.google.protobuf.Duration end = duration(t.endOffset());
        if (end != null) {
            transcription.setEndOffset(end);
        }
        if (t.words() != null) {
            for (ServerMessage.WordInfo w : t.words()) {
                TranscribedWord.Builder word = TranscribedWord.newBuilder().setWord(nullToEmpty(w.word()));
                com.google.protobuf.Duration ws = duration(w.startOffset());
                if (ws != null) {
                    word.setStartOffset(ws);
                }
                com.google.protobuf.Duration we = duration(w.endOffset());
                if (we != null) {
                    word.setEndOffset(we);
                }
                transcription.addWords(word);
            }
        }
        ServerEvent.Builder event = ServerEvent.newBuilder();
        field.accept(event, transcription.build());
        out.accept(event.build());
    }

    static GroundingMetadata grounding(JsonNode metadata) {
        GroundingMetadata.Builder grounding = GroundingMetadata.newBuilder();
        for (JsonNode query : metadata.path("webSearchQueries")) {
            grounding.addWebSearchQueries(query.asText());
        }
        for (JsonNode chunk : metadata.path("groundingChunks")) {
            if (chunk.has("web")) {
                JsonNode web = chunk.get("web");
                grounding.addChunks(GroundingChunk.newBuilder().setWeb(WebSource.newBuilder()
                        .setUri(web.path("uri").asText("")).setTitle(web.path("title").asText(""))
                        .setDomain(web.path("domain").asText(""))));
            } else if (chunk.has("retrievedContext")) {
                JsonNode ctx = chunk.get("retrievedContext");
                String corpus = ctx.path("ragCorpus").asText("");
                String document = ctx.path("documentName").asText("");
                if (corpus.isEmpty() && document.contains("/ragFiles/")) {
                    // Vertex names the source file under its corpus: projects/p/locations/l/ragCorpora/c/ragFiles/f
                    corpus = document.substring(0, document.indexOf("/ragFiles/"));
                }
                grounding.addChunks(GroundingChunk.newBuilder().setRetrievedContext(RetrievedContext.newBuilder()
                        .setUri(ctx.path("uri").asText("")).setTitle(ctx.path("title").asText(""))
                        .setText(ctx.path("text").asText(""))
                        .setRagCorpus(corpus)));
            }
        }
        grounding.setRaw(StructJson.toStruct(metadata));
        return grounding.build();
    }

    static UsageMetadata usage(ServerMessage.UsageMetadata u) {
        UsageMetadata.Builder usage = UsageMetadata.newBuilder()
                .setPromptTokenCount(zero(u.promptTokenCount()))
                .setResponseTokenCount(zero(u.responseTokens()))
                .setTotalTokenCount(zero(u.totalTokenCount()))
                .setCachedContentTokenCount(zero(u.cachedContentTokenCount()))
                .setToolUsePromptTokenCount(zero(u.toolUsePromptTokenCount()))
                .setThoughtsTokenCount(zero(u.thoughtsTokenCount()));
        details(u.promptTokensDetails(), usage::addPromptTokensDetails);
        details(u.responseDetails(), usage::addResponseTokensDetails);
        details(u.cacheTokensDetails(), usage::addCacheTokensDetails);
        details(u.toolUsePromptTokensDetails(), usage::addToolUsePromptTokensDetails);
        usage.setTrafficType(nullToEmpty(u.trafficType())).setServiceTier(nullToEmpty(u.serviceTier()));
        return usage.build();
    }

    private static void details(List<ServerMessage.ModalityTokenCount> counts, Consumer<ModalityTokenCount> add) {
        if (counts != null) {
            for (ServerMessage.ModalityTokenCount c : counts) {
                add.accept(ModalityTokenCount.newBuilder().setModality(nullToEmpty(c.modality()))
                        .setTokenCount(zero(c.tokenCount())).build());
            }
        }
    }

    private static int zero(Integer value) {
        return value == null ? 0 : value;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
