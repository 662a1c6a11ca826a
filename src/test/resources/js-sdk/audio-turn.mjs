// Google's JavaScript SDK (@google/genai), unmodified, as a client of the gateway's Live API
// WebSocket front: speech in, speech out. Tested by JsSdkFrontTest; run it yourself with
//   LIVE_GATEWAY_URL=http://localhost:8080 LIVE_GATEWAY_KEY=<tenant key> node audio-turn.mjs
// It sends 1 s of a 200 Hz tone and 0.6 s of silence as 16 kHz PCM16 in 40 ms chunks (as a
// microphone would), and prints one JSON line: the input transcript and how much audio came back.
import { GoogleGenAI, Modality } from '@google/genai';

const ai = new GoogleGenAI({ apiKey: process.env.LIVE_GATEWAY_KEY,
                             httpOptions: { baseUrl: process.env.LIVE_GATEWAY_URL } });

const RATE = 16000;
function pcm16(millis, frequency) { // mono, little-endian; frequency 0 is silence
  const samples = new Int16Array(RATE * millis / 1000);
  for (let i = 0; i < samples.length; i++) {
    samples[i] = Math.round(8000 * Math.sin(2 * Math.PI * frequency * i / RATE));
  }
  return Buffer.from(samples.buffer);
}

const result = { inputTranscript: '', audioBytes: 0, audioMimeTypes: [], turnComplete: false };
let turnEnded, closed;
const turn = new Promise((resolve) => { turnEnded = resolve; });
const close = new Promise((resolve) => { closed = resolve; });
try {
  const session = await ai.live.connect({
    model: process.env.LIVE_GATEWAY_MODEL ?? 'gemini-live-2.5-flash',
    config: { responseModalities: [Modality.AUDIO], inputAudioTranscription: {} },
    callbacks: {
      onmessage: (message) => {
        const content = message.serverContent;
        result.inputTranscript += content?.inputTranscription?.text ?? '';
        for (const part of content?.modelTurn?.parts ?? []) {
          if (part.inlineData) {
            result.audioBytes += Buffer.from(part.inlineData.data, 'base64').length;
            if (!result.audioMimeTypes.includes(part.inlineData.mimeType)) {
              result.audioMimeTypes.push(part.inlineData.mimeType);
            }
          }
        }
        if (content?.turnComplete) {
          result.turnComplete = true;
          turnEnded();
        }
      },
      onerror: (error) => { result.error = error.message; },
      onclose: (event) => {
        result.close = { code: event.code, reason: event.reason };
        turnEnded();
        closed();
      },
    },
  });
  const speech = Buffer.concat([pcm16(1000, 200), pcm16(600, 0)]);
  const chunk = RATE * 2 * 40 / 1000; // 40 ms
  for (let at = 0; at < speech.length; at += chunk) {
    session.sendRealtimeInput({ audio: { data: speech.subarray(at, at + chunk).toString('base64'),
                                         mimeType: `audio/pcm;rate=${RATE}` } });
  }
  await turn;
  session.close();
} catch (error) {
  result.connectError = error.message;
}
await close;
console.log(JSON.stringify(result));
