package dev.livegateway.session;

import static dev.livegateway.session.ConfigFieldChecks.abbreviate;

import dev.livegateway.api.v1.ReplicatedVoice;
import dev.livegateway.api.v1.SpeechConfig;
import dev.livegateway.wire.Setup;

/**
 * The setup's {@code speechConfig} from a caller's {@link SpeechConfig}: a prebuilt voice or a
 * replicated voice (its sample and the speaker's consent), and the language code. Every refusal
 * names the proto field.
 */
final class SetupSpeech {

    private SetupSpeech() {}

    /** The speech config, or null when the caller set none; {@code maxMediaBytes} bounds each recording. */
    static Setup.SpeechConfig speechConfig(SpeechConfig speech, int maxMediaBytes) {
        String voice = speech.getVoiceName().strip();
        String language = speech.getLanguageCode().strip();
        if (!voice.isEmpty() && !ConfigFieldChecks.isName(voice)) {
            throw new InvalidClientEventException("config.speech.voice_name",
                    "'" + abbreviate(voice) + "' is not a prebuilt voice name (letters, e.g. Aoede, Puck, Kore)");
        }
        if (!language.isEmpty()) {
            ConfigFieldChecks.language("config.speech.language_code", language);
        }
        if (!voice.isEmpty() && speech.hasReplicatedVoice()) {
            throw new InvalidClientEventException("config.speech.replicated_voice", "both voice_name and"
                    + " replicated_voice are set; set one");
        }
        if (voice.isEmpty() && language.isEmpty() && !speech.hasReplicatedVoice()) {
            return null;
        }
        Setup.VoiceConfig voiceConfig = voice.isEmpty() ? null
                : new Setup.VoiceConfig(new Setup.PrebuiltVoiceConfig(voice));
        if (speech.hasReplicatedVoice()) {
            voiceConfig = new Setup.VoiceConfig(null, replicatedVoice(speech.getReplicatedVoice(), maxMediaBytes));
        }
        return new Setup.SpeechConfig(voiceConfig, language.isEmpty() ? null : language);
    }

    private static Setup.ReplicatedVoiceConfig replicatedVoice(ReplicatedVoice v, int maxMediaBytes) {
        String field = "config.speech.replicated_voice";
        if (v.getMimeType().isBlank() || !v.getMimeType().strip().startsWith("audio/")) {
            throw new InvalidClientEventException(field + ".mime_type", "'" + abbreviate(v.getMimeType())
                    + "' is not an audio media type such as audio/wav or audio/pcm;rate=24000");
        }
        byte[] sample = recording(field + ".voice_sample_audio", v.getVoiceSampleAudio().toByteArray(), maxMediaBytes);
        if (sample == null) {
            throw new InvalidClientEventException(field + ".voice_sample_audio", "empty; send a sample of the voice");
        }
        byte[] consent = recording(field + ".consent_audio", v.getConsentAudio().toByteArray(), maxMediaBytes);
        String signature = v.getVoiceConsentSignature().strip();
        if (consent == null && signature.isEmpty()) {
            throw new InvalidClientEventException(field + ".consent_audio", "empty; send the speaker's recorded"
                    + " consent, or voice_consent_signature from an earlier SessionStarted");
        }
        return new Setup.ReplicatedVoiceConfig(v.getMimeType().strip(), sample, consent,
                signature.isEmpty() ? null : new Setup.VoiceConsentSignature(signature));
    }

    private static byte[] recording(String field, byte[] data, int maxBytes) {
        if (data.length > maxBytes) {
            throw new InvalidClientEventException(field, data.length + " bytes is over the limit of " + maxBytes
                    + " bytes");
        }
        return data.length == 0 ? null : data;
    }
}
