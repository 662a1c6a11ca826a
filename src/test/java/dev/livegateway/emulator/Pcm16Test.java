package dev.livegateway.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The emulator's synthetic speech: chunks join up, the loop wraps seamlessly in the byte stream, and it sounds like speech to the VAD. */
class Pcm16Test {

    @Test
    void consecutiveChunksJoinIntoOneSignal() {
        byte[] whole = Pcm16.speechLike(10_000, 123);
        byte[] first = Pcm16.speechLike(4_000, 123);
        byte[] second = Pcm16.speechLike(6_000, 123 + 4_000);
        assertThat(Arrays.copyOfRange(whole, 0, first.length)).isEqualTo(first);
        assertThat(Arrays.copyOfRange(whole, first.length, whole.length)).isEqualTo(second);
    }

    @Test
    void theLoopRepeatsAndChunksMayCrossItsEnd() {
        int loop = Pcm16.SPEECH_LOOP_SECONDS * Pcm16.OUTPUT_RATE;
        assertThat(Pcm16.speechLike(480, loop + 7L)).isEqualTo(Pcm16.speechLike(480, 7));
        byte[] across = Pcm16.speechLike(960, loop - 480L);
        assertThat(Arrays.copyOfRange(across, 0, 960)).isEqualTo(Pcm16.speechLike(480, loop - 480L));
        assertThat(Arrays.copyOfRange(across, 960, 1920)).isEqualTo(Pcm16.speechLike(480, 0));
        assertThat(Pcm16.speechLike(3 * loop, 0)).hasSize(6 * loop);
    }

    @Test
    void itIsLoudEnoughToCountAsSpeech() {
        byte[] pcm = Pcm16.speechLike(Pcm16.OUTPUT_RATE, 0);
        assertThat(Pcm16.rms(pcm, 0, Pcm16.sampleCount(pcm))).isGreaterThan(1_000);
    }
}
