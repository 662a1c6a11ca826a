package dev.livegateway.sessiontokens;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.genai.AsyncSession;
import com.google.genai.Client;
import com.google.genai.types.ClientOptions;
import com.google.genai.types.Content;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.LiveConnectConfig;
import com.google.genai.types.LiveSendClientContentParameters;
import com.google.genai.types.LiveServerMessage;
import com.google.genai.types.Modality;
import com.google.genai.types.Part;
import dev.livegateway.wire.Wire;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/**
 * Session tokens end to end: minted over REST with a tenant key, then used by a raw WebSocket
 * client (as a browser does, {@code ?access_token=}) and by Google's Java SDK (an
 * {@code auth_tokens/…} API key: {@code Authorization: Token} on {@code …Constrained}), against the
 * emulator behind the gateway; the refusals a browser sees as close codes and reasons.
 */
@QuarkusTest
class SessionTokensTest {

    static final String KEY = "sdk-team-test-key";
    static final String MODEL = "gemini-live-2.5-flash";
    static final String CONSTRAINED = "/ws/google.ai.generativelanguage.v1alpha.GenerativeService"
            + ".BidiGenerateContentConstrained";
    static final String TEXT_SETUP = "{\"setup\":{\"model\":\"models/" + MODEL
            + "\",\"generationConfig\":{\"responseModalities\":[\"TEXT\"]}}}";

    @TestHTTPResource("/")
    URL base;

    @Inject
    Vertx vertx;

    static String mint(String body) {
        return given().header("Authorization", "Bearer " + KEY).contentType(ContentType.JSON).body(body)
                .post("/v1/session-tokens").then().statusCode(200).header("Cache-Control", "no-store")
                .extract().path("name");
    }

    @Test
    void aTenantKeyMintsATokenInTheShapeOfGooglesAuthToken() {
        given().header("x-goog-api-key", KEY).contentType(ContentType.JSON)
                .body("{\"ttl\":\"120s\",\"uses\":1,\"model\":\"models/" + MODEL + "\",\"tools\":[\"light-switch\"]}")
                .post("/v1/session-tokens")
                .then().statusCode(200)
                .body("name", startsWith("auth_tokens/lg_"))
                .body("uses", equalTo(1))
                .body("model", equalTo(MODEL))
                .body("tools", hasItem("light-switch"))
                .body("expireTime", org.hamcrest.Matchers.notNullValue());
        Instant asked = Instant.now();
        String expireTime = given().header("X-API-Key", KEY).body("{}").post("/v1/session-tokens")
                .then().statusCode(200).extract().path("expireTime");
        Instant answered = Instant.now();
        assertThat(Instant.parse(expireTime)).as("live-gateway.session-tokens.default-ttl")
                .isBetween(asked.plusSeconds(60), answered.plusSeconds(60));
    }

    @Test
    void badRequestsAreProblemsNamingTheField() {
        given().header("Authorization", "Bearer " + KEY).contentType(ContentType.JSON)
                .body("{\"ttl\":\"3600s\",\"uses\":2,\"tools\":[\"light-switch@2\"],\"modle\":\"x\"}")
                .post("/v1/session-tokens")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", org.hamcrest.Matchers.containsInAnyOrder("ttl", "uses", "tools[0]", "modle"))
                .body("errors.find { it.field == 'ttl' }.message", containsString("at most 900s"))
                .body("errors.find { it.field == 'uses' }.message", containsString("allowed: 1"));
        given().header("Authorization", "Bearer " + KEY).contentType(ContentType.JSON)
                .body("{\"expireTime\":\"2000-01-01T00:00:00Z\"}").post("/v1/session-tokens")
                .then().statusCode(400).body("errors[0].field", equalTo("expireTime"))
                .body("errors[0].message", containsString("not in the future"));
        given().header("Authorization", "Bearer not-a-key").body("{}").post("/v1/session-tokens")
                .then().statusCode(401).contentType("application/problem+json")
                .body("detail", containsString("API key not valid"));
    }

    @Test
    void aBrowserStyleClientTalksWithATokenOnceAndIsToldWhenItIsUsed() throws Exception {
        String token = mint("{\"model\":\"" + MODEL + "\"}");
        List<JsonNode> received = new CopyOnWriteArrayList<>();
        WebSocket ws = connect(CONSTRAINED + "?access_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8), received);
        ws.writeTextMessage(TEXT_SETUP);
        poll(() -> received.stream().anyMatch(j -> j.has("setupComplete")), received);
        ws.writeTextMessage("{\"clientContent\":{\"turns\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Hi\"}]}],"
                + "\"turnComplete\":true}}");
        poll(() -> received.stream().anyMatch(j -> j.at("/serverContent/turnComplete").asBoolean()), received);
        assertThat(received.stream().map(j -> j.at("/serverContent/modelTurn/parts/0/text").asText(""))
                .collect(Collectors.joining())).isEqualTo("You said: \"Hi\".");
        ws.close();

        Closed again = closeOf(CONSTRAINED + "?access_token=" + token, Map.of(), TEXT_SETUP);
        assertThat(again.code()).isEqualTo(1008);
        assertThat(again.reason()).startsWith("UNAUTHENTICATED: session token already used");
    }

    @Test
    void theTokensAllowListsAndExpiryAreEnforced() throws Exception {
        String modelBound = mint("{\"model\":\"" + MODEL + "\",\"tools\":[]}");
        Closed otherModel = closeOf(CONSTRAINED + "?access_token=" + modelBound, Map.of(),
                "{\"setup\":{\"model\":\"models/gemini-3.8-live\"}}");
        assertThat(otherModel.code()).isEqualTo(1008);
        assertThat(otherModel.reason()).startsWith("PERMISSION_DENIED: setup.model: 'gemini-3.8-live' is not allowed");

        String noTools = mint("{\"tools\":[\"search\"]}");
        Closed tool = closeOf(CONSTRAINED + "?access_token=" + noTools, Map.of(),
                "{\"setup\":{\"model\":\"" + MODEL + "\",\"tools\":[{\"functionDeclarations\":[{\"name\":\"light-switch\"}]}]}}");
        assertThat(tool.code()).isEqualTo(1008);
        assertThat(tool.reason()).startsWith("PERMISSION_DENIED: setup.tools: registry tool 'light-switch' is not allowed");

        String lightsOnly = mint("{\"tools\":[\"light-switch\"]}");
        List<JsonNode> received = new CopyOnWriteArrayList<>();
        CompletableFuture<Closed> swapped = new CompletableFuture<>();
        WebSocket ws = connect(CONSTRAINED + "?access_token=" + lightsOnly, Map.of(), received, swapped);
        ws.writeTextMessage("{\"setup\":{\"model\":\"" + MODEL + "\",\"tools\":[{\"functionDeclarations\":"
                + "[{\"name\":\"light-switch\"}]}]}}");
        poll(() -> received.stream().anyMatch(j -> j.has("setupComplete")), received);
        ws.writeTextMessage("{\"contextUpdate\":{\"tools\":{\"tools\":[{\"functionDeclarations\":"
                + "[{\"name\":\"code-execution\"}]}]}}}");
        Closed contextUpdate = swapped.get(10, TimeUnit.SECONDS);
        assertThat(contextUpdate.code()).isEqualTo(1008);
        assertThat(contextUpdate.reason())
                .startsWith("PERMISSION_DENIED: contextUpdate.tools: registry tool 'code-execution' is not allowed");

        String shortLived = mint("{\"ttl\":\"0.2s\"}");
        Thread.sleep(300);
        Closed expired = closeOf(CONSTRAINED, Map.of("Authorization", "Token " + shortLived), TEXT_SETUP);
        assertThat(expired.code()).isEqualTo(1008);
        assertThat(expired.reason()).startsWith("UNAUTHENTICATED: session token expired at");

        Closed unknown = closeOf(CONSTRAINED + "?access_token=auth_tokens/lg_forged", Map.of(), TEXT_SETUP);
        assertThat(unknown.reason()).startsWith("UNAUTHENTICATED: unknown session token");

        String elsewhere = mint("{}");
        Closed vertex = closeOf("/ws/google.cloud.aiplatform.v1beta1.LlmBidiService/BidiGenerateContent?access_token="
                + elsewhere, Map.of(), TEXT_SETUP);
        assertThat(vertex.code()).isEqualTo(1008);
        assertThat(vertex.reason()).contains("BidiGenerateContentConstrained only");
    }

    @Test
    void googlesJavaSdkUsesATokenAsItsEphemeralToken() throws Exception {
        String token = mint("{\"model\":\"" + MODEL + "\"}");
        OkHttpClient plain = new OkHttpClient.Builder().addInterceptor(chain -> chain.proceed(chain.request().newBuilder()
                .url(chain.request().url().newBuilder().scheme("http").build()).build())).build();
        Client client = Client.builder().apiKey(token)
                .httpOptions(HttpOptions.builder().baseUrl("http://localhost:" + base.getPort()).apiVersion("v1alpha").build())
                .clientOptions(ClientOptions.builder().customHttpClient(plain).build()).build();
        List<LiveServerMessage> received = new CopyOnWriteArrayList<>();
        AsyncSession session = client.async.live.connect(MODEL, LiveConnectConfig.builder()
                .responseModalities(new Modality(Modality.Known.TEXT)).build()).get(10, TimeUnit.SECONDS);
        try {
            session.receive(received::add);
            session.sendClientContent(LiveSendClientContentParameters.builder()
                    .turns(Content.builder().role("user").parts(Part.fromText("Hello token")).build())
                    .turnComplete(true).build()).get(15, TimeUnit.SECONDS);
            poll(() -> received.stream().anyMatch(m -> m.serverContent().flatMap(c -> c.turnComplete()).orElse(false)),
                    received);
            assertThat(received.stream().flatMap(m -> m.serverContent().flatMap(c -> c.modelTurn()).stream())
                    .flatMap(c -> c.parts().orElse(List.of()).stream())
                    .map(p -> p.text().orElse("")).collect(Collectors.joining()))
                    .isEqualTo("You said: \"Hello token\".");
        } finally {
            session.close().get(15, TimeUnit.SECONDS);
        }
    }

    // ---- raw WebSocket clients

    record Closed(int code, String reason) {}

    private WebSocket connect(String uri, List<JsonNode> received) throws Exception {
        return connect(uri, Map.of(), received, new CompletableFuture<>());
    }

    /**
     * Handlers are set on the event loop as the connection opens. A gateway that refuses at once may
     * have closed it before this callback runs (seen in CI under load): then its close is taken as is.
     */
    private WebSocket connect(String uri, Map<String, String> headers, List<JsonNode> received,
            CompletableFuture<Closed> closed) throws Exception {
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("localhost").setPort(base.getPort())
                .setURI(uri);
        headers.forEach(options::addHeader);
        return vertx.createWebSocketClient().connect(options).onSuccess(ws -> {
            if (ws.isClosed()) {
                closed.complete(new Closed(ws.closeStatusCode() == null ? -1 : ws.closeStatusCode(),
                        String.valueOf(ws.closeReason())));
                return;
            }
            ws.handler(buffer -> {
                try {
                    received.add(Wire.mapper().readTree(buffer.getBytes()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            ws.closeHandler(v -> closed.complete(new Closed(ws.closeStatusCode() == null ? -1 : ws.closeStatusCode(),
                    String.valueOf(ws.closeReason()))));
        }).toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
    }

    /** Connects, sends {@code first} (unless already closed), and returns how the gateway closed the connection. */
    private Closed closeOf(String uri, Map<String, String> headers, String first) throws Exception {
        CompletableFuture<Closed> closed = new CompletableFuture<>();
        WebSocket ws = connect(uri, headers, new CopyOnWriteArrayList<>(), closed);
        if (!ws.isClosed()) {
            ws.writeTextMessage(first);
        }
        return closed.get(10, TimeUnit.SECONDS);
    }

    private static void poll(java.util.function.BooleanSupplier done, List<?> received) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out; received " + received);
            }
            Thread.sleep(10);
        }
    }
}
