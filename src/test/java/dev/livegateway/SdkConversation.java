package dev.livegateway;

import com.google.genai.AsyncSession;
import com.google.genai.Client;
import com.google.genai.types.Content;
import com.google.genai.types.LiveConnectConfig;
import com.google.genai.types.LiveSendClientContentParameters;
import com.google.genai.types.LiveSendRealtimeInputParameters;
import com.google.genai.types.LiveServerMessage;
import com.google.genai.types.Part;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.hamcrest.Matchers;

/**
 * A Live session of Google's Gen AI Java SDK (a real client, the judge of Live API compatibility)
 * collecting every message the SDK parsed, with waits generous enough for a loaded CI machine.
 */
public final class SdkConversation implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(20);

    public final AsyncSession session;
    public final List<LiveServerMessage> received = new CopyOnWriteArrayList<>();

    public SdkConversation(Client client, String model, LiveConnectConfig config) throws Exception {
        session = client.async.live.connect(model, config).get(20, TimeUnit.SECONDS);
        session.receive(received::add);
    }

    /** One user turn of text, complete. */
    public void say(String text) throws Exception {
        session.sendClientContent(LiveSendClientContentParameters.builder()
                .turns(Content.builder().role("user").parts(Part.fromText(text)).build())
                .turnComplete(true).build()).get(10, TimeUnit.SECONDS);
    }

    public void send(LiveSendRealtimeInputParameters.Builder input) throws Exception {
        session.sendRealtimeInput(input.build()).get(10, TimeUnit.SECONDS);
    }

    /** The first received message that matches, waiting for it. */
    public LiveServerMessage await(Predicate<LiveServerMessage> p) {
        return poll(WAIT, () -> received.stream().filter(p).findFirst().orElse(null), () -> "received " + received);
    }

    public long turns() {
        return received.stream().filter(m -> m.serverContent().flatMap(c -> c.turnComplete()).orElse(false)).count();
    }

    public void awaitTurns(long n) {
        poll(WAIT, () -> turns() >= n ? Boolean.TRUE : null, () -> "received " + received);
    }

    /** The model's text, all turns joined. */
    public String text() {
        return received.stream().flatMap(m -> m.serverContent().flatMap(c -> c.modelTurn()).stream())
                .flatMap(c -> c.parts().orElse(List.of()).stream())
                .map(p -> p.text().orElse("")).collect(Collectors.joining());
    }

    public List<String> inputTranscripts() {
        return received.stream().flatMap(m -> m.serverContent().flatMap(c -> c.inputTranscription()).stream())
                .map(t -> t.text().orElse("")).toList();
    }

    public List<String> handles() {
        return received.stream().flatMap(m -> m.sessionResumptionUpdate().stream())
                .flatMap(u -> u.newHandle().stream()).toList();
    }

    @Override
    public void close() throws Exception {
        session.close().get(10, TimeUnit.SECONDS);
    }

    /** Waits until {@code probe} gives a value and returns it; on time-out fails with {@code failure}'s text. */
    public static <T> T poll(Duration timeout, Supplier<T> probe, Supplier<String> failure) {
        try {
            return Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(10)).until(probe::get,
                    Matchers.notNullValue());
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("timed out after " + timeout.toMillis() + " ms: " + failure.get(), e);
        }
    }
}
