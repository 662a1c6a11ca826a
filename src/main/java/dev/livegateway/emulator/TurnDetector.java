package dev.livegateway.emulator;

import dev.livegateway.wire.ClientMessage;
import dev.livegateway.wire.ClientMessage.RealtimeInput;
import dev.livegateway.wire.Content;
import dev.livegateway.wire.Setup;
import java.util.Locale;

/**
 * Where the user's turns begin and end: gathers client content and realtime input (text, audio,
 * video frames) into the session's {@link EmulatedSession.TurnInput}, runs the voice detector on
 * audio (or follows activityStart/activityEnd when the setup disables it), and tells the
 * connection when the user starts speaking (barge-in) and when a turn is complete. Runs on the
 * connection's event loop.
 */
final class TurnDetector {

    private static final double VAD_FRAME_SECONDS = 0.01;

    /** What the detector tells the connection. */
    interface Turns {
        /** The user started a turn (or speaking): stop the model. */
        void bargeIn();

        /** A text turn is complete. */
        void textTurn(String text);

        /** An audio turn is complete, with this much speech heard. */
        void audioTurn(double heardSeconds);

        /** Audio arrived; with audio echo on, the model plays this many output samples back. */
        void echo(int outSamples);

        /** The input breaks a protocol rule: close with 1007 and this reason. */
        void reject(String reason);
    }

    private final Setup setup;
    private final EmulatorOptions options;
    private final EmulatedSession session;
    private final Turns turns;

    TurnDetector(Setup setup, EmulatorOptions options, EmulatedSession session, Turns turns) {
        this.setup = setup;
        this.options = options;
        this.session = session;
        this.turns = turns;
    }

    void onClientContent(ClientMessage.ClientContent content) {
        turns.bargeIn();
        StringBuilder text = session.input.pendingText;
        double inlineAudioSeconds = 0;
        if (content.turns() != null) {
            for (Content turn : content.turns()) {
                session.record.addHistory(turn);
                if ("model".equals(turn.role()) || turn.parts() == null) {
                    continue;
                }
                for (Content.Part part : turn.parts()) {
                    if (part.text() != null) {
                        if (text.length() > 0) {
                            text.append(' ');
                        }
                        text.append(part.text());
                    } else if (part.inlineData() != null && part.inlineData().mimeType() != null
                            && part.inlineData().data() != null) {
                        String mime = part.inlineData().mimeType().toLowerCase(Locale.ROOT);
                        if (mime.startsWith("audio/")) {
                            inlineAudioSeconds += Pcm16.sampleCount(part.inlineData().data()) / (double) Pcm16.rateOf(mime);
                        } else if (mime.startsWith("image/")) {
                            session.input.videoFrames++;
                        }
                    }
                }
            }
        }
        session.input.audioSeconds += inlineAudioSeconds;
        if (Boolean.TRUE.equals(content.turnComplete())) {
            String said = text.toString();
            session.input.pendingText = new StringBuilder();
            if (said.isBlank() && session.input.audioSeconds > 0) {
                endAudioTurn();
            } else {
                session.input.resetAudio();
                turns.textTurn(said);
            }
        }
    }

    void onRealtimeInput(RealtimeInput input) {
        boolean automaticVad = automaticActivityDetection();
        if (input.text() != null) {
            turns.bargeIn();
            turns.textTurn(input.text());
        } else if (input.audio() != null) {
            onAudio(input.audio());
        } else if (input.video() != null) {
            session.input.videoFrames++;
        } else if (input.mediaChunks() != null) {
            for (Content.Blob blob : input.mediaChunks()) {
                String mime = blob.mimeType() == null ? "" : blob.mimeType().toLowerCase(Locale.ROOT);
                if (mime.startsWith("image/")) {
                    session.input.videoFrames++;
                } else {
                    onAudio(blob);
                }
            }
        } else if (input.activityStart() != null) {
            if (automaticVad) {
                turns.reject("activityStart is only allowed when "
                        + "realtimeInputConfig.automaticActivityDetection.disabled is true.");
                return;
            }
            if (interruptsOnActivity()) {
                turns.bargeIn();
            }
            session.input.activityOpen = true;
            session.input.resetAudio();
        } else if (input.activityEnd() != null) {
            if (automaticVad) {
                turns.reject("activityEnd is only allowed when "
                        + "realtimeInputConfig.automaticActivityDetection.disabled is true.");
                return;
            }
            session.input.activityOpen = false;
            endAudioTurn();
        } else if (Boolean.TRUE.equals(input.audioStreamEnd())) {
            // Flushes a turn only if speech is pending: trailing silence after a turn the voice
            // detector already ended is no new turn.
            if (session.input.speech) {
                endAudioTurn();
            } else {
                session.input.resetAudio();
            }
        }
    }

    private void onAudio(Content.Blob blob) {
        byte[] pcm = blob.data() == null ? new byte[0] : blob.data();
        int rate = Pcm16.rateOf(blob.mimeType());
        int samples = Pcm16.sampleCount(pcm);
        if (options.audioEcho() && samples > 0) {
            turns.echo((int) ((long) samples * Pcm16.OUTPUT_RATE / rate));
        }
        EmulatedSession.TurnInput in = session.input;
        if (!automaticActivityDetection()) {
            in.audioSeconds += samples / (double) rate;
            return;
        }
        int frame = Math.max(1, (int) (rate * VAD_FRAME_SECONDS));
        double silenceNeeded = silenceDurationMs() / 1000.0;
        for (int from = 0; from < samples; from += frame) {
            int to = Math.min(samples, from + frame);
            double seconds = (to - from) / (double) rate;
            in = session.input;
            in.audioSeconds += seconds;
            if (Pcm16.rms(pcm, from, to) >= options.speechRmsThreshold()) {
                if (!in.speech) {
                    in.speech = true;
                    if (interruptsOnActivity()) {
                        turns.bargeIn();
                    }
                }
                in.trailingSilenceSeconds = 0;
            } else if (in.speech) {
                in.trailingSilenceSeconds += seconds;
                if (in.trailingSilenceSeconds + 1e-9 >= silenceNeeded) {
                    endAudioTurn();
                }
            }
        }
    }

    /** Ends the user's audio turn: the speech heard, without the trailing silence. */
    private void endAudioTurn() {
        EmulatedSession.TurnInput in = session.input;
        double heardSeconds = Math.max(0, in.audioSeconds - (in.speech ? in.trailingSilenceSeconds : 0));
        in.resetAudio();
        turns.audioTurn(heardSeconds);
    }

    private boolean automaticActivityDetection() {
        Setup.RealtimeInputConfig config = setup.realtimeInputConfig();
        return config == null || config.automaticActivityDetection() == null
                || !Boolean.TRUE.equals(config.automaticActivityDetection().disabled());
    }

    private boolean interruptsOnActivity() {
        Setup.RealtimeInputConfig config = setup.realtimeInputConfig();
        return config == null || !"NO_INTERRUPTION".equalsIgnoreCase(config.activityHandling());
    }

    private int silenceDurationMs() {
        Setup.RealtimeInputConfig config = setup.realtimeInputConfig();
        if (config != null && config.automaticActivityDetection() != null
                && config.automaticActivityDetection().silenceDurationMs() != null
                && config.automaticActivityDetection().silenceDurationMs() > 0) {
            return config.automaticActivityDetection().silenceDurationMs();
        }
        return options.defaultSilenceDurationMs();
    }
}
