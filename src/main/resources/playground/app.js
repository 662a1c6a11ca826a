// Live Gateway playground: a session token minted once (POST /v1/session-tokens), then the Live API
// WebSocket front with ?access_token=. No build step, no dependencies. window.playgroundStats is
// the hook the browser test reads.
'use strict';

const PATH = '/ws/google.ai.generativelanguage.v1alpha.GenerativeService.BidiGenerateContentConstrained';
const $ = (id) => document.getElementById(id);
const stats = window.playgroundStats = {
  connected: false, setupComplete: false, samplesSent: 0, captureRate: 0, samplesQueued: 0, samplesPlayed: 0,
  inputTranscript: '', outputTranscript: '', text: '', toolCalls: [], toolResponses: 0, interruptions: 0,
  turns: 0, resumptionUpdates: 0, lastHandle: null, goAways: 0, grounding: [], usage: null, closes: [], errors: [],
};

let ws = null;
let playback = null;      // AudioContext for the model's audio
let playAt = 0;           // when the next chunk starts, in playback time
const playing = new Set();
let capture = null;       // {context, stream, node}

function log(where, cls, text) {
  const line = document.createElement('div');
  line.className = cls;
  line.textContent = text;
  $(where).appendChild(line);
  $(where).scrollTop = $(where).scrollHeight;
}

/** Streams a transcript or text into one line per speaker and turn. */
let open = null;
function say(cls, prefix, text) {
  if (open && open.cls === cls && open.prefix === prefix) {
    open.line.textContent += text;
  } else {
    log('conversation', cls, prefix + text);
    open = { cls, prefix, line: $('conversation').lastChild };
  }
  $('conversation').scrollTop = $('conversation').scrollHeight;
}
function endTurn() { open = null; }

function status(text) { $('status').textContent = text; }

function selectedTools() {
  const checked = [...document.querySelectorAll('#toolChoices input:checked')].map((c) => c.value);
  const typed = $('tools').value.split(',').map((t) => t.trim()).filter((t) => t);
  return [...new Set([...checked, ...typed])];
}

async function offerTools() {
  try {
    const res = await fetch('/v1/tools');
    if (!res.ok) return; // the registry listing needs an admin key outside development: type names instead
    const body = await res.json();
    for (const tool of body.tools || []) {
      const label = document.createElement('label');
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.value = tool.name;
      label.append(box, ' ' + tool.name);
      $('toolChoices').appendChild(label);
    }
  } catch (e) { /* offline: names can still be typed */ }
}

/** Mints a session token; the key field is read once and cleared, the key kept nowhere. */
async function mintToken(model, tools) {
  const headers = { 'Content-Type': 'application/json' };
  const key = $('key').value.trim();
  $('key').value = '';
  if (key) headers.Authorization = 'Bearer ' + key;
  const res = await fetch('/v1/session-tokens', {
    method: 'POST', headers, body: JSON.stringify({ model, tools, ttl: '60s' }),
  });
  const body = await res.json().catch(() => ({}));
  if (res.status === 401) throw new Error('the gateway needs a tenant key: type it and connect again (' + body.detail + ')');
  if (!res.ok) throw new Error('session token refused: ' + (body.detail || res.status));
  return body;
}

async function connect() {
  $('connect').disabled = true;
  const model = $('model').value.trim();
  const modality = $('modality').value;
  const tools = selectedTools();
  playback = playback || new AudioContext();
  await playback.resume();
  let token;
  try {
    token = await mintToken(model, tools);
  } catch (e) {
    stats.errors.push(String(e.message));
    log('events', 'err', e.message);
    $('connect').disabled = false;
    return;
  }
  log('events', 'note', 'session token minted, expires ' + token.expireTime);
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  ws = new WebSocket(scheme + '://' + location.host + PATH + '?access_token=' + encodeURIComponent(token.name));
  ws.binaryType = 'arraybuffer';
  ws.onopen = () => {
    stats.connected = true;
    const setup = {
      model: 'models/' + model,
      generationConfig: { responseModalities: [modality] },
      inputAudioTranscription: {},
      sessionResumption: {},
    };
    if (modality === 'AUDIO') {
      setup.generationConfig.speechConfig = { voiceConfig: { prebuiltVoiceConfig: { voiceName: $('voice').value } } };
      setup.outputAudioTranscription = {};
    }
    if (tools.length) setup.tools = [{ functionDeclarations: tools.map((name) => ({ name })) }];
    ws.send(JSON.stringify({ setup }));
    status('connecting to ' + model + '…');
  };
  ws.onmessage = (e) => {
    const text = typeof e.data === 'string' ? e.data : new TextDecoder().decode(e.data);
    onServerMessage(JSON.parse(text));
  };
  ws.onclose = (e) => {
    stats.connected = false;
    stats.closes.push({ code: e.code, reason: e.reason });
    log('events', e.code === 1000 ? 'note' : 'err', 'closed ' + e.code + (e.reason ? ': ' + e.reason : ''));
    status('not connected (last close ' + e.code + ')');
    stopMic();
    for (const id of ['disconnect', 'mic', 'text', 'send']) $(id).disabled = true;
    $('connect').disabled = false;
  };
}

function onServerMessage(m) {
  if (m.setupComplete) {
    stats.setupComplete = true;
    status('connected');
    for (const id of ['disconnect', 'mic', 'text', 'send']) $(id).disabled = false;
  }
  const c = m.serverContent;
  if (c) {
    if (c.interrupted) {
      stats.interruptions++;
      stopPlayback();
      endTurn();
      log('conversation', 'note', '(interrupted)');
    }
    if (c.inputTranscription && c.inputTranscription.text) {
      stats.inputTranscript += c.inputTranscription.text;
      say('you', 'you (heard): ', c.inputTranscription.text);
    }
    if (c.outputTranscription && c.outputTranscription.text) {
      stats.outputTranscript += c.outputTranscription.text;
      say('model', 'model (said): ', c.outputTranscription.text);
    }
    for (const part of (c.modelTurn && c.modelTurn.parts) || []) {
      if (part.text) {
        stats.text += part.text;
        say('model', 'model: ', part.text);
      }
      if (part.inlineData && (part.inlineData.mimeType || '').startsWith('audio/pcm')) play(part.inlineData);
    }
    const sources = (c.groundingMetadata && c.groundingMetadata.groundingChunks) || [];
    for (const chunk of sources) {
      const src = chunk.web || chunk.retrievedContext || {};
      stats.grounding.push(src.uri || src.title || JSON.stringify(chunk));
      if (stats.grounding.length === 1) $('grounding').textContent = '';
      log('grounding', 'note', (src.title ? src.title + ' — ' : '') + (src.uri || ''));
    }
    if (c.turnComplete) {
      stats.turns++;
      endTurn();
    }
  }
  if (m.toolCall) for (const call of m.toolCall.functionCalls || []) showToolCall(call);
  if (m.toolCallCancellation) log('events', 'note', 'tool calls cancelled: ' + (m.toolCallCancellation.ids || []).join(', '));
  if (m.usageMetadata) stats.usage = m.usageMetadata;
  if (m.sessionResumptionUpdate) {
    stats.resumptionUpdates++;
    if (m.sessionResumptionUpdate.newHandle) stats.lastHandle = m.sessionResumptionUpdate.newHandle;
    log('events', 'note', 'resumption update: resumable=' + m.sessionResumptionUpdate.resumable
        + (m.sessionResumptionUpdate.newHandle ? ', new handle ' + m.sessionResumptionUpdate.newHandle.slice(0, 12) + '…' : ''));
  }
  if (m.goAway) {
    stats.goAways++;
    log('events', 'note', 'goAway: the gateway is draining, time left ' + m.goAway.timeLeft);
  }
  if (m.usageMetadata || (c && c.turnComplete)) renderStats();
}

function showToolCall(call) {
  stats.toolCalls.push({ id: call.id, name: call.name, args: call.args || {} });
  if (stats.toolCalls.length === 1) $('calls').textContent = '';
  const box = document.createElement('div');
  box.className = 'call';
  const title = document.createElement('div');
  const code = document.createElement('code');
  code.textContent = call.name + '(' + JSON.stringify(call.args || {}) + ')';
  title.append(code);
  const answer = document.createElement('textarea');
  answer.rows = 2;
  answer.value = '{"result": "ok"}';
  answer.className = 'tool-response';
  const send = document.createElement('button');
  send.textContent = 'Send response';
  send.className = 'send-tool-response';
  send.onclick = () => {
    let response;
    try { response = JSON.parse(answer.value); } catch (e) { alert('not JSON: ' + e.message); return; }
    ws.send(JSON.stringify({ toolResponse: { functionResponses: [{ id: call.id, name: call.name, response }] } }));
    stats.toolResponses++;
    send.disabled = true;
    answer.disabled = true;
    endTurn();
    log('conversation', 'you', 'you (tool ' + call.name + '): ' + JSON.stringify(response));
  };
  box.append(title, answer, send);
  $('calls').appendChild(box);
}

// ---- the model's audio: 24 kHz PCM16, queued back to back, dropped on barge-in

function play(blob) {
  const rate = Number((/rate=(\d+)/.exec(blob.mimeType) || [])[1] || 24000);
  const bytes = Uint8Array.from(atob(blob.data), (ch) => ch.charCodeAt(0));
  const pcm = new Int16Array(bytes.buffer, 0, bytes.length >> 1);
  if (!pcm.length) return;
  const buffer = playback.createBuffer(1, pcm.length, rate);
  const samples = buffer.getChannelData(0);
  for (let i = 0; i < pcm.length; i++) samples[i] = pcm[i] / 32768;
  const source = playback.createBufferSource();
  source.buffer = buffer;
  source.connect(playback.destination);
  playAt = Math.max(playAt, playback.currentTime + 0.02);
  source.start(playAt);
  playAt += buffer.duration;
  stats.samplesQueued += pcm.length;
  playing.add(source);
  source.onended = () => {
    if (playing.delete(source)) stats.samplesPlayed += pcm.length;
  };
}

function stopPlayback() {
  for (const source of playing) {
    playing.delete(source);
    try { source.stop(); } catch (e) { /* not started yet */ }
  }
  playAt = 0;
}

// ---- the microphone: an AudioWorklet at the browser's rate, 40 ms PCM16 chunks

async function startMic() {
  const context = new AudioContext();
  await context.audioWorklet.addModule('/playground/capture-worklet.js');
  const stream = await navigator.mediaDevices.getUserMedia({
    audio: { channelCount: 1, echoCancellation: true, noiseSuppression: false, autoGainControl: false },
  });
  const node = new AudioWorkletNode(context, 'pcm-capture');
  const mute = context.createGain();
  mute.gain.value = 0;
  context.createMediaStreamSource(stream).connect(node);
  node.connect(mute).connect(context.destination);
  const rate = context.sampleRate;
  const per = Math.round(rate * 0.04);
  let pending = [];
  let count = 0;
  stats.captureRate = rate;
  node.port.onmessage = (e) => {
    pending.push(e.data);
    count += e.data.length;
    if (count < per) return;
    const pcm = new Int16Array(count);
    let at = 0;
    let energy = 0;
    for (const block of pending) {
      for (let i = 0; i < block.length; i++) {
        const s = Math.max(-1, Math.min(1, block[i]));
        pcm[at++] = s < 0 ? s * 32768 : s * 32767;
        energy += s * s;
      }
    }
    pending = [];
    count = 0;
    $('level').style.width = Math.min(100, Math.sqrt(energy / pcm.length) * 300) + '%';
    if (ws && ws.readyState === WebSocket.OPEN && stats.setupComplete) {
      ws.send(JSON.stringify({ realtimeInput: { audio: { data: base64(pcm), mimeType: 'audio/pcm;rate=' + rate } } }));
      stats.samplesSent += pcm.length;
    }
  };
  capture = { context, stream, node };
  $('mic').textContent = 'Microphone off';
  log('events', 'note', 'microphone on, ' + rate + ' Hz');
}

function stopMic() {
  if (!capture) return;
  capture.stream.getTracks().forEach((t) => t.stop());
  capture.context.close();
  capture = null;
  $('mic').textContent = 'Microphone on';
  $('level').style.width = '0';
  if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ realtimeInput: { audioStreamEnd: true } }));
}

function base64(int16) {
  const bytes = new Uint8Array(int16.buffer);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function sendText() {
  const text = $('text').value.trim();
  if (!text || !ws) return;
  ws.send(JSON.stringify({ clientContent: { turns: [{ role: 'user', parts: [{ text }] }], turnComplete: true } }));
  endTurn();
  log('conversation', 'you', 'you: ' + text);
  $('text').value = '';
}

function renderStats() {
  const u = stats.usage || {};
  const rows = {
    'audio sent': stats.samplesSent + ' samples @ ' + (stats.captureRate || '–') + ' Hz',
    'audio played': stats.samplesPlayed + ' of ' + stats.samplesQueued + ' samples @ 24000 Hz',
    'turns': stats.turns + ' (' + stats.interruptions + ' interrupted)',
    'tokens': (u.totalTokenCount || 0) + ' total, ' + (u.promptTokenCount || 0) + ' prompt, '
        + (u.responseTokenCount || u.candidatesTokenCount || 0) + ' response',
    'resumption': stats.resumptionUpdates + ' updates' + (stats.lastHandle ? ', resumable' : ''),
  };
  $('stats').innerHTML = '';
  for (const [k, v] of Object.entries(rows)) {
    const tr = document.createElement('tr');
    const th = document.createElement('td');
    th.textContent = k;
    const td = document.createElement('td');
    td.textContent = v;
    tr.append(th, td);
    $('stats').appendChild(tr);
  }
}

$('connect').onclick = connect;
$('disconnect').onclick = () => ws && ws.close(1000, 'playground: disconnect');
$('mic').onclick = () => (capture ? stopMic() : startMic().catch((e) => {
  stats.errors.push(String(e.message));
  log('events', 'err', 'microphone: ' + e.message);
}));
$('send').onclick = sendText;
$('text').onkeydown = (e) => { if (e.key === 'Enter') sendText(); };
setInterval(renderStats, 250);
renderStats();
offerTools();
