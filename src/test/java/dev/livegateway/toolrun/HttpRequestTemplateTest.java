package dev.livegateway.toolrun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.livegateway.tools.HttpTool;
import dev.livegateway.tools.ToolDefinition;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The request an {@code http} entry sends for the model's arguments. */
class HttpRequestTemplateTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text.replace('\'', '"'));
    }

    private static HttpTool tool(String url, String method, Map<String, String> query, JsonNode body) {
        return new HttpTool(new ToolDefinition.Function("f", null, null, null, null), url, method, Map.of(), query,
                body, List.of(), null);
    }

    @Test
    void urlPlaceholdersAreEncodedAndQueryParametersWithoutArgumentsLeftOut() throws Exception {
        HttpRequestTemplate.Request request = HttpRequestTemplate.build(tool("https://h/orders/{id}", null,
                Map.of("q", "{term}", "lang", "{missing}"), null), json("{'id':'a b/c','term':'x&y'}"));
        assertThat(request.url()).isEqualTo("https://h/orders/a%20b%2Fc?q=x%26y");
        assertThat(request.body()).as("GET sends no body").isNull();
    }

    @Test
    void bodyTemplateTakesArgumentValuesWithTheirTypes() throws Exception {
        HttpRequestTemplate.Request request = HttpRequestTemplate.build(tool("https://h/s", "POST", Map.of(),
                json("{'query':'${args.q}','limit':'${args.n}','all':'${args}','fixed':'text ${args.q}'}")),
                json("{'q':'vpn','n':3}"));
        assertThat(request.body()).isEqualTo(json("{'query':'vpn','limit':3,'all':{'q':'vpn','n':3},"
                + "'fixed':'text ${args.q}'}"));
    }

    @Test
    void postWithoutTemplateSendsTheArguments() throws Exception {
        assertThat(HttpRequestTemplate.build(tool("https://h/s", "post", Map.of(), null), json("{'a':1}")).body())
                .isEqualTo(json("{'a':1}"));
    }

    @Test
    void aMissingUrlArgumentIsAMisconfiguredCall() {
        assertThatThrownBy(() -> HttpRequestTemplate.build(tool("https://h/{id}", null, Map.of(), null), json("{}")))
                .isInstanceOfSatisfying(CallFailure.class, f -> assertThat(f.outcome()).isEqualTo(CallOutcome.MISCONFIGURED))
                .hasMessageContaining("'id'");
    }

    @Test
    void errorStatusesMatchCodesClassesAndRanges() {
        HttpTool defaults = tool("https://h", null, Map.of(), null);
        assertThat(HttpToolInvoker.isError(defaults, 200)).isFalse();
        assertThat(HttpToolInvoker.isError(defaults, 404)).isTrue();
        HttpTool custom = new HttpTool(defaults.function(), "https://h", null, Map.of(), Map.of(), null,
                List.of("404", "500-502"), null);
        assertThat(HttpToolInvoker.isError(custom, 404)).isTrue();
        assertThat(HttpToolInvoker.isError(custom, 409)).as("not listed: the body is the result").isFalse();
        assertThat(HttpToolInvoker.isError(custom, 502)).isTrue();
        assertThat(HttpToolInvoker.isError(custom, 503)).isFalse();
    }

    @Test
    void tenantLimitsRefuseOverConcurrencyAndRateAndReleaseSlots() {
        TenantCallLimits limits = new TenantCallLimits(2, 1, 3);
        assertThat(limits.acquire("a")).isNull();
        assertThat(limits.acquire("a")).isNull();
        assertThat(limits.acquire("a")).contains("max-concurrent-per-tenant");
        assertThat(limits.acquire("b")).as("another tenant is not affected").isNull();
        limits.release("a");
        assertThat(limits.acquire("a")).as("the third token of the burst").isNull();
        limits.release("a");
        assertThat(limits.acquire("a")).contains("rate-per-tenant");
        assertThat(limits.inFlight("a")).isEqualTo(1);
    }
}
