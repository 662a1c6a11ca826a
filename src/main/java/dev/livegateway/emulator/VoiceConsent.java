package dev.livegateway.emulator;

import dev.livegateway.wire.Setup;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A replicated voice's consent, as the Live API answers it: a setup whose
 * {@code replicatedVoiceConfig} carries {@code consentAudio} gets a {@code voiceConsentSignature}
 * in {@code setupComplete}, which later setups present instead of the consent audio. The emulator's
 * signature is {@code emulator-consent-} and the first 16 hex digits of the SHA-256 of the consent
 * audio, so tests can predict it.
 */
final class VoiceConsent {

    private VoiceConsent() {
    }

    /** The signature for {@code setup}'s consent audio, or null when it carries none. */
    static Setup.VoiceConsentSignature signatureFor(Setup setup) {
        Setup.GenerationConfig generation = setup == null ? null : setup.generationConfig();
        Setup.SpeechConfig speech = generation == null ? null : generation.speechConfig();
        Setup.VoiceConfig voice = speech == null ? null : speech.voiceConfig();
        Setup.ReplicatedVoiceConfig replicated = voice == null ? null : voice.replicatedVoiceConfig();
        if (replicated == null || replicated.consentAudio() == null || replicated.consentAudio().length == 0) {
            return null;
        }
        return new Setup.VoiceConsentSignature(signature(replicated.consentAudio()));
    }

    static String signature(byte[] consentAudio) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(consentAudio);
            return "emulator-consent-" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always present", e);
        }
    }
}
