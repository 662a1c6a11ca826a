package dev.livegateway.example;

import com.google.protobuf.ByteString;
import dev.livegateway.api.v1.AudioChunk;
import dev.livegateway.api.v1.AudioEncoding;
import dev.livegateway.api.v1.AudioInputFormat;
import dev.livegateway.api.v1.AudioOutput;
import dev.livegateway.api.v1.AudioOutputFormat;
import dev.livegateway.api.v1.AudioStreamEnd;
import dev.livegateway.api.v1.ClientEvent;
import dev.livegateway.api.v1.ClientTurn;
import dev.livegateway.api.v1.LiveGatewayGrpc;
import dev.livegateway.api.v1.Modality;
import dev.livegateway.api.v1.Part;
import dev.livegateway.api.v1.Role;
import dev.livegateway.api.v1.ServerEvent;
import dev.livegateway.api.v1.SessionConfig;
import dev.livegateway.api.v1.SpeechConfig;
import dev.livegateway.api.v1.Turn;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.ClientCallStreamObserver;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Example caller: streams a WAV file through the gateway as realtime audio in 20 ms chunks, then
 * sends a text prompt, prints transcripts and text as they arrive, and writes the model's audio to a
 * WAV file. The WAV may be 16-bit PCM at any rate the gateway takes (8, 11.025, 16, 22.05, 24, 32,
 * 44.1, 48 kHz) or 8 kHz G.711 μ-law or A-law: its format is declared as {@code SessionConfig.input_audio}
 * and the gateway converts it. The reply is written in the format asked with {@code --out-format} and
 * {@code --out-rate} ({@code SessionConfig.output_audio}); by default the Live API's PCM16 at 24 kHz.
 *
 * <pre>
 * java -cp 'target/quarkus-app/lib/boot/*:target/quarkus-app/lib/main/*:target/quarkus-app/app/*' \
 *     dev.livegateway.example.ConverseExample \
 *     --target localhost:8080 --wav question.wav --prompt "Summarise what I said." --out reply.wav \
 *     --out-format mulaw
 * </pre>
 */
public final class ConverseExample {

    /** Options; see {@link #usage()}. */
    public record Options(String target, Path wav, String prompt, Path out, String apiKey, boolean text,
            String voice, boolean realTime, AudioEncoding outEncoding, int outRate) {

        /** The reply in the Live API's format (PCM16 at 24 kHz). */
        public Options(String target, Path wav, String prompt, Path out, String apiKey, boolean text, String voice,
                boolean realTime) {
            this(target, wav, prompt, out, apiKey, text, voice, realTime, AudioEncoding.AUDIO_ENCODING_UNSPECIFIED, 0);
        }
    }

    /** What the conversation produced. */
    public record Result(String sessionId, String inputTranscript, String outputTranscript, String text,
            int audioBytes, int turns) {}

    private final Options options;
    private final PrintStream log;

    public ConverseExample(Options options, PrintStream log) {
        this.options = options;
        this.log = log;
    }

    public static void main(String[] args) throws Exception {
        Options options = parse(args);
        Result result = new ConverseExample(options, System.out).run();
        System.out.printf("%nsession %s: %d turns, %d bytes of audio%s%n", result.sessionId(), result.turns(),
                result.audioBytes(), options.out() == null ? "" : " written to " + options.out());
    }

    public Result run() throws Exception {
        ManagedChannel channel = ManagedChannelBuilder.forTarget(options.target()).usePlaintext().build();
        try {
            LiveGatewayGrpc.LiveGatewayStub stub = ConverseStream.stub(channel, options.apiKey());
            return converse(stub);
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private Result converse(LiveGatewayGrpc.LiveGatewayStub stub) throws Exception {
        BlockingQueue<ServerEvent> events = new LinkedBlockingQueue<>();
        ConverseStream stream = ConverseStream.open(stub, events);
        ClientCallStreamObserver<ClientEvent> out = stream.requests();
        CompletableFuture<Void> done = stream.done();
        SessionConfig.Builder config = SessionConfig.newBuilder()
                .setResponseModality(options.text() ? Modality.MODALITY_TEXT : Modality.MODALITY_AUDIO)
                .setInputAudioTranscription(true)
                .setOutputAudioTranscription(!options.text());
        if (options.voice() != null) {
            config.setSpeech(SpeechConfig.newBuilder().setVoiceName(options.voice()));
        }
        Wav wav = options.wav() == null ? null : Wav.read(options.wav());
        if (wav != null) {
            config.setInputAudio(AudioInputFormat.newBuilder().setEncoding(encoding(wav.formatTag()))
                    .setSampleRateHz(wav.sampleRate()));
        }
        if (options.outEncoding() != AudioEncoding.AUDIO_ENCODING_UNSPECIFIED || options.outRate() != 0) {
            config.setOutputAudio(AudioOutputFormat.newBuilder().setEncoding(options.outEncoding())
                    .setSampleRateHz(options.outRate()));
        }
        out.onNext(ClientEvent.newBuilder().setConfig(config).build());

        StringBuilder input = new StringBuilder();
        StringBuilder output = new StringBuilder();
        StringBuilder text = new StringBuilder();
        ByteArrayOutputStream audio = new ByteArrayOutputStream();
        AudioOutput[] audioFormat = {AudioOutput.getDefaultInstance()};
        String[] sessionId = {""};
        int[] turns = {0};
        java.util.function.Consumer<ServerEvent> print = event -> {
            switch (event.getEventCase()) {
                case SESSION_STARTED -> {
                    sessionId[0] = event.getSessionStarted().getGatewaySessionId();
                    log.printf("[session %s on %s]%n", sessionId[0], event.getSessionStarted().getModel());
                }
                case INPUT_TRANSCRIPTION -> {
                    input.append(event.getInputTranscription().getText());
                    log.printf("[you] %s%n", event.getInputTranscription().getText());
                }
                case OUTPUT_TRANSCRIPTION -> {
                    output.append(event.getOutputTranscription().getText());
                    log.printf("[model, spoken] %s%n", event.getOutputTranscription().getText());
                }
                case TEXT -> {
                    text.append(event.getText().getText());
                    log.printf("[model] %s%n", event.getText().getText());
                }
                case AUDIO -> {
                    audio.writeBytes(event.getAudio().getData().toByteArray());
                    audioFormat[0] = event.getAudio();
                }
                case TURN_COMPLETE -> {
                    turns[0]++;
                    log.println("[turn complete]");
                }
                case INTERRUPTED -> log.println("[interrupted]");
                case SESSION_RESUMED -> log.println("[gateway moved the session to a new Live API connection]");
                default -> { }
            }
        };
        awaitEvent(events, ServerEvent.EventCase.SESSION_STARTED, print, done);

        if (wav != null) {
            int chunkBytes = wav.sampleRate() / 50 * wav.bytesPerSample(); // 20 ms (19.95 ms at 11,025 Hz)
            long chunkNanos = TimeUnit.SECONDS.toNanos(1) * (chunkBytes / wav.bytesPerSample()) / wav.sampleRate();
            long next = System.nanoTime();
            byte[] data = wav.data();
            for (int offset = 0; offset < data.length; offset += chunkBytes) {
                int length = Math.min(chunkBytes, data.length - offset);
                awaitReady(out, events, print);
                out.onNext(ClientEvent.newBuilder().setAudio(AudioChunk.newBuilder()
                        .setData(ByteString.copyFrom(data, offset, length - length % wav.bytesPerSample()))).build());
                if (options.realTime()) {
                    next += chunkNanos;
                    long sleep = next - System.nanoTime();
                    if (sleep > 0) {
                        TimeUnit.NANOSECONDS.sleep(sleep);
                    }
                }
                drain(events, print);
            }
            out.onNext(ClientEvent.newBuilder().setAudioStreamEnd(AudioStreamEnd.getDefaultInstance()).build());
            awaitEvent(events, ServerEvent.EventCase.TURN_COMPLETE, print, done);
        }
        if (options.prompt() != null) {
            out.onNext(ClientEvent.newBuilder().setTurn(ClientTurn.newBuilder().setTurnComplete(true)
                    .addTurns(Turn.newBuilder().setRole(Role.ROLE_USER)
                            .addParts(Part.newBuilder().setText(options.prompt())))).build());
            awaitEvent(events, ServerEvent.EventCase.TURN_COMPLETE, print, done);
        }
        out.onCompleted();
        done.get(60, TimeUnit.SECONDS);
        drain(events, print);
        if (options.out() != null) {
            AudioOutput format = audioFormat[0];
            new Wav(formatTag(format.getEncoding()), format.getSampleRateHz() == 0 ? 24000 : format.getSampleRateHz(),
                    audio.toByteArray()).write(options.out());
        }
        return new Result(sessionId[0], input.toString(), output.toString(), text.toString(), audio.size(), turns[0]);
    }

    /** The gateway's encoding of a WAV format tag. */
    static AudioEncoding encoding(int formatTag) {
        return switch (formatTag) {
            case Wav.MULAW -> AudioEncoding.AUDIO_ENCODING_MULAW;
            case Wav.ALAW -> AudioEncoding.AUDIO_ENCODING_ALAW;
            default -> AudioEncoding.AUDIO_ENCODING_PCM16;
        };
    }

    /** The WAV format tag of an encoding of AudioOutput. */
    static int formatTag(AudioEncoding encoding) {
        return switch (encoding) {
            case AUDIO_ENCODING_MULAW -> Wav.MULAW;
            case AUDIO_ENCODING_ALAW -> Wav.ALAW;
            default -> Wav.PCM;
        };
    }

    private static void awaitReady(ClientCallStreamObserver<ClientEvent> out, BlockingQueue<ServerEvent> events,
            java.util.function.Consumer<ServerEvent> print) throws InterruptedException {
        while (!out.isReady()) {
            drain(events, print);
            TimeUnit.MILLISECONDS.sleep(2);
        }
    }

    private static void drain(BlockingQueue<ServerEvent> events, java.util.function.Consumer<ServerEvent> print) {
        ServerEvent event;
        while ((event = events.poll()) != null) {
            print.accept(event);
        }
    }

    private static void awaitEvent(BlockingQueue<ServerEvent> events, ServerEvent.EventCase wanted,
            java.util.function.Consumer<ServerEvent> print, CompletableFuture<Void> done) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            ServerEvent event = events.poll(50, TimeUnit.MILLISECONDS);
            if (event != null) {
                print.accept(event);
                if (event.getEventCase() == wanted) {
                    return;
                }
            } else if (done.isDone()) {
                done.get(); // rethrows the stream's error
                throw new IllegalStateException("stream ended before " + wanted);
            }
        }
        throw new IllegalStateException("no " + wanted + " within 60 s");
    }

    static Options parse(String[] args) {
        String target = "localhost:8080";
        Path wav = null;
        String prompt = null;
        Path out = null;
        String apiKey = System.getenv("LIVE_GATEWAY_API_KEY");
        boolean text = false;
        String voice = null;
        boolean realTime = true;
        AudioEncoding outEncoding = AudioEncoding.AUDIO_ENCODING_UNSPECIFIED;
        int outRate = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--target" -> target = args[++i];
                case "--wav" -> wav = Path.of(args[++i]);
                case "--prompt" -> prompt = args[++i];
                case "--out" -> out = Path.of(args[++i]);
                case "--api-key" -> apiKey = args[++i];
                case "--text" -> text = true;
                case "--voice" -> voice = args[++i];
                case "--fast" -> realTime = false;
                case "--out-format" -> outEncoding = switch (args[++i]) {
                    case "pcm16" -> AudioEncoding.AUDIO_ENCODING_PCM16;
                    case "mulaw" -> AudioEncoding.AUDIO_ENCODING_MULAW;
                    case "alaw" -> AudioEncoding.AUDIO_ENCODING_ALAW;
                    default -> throw new IllegalArgumentException("--out-format must be pcm16, mulaw or alaw, got "
                            + args[i]);
                };
                case "--out-rate" -> outRate = Integer.parseInt(args[++i]);
                case "--help", "-h" -> {
                    System.out.println(usage());
                    System.exit(0);
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "\n" + usage());
            }
        }
        if (wav == null && prompt == null) {
            throw new IllegalArgumentException("give --wav and/or --prompt\n" + usage());
        }
        return new Options(target, wav, prompt, out, apiKey, text, voice, realTime, outEncoding, outRate);
    }

    static String usage() {
        return """
                ConverseExample [--target host:port] [--wav file.wav] [--prompt text] [--out reply.wav]
                                [--api-key KEY] [--text] [--voice NAME] [--fast]
                                [--out-format pcm16|mulaw|alaw] [--out-rate HZ]
                  --target   gateway address (default localhost:8080)
                  --wav      WAV to stream as realtime audio, 20 ms chunks at real-time pace: 16-bit PCM mono or
                             multi-channel at 8000, 11025, 16000, 22050, 24000, 32000, 44100 or 48000 Hz, or
                             8 kHz G.711 mu-law (format 7) or A-law (format 6); the gateway converts it
                  --prompt   text turn sent after the audio
                  --out      where to write the model's audio, as a WAV in the format asked
                  --out-format  the reply's encoding (default pcm16)
                  --out-rate    the reply's rate: PCM16 any rate above (default 24000), G.711 8000
                  --api-key  tenant API key (or env LIVE_GATEWAY_API_KEY); not needed in dev mode
                  --text     ask for text answers instead of audio
                  --voice    prebuilt voice, e.g. Aoede
                  --fast     send audio as fast as flow control allows instead of in real time
                """;
    }
}
