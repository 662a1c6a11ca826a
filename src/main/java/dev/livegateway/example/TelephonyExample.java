package dev.livegateway.example;

import com.google.protobuf.ByteString;
import dev.livegateway.api.v1.AudioChunk;
import dev.livegateway.api.v1.AudioEncoding;
import dev.livegateway.api.v1.AudioInputFormat;
import dev.livegateway.api.v1.AudioOutputFormat;
import dev.livegateway.api.v1.ClientEvent;
import dev.livegateway.api.v1.LiveGatewayGrpc;
import dev.livegateway.api.v1.Modality;
import dev.livegateway.api.v1.ServerEvent;
import dev.livegateway.api.v1.SessionConfig;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.ClientCallStreamObserver;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * Example of a telephony media-stream bridge (the shape of a Twilio, Telnyx or Vonage media stream, or
 * an Asterisk external-media channel): one loop on a 20 ms clock that, every tick, sends the caller's
 * next 20 ms frame of 8 kHz μ-law (160 bytes) to the gateway and plays the next 20 ms frame of the
 * model's answer, which the gateway delivers already as 160-byte μ-law frames
 * ({@code output_audio { encoding: MULAW, frame_ms: 20 }}). The bridge keeps a playback queue as a
 * phone line does; on {@code interrupted} (the caller talked over the model) it clears the queue, what
 * the media streams' {@code clear} message does. No resampler or codec on this side: the gateway does both.
 *
 * <p>The caller's side is a μ-law WAV (8 kHz mono, format 7), followed by silence until the model's
 * answer is over; what the "phone" played (the model's frames, silence where there was none) is
 * written to a μ-law WAV.
 *
 * <pre>
 * java -cp 'target/quarkus-app/lib/boot/*:target/quarkus-app/lib/main/*:target/quarkus-app/app/*' \
 *     dev.livegateway.example.TelephonyExample --target localhost:8080 --wav caller.wav --out line.wav
 * </pre>
 */
public final class TelephonyExample {

    /** 20 ms of 8 kHz μ-law. */
    public static final int FRAME_BYTES = 160;
    private static final byte MULAW_SILENCE = (byte) 0xFF;

    /** Options; see {@link #usage()}. */
    public record Options(String target, Path wav, Path out, String apiKey, boolean realTime, int maxSeconds) {}

    /**
     * What the call produced.
     *
     * @param framesSent caller frames sent (the WAV, then silence)
     * @param framesReceived model frames received, every one exactly {@value #FRAME_BYTES} bytes
     * @param oddFrames frames received of another size (0 when the gateway frames as asked)
     * @param framesPlayed model frames played on the line
     * @param framesCleared model frames dropped from the playback queue on a barge-in
     */
    public record Result(String sessionId, String inputTranscript, String outputTranscript, int framesSent,
            int framesReceived, int oddFrames, int framesPlayed, int framesCleared, int turns) {}

    private final Options options;
    private final PrintStream log;

    public TelephonyExample(Options options, PrintStream log) {
        this.options = options;
        this.log = log;
    }

    public static void main(String[] args) throws Exception {
        Result result = new TelephonyExample(parse(args), System.out).run();
        System.out.printf("%nsession %s: %d frames sent, %d received (%d of another size), %d played, %d cleared,"
                + " %d turns%n", result.sessionId(), result.framesSent(), result.framesReceived(), result.oddFrames(),
                result.framesPlayed(), result.framesCleared(), result.turns());
    }

    public Result run() throws Exception {
        Wav wav = Wav.read(options.wav());
        if (wav.formatTag() != Wav.MULAW || wav.sampleRate() != 8000) {
            throw new IllegalArgumentException("the caller's WAV must be 8 kHz mu-law (format 7), got format "
                    + wav.formatTag() + " at " + wav.sampleRate() + " Hz");
        }
        ManagedChannel channel = ManagedChannelBuilder.forTarget(options.target()).usePlaintext().build();
        try {
            LiveGatewayGrpc.LiveGatewayStub stub = ConverseStream.stub(channel, options.apiKey());
            return call(stub, wav.data());
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private Result call(LiveGatewayGrpc.LiveGatewayStub stub, byte[] caller) throws Exception {
        ConcurrentLinkedQueue<ServerEvent> events = new ConcurrentLinkedQueue<>();
        ConverseStream stream = ConverseStream.open(stub, events);
        ClientCallStreamObserver<ClientEvent> out = stream.requests();
        CompletableFuture<Void> done = stream.done();
        AudioEncoding mulaw = AudioEncoding.AUDIO_ENCODING_MULAW;
        out.onNext(ClientEvent.newBuilder().setConfig(SessionConfig.newBuilder()
                .setResponseModality(Modality.MODALITY_AUDIO)
                .setInputAudioTranscription(true)
                .setOutputAudioTranscription(true)
                .setInputAudio(AudioInputFormat.newBuilder().setEncoding(mulaw).setSampleRateHz(8000))
                .setOutputAudio(AudioOutputFormat.newBuilder().setEncoding(mulaw).setSampleRateHz(8000).setFrameMs(20)))
                .build());

        ArrayDeque<byte[]> playback = new ArrayDeque<>();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        StringBuilder heard = new StringBuilder();
        StringBuilder said = new StringBuilder();
        byte[] silence = new byte[FRAME_BYTES];
        Arrays.fill(silence, MULAW_SILENCE);
        String sessionId = "";
        int sent = 0;
        int received = 0;
        int odd = 0;
        int played = 0;
        int cleared = 0;
        int turns = 0;
        boolean started = false;
        boolean answered = false;
        long tick = System.nanoTime();
        long deadline = tick + TimeUnit.SECONDS.toNanos(options.maxSeconds());
        // One tick every 20 ms: take the gateway's events, send one caller frame, play one model frame.
        while (!(answered && playback.isEmpty()) && System.nanoTime() < deadline && !done.isDone()) {
            ServerEvent event;
            while ((event = events.poll()) != null) {
                switch (event.getEventCase()) {
                    case SESSION_STARTED -> {
                        sessionId = event.getSessionStarted().getGatewaySessionId();
                        started = true;
                        log.printf("[call %s on %s]%n", sessionId, event.getSessionStarted().getModel());
                    }
                    case AUDIO -> {
                        received++;
                        if (event.getAudio().getData().size() != FRAME_BYTES) {
                            odd++;
                        }
                        playback.add(event.getAudio().getData().toByteArray());
                    }
                    case INTERRUPTED -> {
                        cleared += playback.size();
                        playback.clear(); // the media stream's "clear": stop playing the interrupted answer
                        log.println("[interrupted: playback cleared]");
                    }
                    case INPUT_TRANSCRIPTION -> {
                        heard.append(event.getInputTranscription().getText());
                        log.printf("[caller] %s%n", event.getInputTranscription().getText());
                    }
                    case OUTPUT_TRANSCRIPTION -> {
                        said.append(event.getOutputTranscription().getText());
                        log.printf("[model] %s%n", event.getOutputTranscription().getText());
                    }
                    case TURN_COMPLETE -> {
                        turns++;
                        answered = true;
                        log.println("[turn complete]");
                    }
                    default -> { }
                }
            }
            if (started && out.isReady()) {
                int offset = sent * FRAME_BYTES;
                byte[] frame = offset < caller.length
                        ? Arrays.copyOfRange(caller, offset, Math.min(caller.length, offset + FRAME_BYTES)) : silence;
                out.onNext(ClientEvent.newBuilder().setAudio(AudioChunk.newBuilder()
                        .setData(ByteString.copyFrom(frame))).build());
                sent++;
            }
            byte[] next = playback.poll();
            if (next != null) {
                played++;
            }
            if (started) {
                line.writeBytes(next != null ? next : silence);
            }
            tick += TimeUnit.MILLISECONDS.toNanos(20);
            long sleep = tick - System.nanoTime();
            if (options.realTime() && sleep > 0) {
                TimeUnit.NANOSECONDS.sleep(sleep);
            } else if (!options.realTime()) {
                TimeUnit.MILLISECONDS.sleep(1);
            }
        }
        out.onCompleted();
        done.get(30, TimeUnit.SECONDS);
        if (options.out() != null) {
            new Wav(Wav.MULAW, 8000, line.toByteArray()).write(options.out());
        }
        return new Result(sessionId, heard.toString(), said.toString(), sent, received, odd, played, cleared, turns);
    }

    static Options parse(String[] args) {
        String target = "localhost:8080";
        Path wav = null;
        Path out = null;
        String apiKey = System.getenv("LIVE_GATEWAY_API_KEY");
        boolean realTime = true;
        int maxSeconds = 60;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--target" -> target = args[++i];
                case "--wav" -> wav = Path.of(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--api-key" -> apiKey = args[++i];
                case "--fast" -> realTime = false;
                case "--max-seconds" -> maxSeconds = Integer.parseInt(args[++i]);
                case "--help", "-h" -> {
                    System.out.println(usage());
                    System.exit(0);
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "\n" + usage());
            }
        }
        if (wav == null) {
            throw new IllegalArgumentException("give --wav\n" + usage());
        }
        return new Options(target, wav, out, apiKey, realTime, maxSeconds);
    }

    static String usage() {
        return """
                TelephonyExample [--target host:port] --wav caller.wav [--out line.wav] [--api-key KEY] [--fast]
                                 [--max-seconds S]
                  --target       gateway address (default localhost:8080)
                  --wav          the caller: 8 kHz mu-law mono WAV (format 7), sent in 20 ms frames of 160 bytes,
                                 then silence until the model has answered
                  --out          what the line played (the model's 20 ms frames), as an 8 kHz mu-law WAV
                  --api-key      tenant API key (or env LIVE_GATEWAY_API_KEY); not needed in dev mode
                  --fast         tick as fast as flow control allows instead of every 20 ms
                  --max-seconds  give up after this long (default 60)
                """;
    }
}
