package dev.livegateway.bench;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;

/**
 * Options of one load-generator pass; see {@link #USAGE}.
 *
 * @param gatewayTarget {@code host:port} of the gateway's gRPC port, or null for the direct path
 * @param directUrl the emulator's Live API WebSocket URL, or null for the gateway path
 */
public record LoadOptions(String gatewayTarget, URI directUrl, int sessions, int chunkMillis, Duration duration,
        Duration rampUp, Duration settle, Duration textEvery, int threads, int streamsPerConnection, String apiKey,
        boolean driven, String model, boolean telephony) {

    static final String USAGE = """
            Live Gateway load generator: N concurrent conversations streaming PCM16 16 kHz audio in real time,
            each chunk's round trip timed against its echo (emulator --audio-echo).

            Usage: LoadGenerator (--gateway HOST:PORT | --direct ws://HOST:PORT/ws/...) [options]
              --sessions N              concurrent conversations (default 100)
              --chunk-ms MS             audio chunk length: 20 (640 bytes, 50/s) or 100 (3200 bytes, 10/s); default 20
              --duration S              measured seconds (default 20)
              --ramp-up S               seconds over which the sessions are opened (default: N/200, at least 1)
              --settle S                seconds of streaming after the ramp-up before measuring, so that this JVM's own
                                        JIT is warm when the window starts (default 8)
              --text-every S            one text turn per session every S seconds, 0 = none (default 5)
              --threads N               event-loop threads (default 2)
              --streams-per-connection N  gRPC streams per HTTP/2 connection (default 100)
              --api-key KEY             sent as 'authorization: Bearer KEY' (gateway path)
              --model NAME              model (default: gateway default / gemini-live-2.5-flash direct)
              --audio pcm16|mulaw       the caller's audio: PCM16 16 kHz (default), or telephony: G.711 mu-law
                                        8 kHz in and out (SessionConfig.input_audio / output_audio), converted
                                        by the gateway; mulaw needs --gateway
              --driven                  pause after measuring (active) and after stopping the audio (idle)
                                        until a line arrives on stdin; used by BenchDriver to sample memory
            Prints PHASE lines while it runs and one 'RESULT {json}' line at the end.
            """;

    /** Parses the command line; null means --help. */
    static LoadOptions parse(String[] args) {
        String gateway = null;
        URI direct = null;
        int sessions = 100;
        int chunkMs = 20;
        double duration = 20;
        Double rampUp = null;
        double settle = 8;
        double textEvery = 5;
        int threads = 2;
        int perConnection = 100;
        String apiKey = null;
        boolean driven = false;
        String model = null;
        boolean telephony = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--help", "-h" -> {
                    return null;
                }
                case "--driven" -> driven = true;
                default -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException(arg + " needs a value");
                    }
                    String value = args[++i];
                    switch (arg) {
                        case "--gateway" -> gateway = value;
                        case "--direct" -> direct = URI.create(value);
                        case "--sessions" -> sessions = positive(arg, value);
                        case "--chunk-ms" -> chunkMs = positive(arg, value);
                        case "--duration" -> duration = seconds(arg, value);
                        case "--ramp-up" -> rampUp = seconds(arg, value);
                        case "--settle" -> settle = seconds(arg, value);
                        case "--text-every" -> textEvery = seconds(arg, value);
                        case "--threads" -> threads = positive(arg, value);
                        case "--streams-per-connection" -> perConnection = positive(arg, value);
                        case "--api-key" -> apiKey = value;
                        case "--model" -> model = value;
                        case "--audio" -> {
                            if (!value.equals("pcm16") && !value.equals("mulaw")) {
                                throw new IllegalArgumentException("--audio must be pcm16 or mulaw, got " + value);
                            }
                            telephony = value.equals("mulaw");
                        }
                        default -> throw new IllegalArgumentException("unknown option " + arg);
                    }
                }
            }
        }
        if ((gateway == null) == (direct == null)) {
            throw new IllegalArgumentException("give exactly one of --gateway HOST:PORT and --direct ws://...");
        }
        if (direct != null && !"ws".equals(direct.getScheme().toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("--direct must be a ws:// URL (the emulator without TLS), got " + direct);
        }
        if (chunkMs != 20 && chunkMs != 100 && (chunkMs % 10 != 0 || chunkMs > 1000)) {
            throw new IllegalArgumentException("--chunk-ms must be a multiple of 10 up to 1000 (20 and 100 are the"
                    + " benchmark's sizes), got " + chunkMs);
        }
        if (telephony && gateway == null) {
            throw new IllegalArgumentException("--audio mulaw needs --gateway: the Live API (and the emulator) takes PCM16");
        }
        double ramp = rampUp != null ? rampUp : Math.max(1, sessions / 200.0);
        return new LoadOptions(gateway, direct, sessions, chunkMs, millis(duration), millis(ramp), millis(settle),
                millis(textEvery), threads, perConnection, apiKey, driven, model, telephony);
    }

    /** Bytes of one chunk: PCM16 mono at 16 kHz is 32 bytes per millisecond, μ-law at 8 kHz 8. */
    int chunkBytes() {
        return chunkMillis * (telephony ? 8 : 32);
    }

    boolean viaGateway() {
        return gatewayTarget != null;
    }

    private static Duration millis(double seconds) {
        return Duration.ofMillis(Math.round(seconds * 1000));
    }

    private static int positive(String option, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n < 1) {
                throw new IllegalArgumentException(option + " must be at least 1, got " + value);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a whole number, got '" + value + "'");
        }
    }

    private static double seconds(String option, String value) {
        try {
            double s = Double.parseDouble(value);
            if (s < 0) {
                throw new IllegalArgumentException(option + " must not be negative, got " + value);
            }
            return s;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a number of seconds, got '" + value + "'");
        }
    }
}
