package dev.livegateway.emulator;

import dev.livegateway.wire.Flavour;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs the Live API emulator as its own process:
 * {@code java -cp 'target/quarkus-app/lib/main/*:target/quarkus-app/app/*' dev.livegateway.emulator.EmulatorMain --port 9090}.
 */
public final class EmulatorMain {

    private static final String USAGE = """
            Live API emulator: a Gemini Live API (BidiGenerateContent) server with a scripted model.

            Usage: EmulatorMain [options]
              --host HOST                    interface to bind (default 127.0.0.1; 0.0.0.0 for all)
              --port PORT                    port (default 9090; 0 = random)
              --tls-cert FILE --tls-key FILE serve wss:// with these PEM files
              --path-prefix PREFIX           accept /PREFIX/ws/... (default none)
              --flavour vertex|gemini        force a flavour (default: decided by the request path)
              --auth none|any|exact          credential check (default none)
              --credential VALUE             the token / API key required by --auth exact
              --auth-rejection http-401|http-403|close-1008   how to refuse (default http-401)
              --lenient                      ignore unknown fields instead of closing 1007
              --text-frames                  send text frames (default binary, like the real server)
              --pretty                       pretty-print server JSON
              --chunk-delay MS               pause between reply chunks (default 10)
              --model-pattern REGEX          accepted model ids (default .*(live|native-audio).*)
              --silence-ms MS                default end-of-speech silence (default 500)
              --audio-echo                   answer each audio chunk at once with audio (benchmarks)
              --max-concurrent-sessions N    close 1011 RESOURCE_EXHAUSTED beyond N sessions (default unlimited)
              --go-away-after SECONDS        send goAway at this connection age (default never)
              --go-away-time-left SECONDS    goAway.timeLeft, then close 1000 (default 10)
              --setup-delay MS               hold back setupComplete (default 0)
              --resumption-every N           resumption update every N consumed messages (default 10)
              --handle-ttl SECONDS           resumption handle validity (default 7200)
              --fault JSON                   a fault rule (repeatable), e.g. '{"action":"CLOSE","error":"INTERNAL","when":"AFTER_MESSAGES","afterMessages":3}'
              --no-admin                     disable the /emulator/ admin endpoints
              --no-record                    keep no client messages (counts only; for long load tests)
              --record-max-session-bytes N   recorded bytes kept per connection and per session; oldest
                                             dropped (default 8388608)
              --record-max-total-bytes N     recorded bytes in all; oldest sessions forgotten (default 67108864)
              --record-max-payload-chars N   longer strings (base64 audio, video) recorded as a summary
                                             (default 65536)
              --event-loops N                event loops serving connections (default 1)
              --help                         this text
            """;

    private EmulatorMain() {}

    public static void main(String[] args) throws Exception {
        EmulatorOptions options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println("run with --help for the options");
            System.exit(2);
            return;
        }
        if (options == null) {
            System.out.print(USAGE);
            return;
        }
        Vertx vertx = Vertx.vertx();
        LiveApiEmulator emulator = new LiveApiEmulator(options);
        try {
            emulator.start(vertx).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("error: cannot bind " + options.host() + ":" + options.port() + ": " + e.getMessage());
            vertx.close();
            System.exit(1);
            return;
        }
        System.out.println("Live API emulator listening on " + emulator.baseUrl());
        System.out.println("  Vertex:        " + emulator.baseUrl() + LivePaths.VERTEX_V1BETA1);
        System.out.println("  Developer API: " + emulator.baseUrl() + LivePaths.DEVELOPER_V1BETA);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                emulator.stop().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
                vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // exiting anyway
            }
            stopped.countDown();
        }));
        stopped.await();
    }

    /** Parses the flags; returns null for --help. */
    static EmulatorOptions parse(String[] args) {
        EmulatorOptions o = EmulatorOptions.defaults().port(9090);
        String cert = null;
        String key = null;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            switch (flag) {
                case "--help", "-h" -> {
                    return null;
                }
                case "--host" -> o.host(value(args, ++i, flag));
                case "--port" -> o.port(intValue(args, ++i, flag));
                case "--tls-cert" -> cert = value(args, ++i, flag);
                case "--tls-key" -> key = value(args, ++i, flag);
                case "--path-prefix" -> o.pathPrefix(value(args, ++i, flag));
                case "--flavour", "--flavor" -> o.forcedFlavour(Flavour.parse(value(args, ++i, flag)));
                case "--auth" -> o.authMode(EmbeddedEmulator.enumOf(EmulatorOptions.AuthMode.class, value(args, ++i, flag)));
                case "--credential" -> o.expectedCredential(value(args, ++i, flag));
                case "--auth-rejection" -> o.authRejection(
                        EmbeddedEmulator.enumOf(EmulatorOptions.AuthRejection.class, value(args, ++i, flag)));
                case "--lenient" -> o.strictFields(false);
                case "--text-frames" -> o.binaryFrames(false);
                case "--pretty" -> o.pretty(true);
                case "--chunk-delay" -> o.chunkDelay(Duration.ofMillis(intValue(args, ++i, flag)));
                case "--model-pattern" -> o.modelPattern(value(args, ++i, flag));
                case "--silence-ms" -> o.defaultSilenceDurationMs(intValue(args, ++i, flag));
                case "--audio-echo" -> o.audioEcho(true);
                case "--max-concurrent-sessions" -> o.maxConcurrentSessions(intValue(args, ++i, flag));
                case "--go-away-after" -> o.goAwayAfter(Duration.ofSeconds(intValue(args, ++i, flag)));
                case "--go-away-time-left" -> o.goAwayTimeLeftSeconds(intValue(args, ++i, flag));
                case "--setup-delay" -> o.setupCompleteDelay(Duration.ofMillis(intValue(args, ++i, flag)));
                case "--resumption-every" -> o.resumptionUpdateEveryMessages(intValue(args, ++i, flag));
                case "--handle-ttl" -> o.handleTtl(Duration.ofSeconds(intValue(args, ++i, flag)));
                case "--fault" -> o.addFault(new FaultInjector().addJson(value(args, ++i, flag)));
                case "--no-admin" -> o.adminEnabled(false);
                case "--no-record" -> o.recording(false);
                case "--record-max-session-bytes" -> o.recordingMaxSessionBytes(longValue(args, ++i, flag));
                case "--record-max-total-bytes" -> o.recordingMaxTotalBytes(longValue(args, ++i, flag));
                case "--record-max-payload-chars" -> o.recordingMaxPayloadChars(intValue(args, ++i, flag));
                case "--event-loops" -> o.eventLoops(intValue(args, ++i, flag));
                default -> throw new IllegalArgumentException("unknown option " + flag);
            }
        }
        if (cert != null || key != null) {
            if (cert == null || key == null) {
                throw new IllegalArgumentException("--tls-cert and --tls-key go together");
            }
            o.tls(cert, key);
        }
        return o.validate();
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }

    private static int intValue(String[] args, int i, String flag) {
        String v = value(args, i, flag);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " needs a whole number, got '" + v + "'");
        }
    }

    private static long longValue(String[] args, int i, String flag) {
        String v = value(args, i, flag);
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " needs a whole number, got '" + v + "'");
        }
    }
}
