// Microphone capture at the AudioContext's own rate: mono Float32 blocks posted to the page,
// which converts them to PCM16 and sends them as audio/pcm;rate=<rate> (the gateway converts).
class PcmCapture extends AudioWorkletProcessor {
  process(inputs) {
    const channel = inputs[0] && inputs[0][0];
    if (channel && channel.length) {
      this.port.postMessage(channel.slice(0));
    }
    return true;
  }
}
registerProcessor('pcm-capture', PcmCapture);
