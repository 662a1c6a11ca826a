package dev.livegateway.websocket;

import com.google.protobuf.Duration;
import dev.livegateway.api.v1.AudioEncoding;
import dev.livegateway.api.v1.GoingAwayReason;
import dev.livegateway.api.v1.ModalityTokenCount;
import dev.livegateway.api.v1.ServerEvent;
import dev.livegateway.api.v1.Transcription;
import dev.livegateway.api.v1.UsageMetadata;
import dev.livegateway.session.StructJson;
import dev.livegateway.wire.Content;
import dev.livegateway.wire.Flavour;
import dev.livegateway.wire.ServerMessage;
import java.util.List;

/**
 * The gateway's server events → Live API server messages (the {@code wire} records, as Google's
 * SDKs read them); the inverse of the session's {@code ServerEventTranslator}. What the gateway
 * does for the client stays invisible: {@code SessionStarted} is the {@code setupComplete} the
 * gateway answers the setup with, {@code SessionResumed} (a goAway or drop survived) is not sent,
 * the gateway's resume tokens are the {@code sessionResumptionUpdate} handles, and {@code goAway}
 * reaches the client only when the gateway itself goes away (drain). Pure; one job.
 */
final class LiveApiServerTranslator {

    private LiveApiServerTranslator() {}

    /**
     * The message for {@code event}, or null when the client is not told.
     *
     * @param resumption whether the client asked for session resumption (then resume tokens are sent)
     */
    static ServerMessage message(ServerEvent event, Flavour flavour, boolean resumption) {
        return switch (event.getEventCase()) {
            case SESSION_STARTED -> ServerMessage.of(new ServerMessage.SetupComplete(
                    flavour == Flavour.VERTEX ? event.getSessionStarted().getGatewaySessionId() : null));
            case TEXT -> part(new Content.Part(event.getText().getText(), null, null, null,
                    event.getText().getThought() ? Boolean.TRUE : null,
                    event.getText().getThoughtSignature().isEmpty() ? null
                            : event.getText().getThoughtSignature().toByteArray()));
            case AUDIO -> part(Content.Part.inline(new Content.Blob(audioMime(event.getAudio().getEncoding(),
                    event.getAudio().getSampleRateHz()), event.getAudio().getData().toByteArray())));
            case MEDIA -> part(Content.Part.inline(new Content.Blob(event.getMedia().getMimeType(),
                    event.getMedia().getData().toByteArray())));
            case EXECUTABLE_CODE -> part(new Content.Part(null, null, new Content.ExecutableCode(
                    event.getExecutableCode().getLanguage(), event.getExecutableCode().getCode(),
                    emptyToNull(event.getExecutableCode().getId())), null, null));
            case CODE_EXECUTION_RESULT -> part(new Content.Part(null, null, null, new Content.CodeExecutionResult(
                    event.getCodeExecutionResult().getOutcome(), event.getCodeExecutionResult().getOutput(),
                    emptyToNull(event.getCodeExecutionResult().getId())), null));
            case INPUT_TRANSCRIPTION -> ServerMessage.of(ServerMessage.ServerContent.input(
                    transcription(event.getInputTranscription())));
            case OUTPUT_TRANSCRIPTION -> ServerMessage.of(ServerMessage.ServerContent.output(
                    transcription(event.getOutputTranscription())));
            case INTERIM_INPUT_TRANSCRIPTION -> ServerMessage.of(ServerMessage.ServerContent.interimInput(
                    transcription(event.getInterimInputTranscription())));
            case INTERRUPTED -> ServerMessage.of(ServerMessage.ServerContent.interruptedTurn());
            case GENERATION_COMPLETE -> ServerMessage.of(ServerMessage.ServerContent.generationCompleted());
            case TURN_COMPLETE -> ServerMessage.of(new ServerMessage.ServerContent(null, null, Boolean.TRUE, null, null,
                    null, null, emptyToNull(event.getTurnComplete().getReason()),
                    event.getTurnComplete().getWaitingForInput() ? Boolean.TRUE : null));
            case INTERACTION_STATUS -> ServerMessage.of(ServerMessage.ServerContent.interaction(
                    event.getInteractionStatus().getStatus().name().substring("INTERACTION_STATUS_".length()),
                    event.getInteractionStatus().getWaitingForInput() ? Boolean.TRUE : null));
            case GROUNDING -> ServerMessage.of(ServerMessage.ServerContent.grounding(
                    StructJson.toJson(event.getGrounding().getRaw())));
            case URL_CONTEXT -> ServerMessage.of(ServerMessage.ServerContent.urlContext(new ServerMessage.UrlContextMetadata(
                    event.getUrlContext().getUrlsList().stream().map(u -> new ServerMessage.UrlMetadata(
                            u.getRetrievedUrl(), u.getStatus().name())).toList())));
            case TOOL_CALL -> ServerMessage.of(new ServerMessage.ToolCall(event.getToolCall().getFunctionCallsList()
                    .stream().map(c -> new ServerMessage.FunctionCall(c.getId(), c.getName(),
                            StructJson.toJson(c.getArgs()))).toList()));
            case TOOL_CALL_CANCELLATION -> ServerMessage.of(new ServerMessage.ToolCallCancellation(
                    List.copyOf(event.getToolCallCancellation().getIdsList())));
            case USAGE -> ServerMessage.of(usage(event.getUsage(), flavour));
            // An upstream goAway is the gateway's to handle (it moves the session by itself): not told.
            case GOING_AWAY -> event.getGoingAway().getReason() == GoingAwayReason.GOING_AWAY_REASON_UPSTREAM_GO_AWAY
                    ? null : ServerMessage.of(new ServerMessage.GoAway(event.getGoingAway().getTimeLeft().getSeconds() + "s"));
            case RESUME_TOKEN_UPDATE -> resumption ? ServerMessage.of(new ServerMessage.SessionResumptionUpdate(
                    event.getResumeTokenUpdate().getToken(), Boolean.TRUE, null)) : null;
            case VOICE_ACTIVITY -> ServerMessage.of(new ServerMessage.VoiceActivity(
                    event.getVoiceActivity().getType().name().substring("VOICE_ACTIVITY_TYPE_".length()),
                    event.getVoiceActivity().hasAudioOffset() ? duration(event.getVoiceActivity().getAudioOffset())
                            : null));
            case VAD_SIGNAL -> ServerMessage.of(new ServerMessage.VoiceActivityDetectionSignal(
                    event.getVadSignal().getType().name()));
            // The Live API has no message for the gateway's own tool runs: a Live API client is not told.
            case SESSION_RESUMED, GATEWAY_TOOL_STARTED, GATEWAY_TOOL_FINISHED, EVENT_NOT_SET -> null;
        };
    }

    /** The resume token a started session carries, as the client's first resumption handle (or null). */
    static ServerMessage firstHandle(ServerEvent started, boolean resumption) {
        String token = started.getSessionStarted().getResumeToken();
        return resumption && !token.isEmpty()
                ? ServerMessage.of(new ServerMessage.SessionResumptionUpdate(token, Boolean.TRUE, null)) : null;
    }

    /**
     * The handle a going-away event carries (the gateway drains: the client resumes elsewhere with
     * it), sent before the goAway when the client asked for resumption; else null.
     */
    static ServerMessage goingAwayHandle(ServerEvent goingAway, boolean resumption) {
        String token = goingAway.getGoingAway().getResumeToken();
        return resumption && !token.isEmpty()
                && goingAway.getGoingAway().getReason() != GoingAwayReason.GOING_AWAY_REASON_UPSTREAM_GO_AWAY
                ? ServerMessage.of(new ServerMessage.SessionResumptionUpdate(token, Boolean.TRUE, null)) : null;
    }

    private static ServerMessage part(Content.Part part) {
        return ServerMessage.of(ServerMessage.ServerContent.modelTurn(new Content("model", List.of(part))));
    }

    private static String audioMime(AudioEncoding encoding, int rate) {
        return switch (encoding) {
            case AUDIO_ENCODING_MULAW -> "audio/x-mulaw;rate=" + rate;
            case AUDIO_ENCODING_ALAW -> "audio/x-alaw;rate=" + rate;
            default -> "audio/pcm;rate=" + (rate > 0 ? rate : 24000);
        };
    }

    private static ServerMessage.Transcription transcription(Transcription t) {
        return new ServerMessage.Transcription(t.getText(), t.getFinished() ? Boolean.TRUE : null,
                emptyToNull(t.getLanguageCode()), emptyToNull(t.getSpeakerLabel()),
                t.getWordsCount() == 0 ? null : t.getWordsList().stream().map(w -> new ServerMessage.WordInfo(
                        w.getWord(), w.hasStartOffset() ? duration(w.getStartOffset()) : null,
                        w.hasEndOffset() ? duration(w.getEndOffset()) : null)).toList(),
                t.hasStartOffset() ? duration(t.getStartOffset()) : null,
                t.hasEndOffset() ? duration(t.getEndOffset()) : null);
    }

    private static ServerMessage.UsageMetadata usage(UsageMetadata u, Flavour flavour) {
        boolean vertex = flavour == Flavour.VERTEX;
        return new ServerMessage.UsageMetadata(u.getPromptTokenCount(),
                vertex ? null : u.getResponseTokenCount(), vertex ? u.getResponseTokenCount() : null,
                u.getTotalTokenCount(), zeroToNull(u.getCachedContentTokenCount()),
                zeroToNull(u.getToolUsePromptTokenCount()), zeroToNull(u.getThoughtsTokenCount()),
                counts(u.getPromptTokensDetailsList()),
                vertex ? null : counts(u.getResponseTokensDetailsList()),
                vertex ? counts(u.getResponseTokensDetailsList()) : null,
                emptyToNull(u.getTrafficType()), counts(u.getCacheTokensDetailsList()),
                counts(u.getToolUsePromptTokensDetailsList()), emptyToNull(u.getServiceTier()));
    }

    private static List<ServerMessage.ModalityTokenCount> counts(List<ModalityTokenCount> counts) {
        return counts.isEmpty() ? null : counts.stream()
                .map(c -> new ServerMessage.ModalityTokenCount(c.getModality(), c.getTokenCount())).toList();
    }

    private static String duration(Duration d) {
        return String.format(java.util.Locale.ROOT, "%d.%03ds", d.getSeconds(), d.getNanos() / 1_000_000);
    }

    private static Integer zeroToNull(int n) {
        return n == 0 ? null : n;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
