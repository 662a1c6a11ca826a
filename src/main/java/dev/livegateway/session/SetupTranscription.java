package dev.livegateway.session;

import dev.livegateway.api.v1.TranscriptionConfig;
import dev.livegateway.wire.Empty;
import dev.livegateway.wire.Setup;
import java.util.List;

/**
 * The setup's {@code inputAudioTranscription} or {@code outputAudioTranscription} from a caller's
 * transcription switch and {@link TranscriptionConfig}: language codes and hints, vocabulary and
 * adaptation phrases, diarization, timestamps, mode and source text. Every refusal names the proto
 * field.
 */
final class SetupTranscription {

    /** At most this many entries in a transcription word or phrase list. */
    static final int MAX_TRANSCRIPTION_LIST = 1000;

    private SetupTranscription() {}

    /**
     * The transcription config of {@code field} ({@code config.input_transcription} or
     * {@code config.output_transcription}): {@code t} when the caller set one, else on or off as
     * the plain switch {@code on} says (null for off).
     */
    static Setup.AudioTranscriptionConfig transcription(String field, boolean on, TranscriptionConfig t,
            int maxTextChars) {
        if (t == null) {
            return on ? Setup.AudioTranscriptionConfig.ON : null;
        }
        List<String> codes = languages(field + ".language_codes", t.getLanguageCodesList());
        List<String> hints = languages(field + ".language_hints", t.getLanguageHintsList());
        String mode = switch (t.getMode()) {
            case TRANSCRIPTION_MODE_UNSPECIFIED -> null;
            case TRANSCRIPTION_MODE_VERBATIM -> "VERBATIM";
            case TRANSCRIPTION_MODE_SMART -> "SMART";
            case UNRECOGNIZED -> throw new InvalidClientEventException(field + ".mode", "unknown value "
                    + t.getModeValue() + "; allowed: TRANSCRIPTION_MODE_VERBATIM, TRANSCRIPTION_MODE_SMART");
        };
        if (t.getSourceText().length() > maxTextChars) {
            throw new InvalidClientEventException(field + ".source_text", "at most " + maxTextChars
                    + " characters, got " + t.getSourceText().length());
        }
        return new Setup.AudioTranscriptionConfig(
                codes,
                t.getLanguageAuto() ? Empty.INSTANCE : null,
                hints == null ? null : new Setup.LanguageHints(hints),
                words(field + ".custom_vocabulary", t.getCustomVocabularyList(), maxTextChars),
                words(field + ".adaptation_phrases", t.getAdaptationPhrasesList(), maxTextChars),
                t.getDiarization() ? Boolean.TRUE : null,
                t.getWordTimestamps() ? Boolean.TRUE : null,
                mode,
                t.getSourceText().isEmpty() ? null : t.getSourceText());
    }

    private static List<String> languages(String field, List<String> codes) {
        if (codes.isEmpty()) {
            return null;
        }
        if (codes.size() > 100) {
            throw new InvalidClientEventException(field, "at most 100 language codes, got " + codes.size());
        }
        for (int i = 0; i < codes.size(); i++) {
            ConfigFieldChecks.language(field + "[" + i + "]", codes.get(i));
        }
        return List.copyOf(codes);
    }

    private static List<String> words(String field, List<String> entries, int maxTextChars) {
        if (entries.isEmpty()) {
            return null;
        }
        if (entries.size() > MAX_TRANSCRIPTION_LIST) {
            throw new InvalidClientEventException(field, "at most " + MAX_TRANSCRIPTION_LIST + " entries, got "
                    + entries.size());
        }
        long total = 0;
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).isBlank()) {
                throw new InvalidClientEventException(field + "[" + i + "]", "empty; every entry needs a word or phrase");
            }
            total += entries.get(i).length();
        }
        if (total > maxTextChars) {
            throw new InvalidClientEventException(field, "at most " + maxTextChars + " characters in all, got " + total);
        }
        return List.copyOf(entries);
    }
}
