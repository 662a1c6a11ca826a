package dev.livegateway.example;

import com.google.protobuf.ByteString;
import dev.livegateway.api.v1.AudioChunk;
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
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Example caller: streams a 16 kHz WAV file through the gateway as realtime audio in 20 ms chunks,
 * then sends a text prompt, prints transcripts and text as they arrive, and writes the model's
 * audio to a WAV file.
 *
 * <pre>
 * java -cp 'target/quarkus-app/lib/boot/*:target/quarkus-app/lib/main/*:target/quarkus-app/app/*' \
 *     dev.livegateway.example.ConverseExample \
 *     --target localhost:8080 --wav question.wav --prompt "Summarise what I said." --out reply.wav
 * </pre>
 */
public final class ConverseExample {

    /** Options; see {@link #usage()}. */
    public record Options(String target, Path wav, String prompt, Path out, String apiKey, boolean text,
            String voice, boolean realTime) {}

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
            LiveGatewayGrpc.LiveGatewayStub stub = LiveGatewayGrpc.newStub(channel);
            if (options.apiKey() != null) {
                Metadata headers = new Metadata();
                headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + options.apiKey());
                stub = stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
            }
            return converse(stub);
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private Result converse(LiveGatewayGrpc.LiveGatewayStub stub) throws Exception {
        BlockingQueue<ServerEvent> events = new LinkedBlockingQueue<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        CompletableFuture<ClientCallStreamObserver<ClientEvent>> requests = new CompletableFuture<>();
        stub.converse(new ClientResponseObserver<ClientEvent, ServerEvent>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<ClientEvent> requestStream) {
                requests.complete(requestStream);
            }

            @Override
            public void onNext(ServerEvent value) {
                events.add(value);
            }

            @Override
            public void onError(Throwable t) {
                done.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                done.complete(null);
            }
        });
        ClientCallStreamObserver<ClientEvent> out = requests.get();
        SessionConfig.Builder config = SessionConfig.newBuilder()
                .setResponseModality(options.text() ? Modality.MODALITY_TEXT : Modality.MODALITY_AUDIO)
                .setInputAudioTranscription(true)
                .setOutputAudioTranscription(!options.text());
        if (options.voice() != null) {
            config.setSpeech(SpeechConfig.newBuilder().setVoiceName(options.voice()));
        }
        out.onNext(ClientEvent.newBuilder().setConfig(config).build());

        StringBuilder input = new StringBuilder();
        StringBuilder output = new StringBuilder();
        StringBuilder text = new StringBuilder();
        ByteArrayOutputStream audio = new ByteArrayOutputStream();
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
                case AUDIO -> audio.writeBytes(event.getAudio().getData().toByteArray());
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

        if (options.wav() != null) {
            Wav wav = Wav.read(options.wav());
            int chunkBytes = wav.sampleRate() / 50 * 2; // 20 ms
            long next = System.nanoTime();
            for (int offset = 0; offset < wav.pcm16().length; offset += chunkBytes) {
                int length = Math.min(chunkBytes, wav.pcm16().length - offset);
                awaitReady(out, events, print);
                out.onNext(ClientEvent.newBuilder().setAudio(AudioChunk.newBuilder()
                        .setData(ByteString.copyFrom(wav.pcm16(), offset, length & ~1))
                        .setSampleRateHz(wav.sampleRate())).build());
                if (options.realTime()) {
                    next += 20_000_000L;
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
            new Wav(24000, audio.toByteArray()).write(options.out());
        }
        return new Result(sessionId[0], input.toString(), output.toString(), text.toString(), audio.size(), turns[0]);
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
        return new Options(target, wav, prompt, out, apiKey, text, voice, realTime);
    }

    static String usage() {
        return """
                ConverseExample [--target host:port] [--wav file.wav] [--prompt text] [--out reply.wav]
                                [--api-key KEY] [--text] [--voice NAME] [--fast]
                  --target   gateway address (default localhost:8080)
                  --wav      16-bit PCM WAV to stream as realtime audio, 20 ms chunks at real-time pace
                  --prompt   text turn sent after the audio
                  --out      where to write the model's audio (24 kHz WAV)
                  --api-key  tenant API key (or env LIVE_GATEWAY_API_KEY); not needed in dev mode
                  --text     ask for text answers instead of audio
                  --voice    prebuilt voice, e.g. Aoede
                  --fast     send audio as fast as flow control allows instead of in real time
                """;
    }
}
