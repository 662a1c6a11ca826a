// Google's JavaScript SDK (@google/genai), unmodified, as a client of the gateway's Live API
// WebSocket front: one text turn. Tested by JsSdkFrontTest; run it yourself with
//   npm install @google/genai@3.3.0
//   LIVE_GATEWAY_URL=http://localhost:8080 LIVE_GATEWAY_KEY=<tenant key or session token> node text-turn.mjs
// It prints one JSON line: the reply text, whether the turn completed, how the connection closed.
import { GoogleGenAI, Modality } from '@google/genai';

// A tenant key (on a server), or a session token "auth_tokens/lg_…" minted by POST /v1/session-tokens
// (in a browser). Given a token, the SDK connects to …BidiGenerateContentConstrained?access_token=… by
// itself; it warns unless apiVersion is 'v1alpha', where Google serves ephemeral tokens.
const apiKey = process.env.LIVE_GATEWAY_KEY;
const httpOptions = { baseUrl: process.env.LIVE_GATEWAY_URL };
if (apiKey.startsWith('auth_tokens/')) {
  httpOptions.apiVersion = 'v1alpha';
}
const ai = new GoogleGenAI({ apiKey, httpOptions });

const result = { text: '', turnComplete: false };
let turnEnded, closed;
const turn = new Promise((resolve) => { turnEnded = resolve; });
const close = new Promise((resolve) => { closed = resolve; });
try {
  const session = await ai.live.connect({
    model: process.env.LIVE_GATEWAY_MODEL ?? 'gemini-live-2.5-flash',
    config: { responseModalities: [Modality.TEXT] },
    callbacks: {
      onmessage: (message) => {
        result.text += message.text ?? '';
        if (message.serverContent?.turnComplete) {
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
  session.sendClientContent({ turns: process.env.PROMPT ?? 'Hello', turnComplete: true });
  await turn;
  session.close();
} catch (error) {
  // connect() fails with what refused it: an HTTP status before the upgrade, a close code after it.
  result.connectError = error.message;
}
await close;
console.log(JSON.stringify(result));
