package dev.livegateway.tools;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The REST admin API on the real HTTP port; the test profile also loads deploy/tools. */
@QuarkusTest
class ToolsResourceTest {

    private static final AtomicInteger NAMES = new AtomicInteger();

    private static String uniqueName() {
        return "rest-test-" + NAMES.incrementAndGet();
    }

    private static String lights(String name, String description) {
        return ("{'name':'" + name + "','description':'" + description + "','tenants':['team-a'],'functions':[{"
                + "'name':'turn_on_the_lights','parameters':{'type':'OBJECT','properties':{'brightness':"
                + "{'type':'INTEGER'}}},'behavior':'BLOCKING'}]}").replace('\'', '"');
    }

    private static Response create(String body) {
        return given().contentType(ContentType.JSON).body(body).post("/v1/tools");
    }

    private static String createdTag(String name) {
        return create(lights(name, "first")).then().statusCode(201).extract().header("ETag");
    }

    private static void assertProblem(Response response, int status, String field) {
        response.then()
                .statusCode(status)
                .contentType("application/problem+json")
                .body("status", equalTo(status))
                .body("type", notNullValue())
                .body("title", notNullValue())
                .body("detail", notNullValue())
                .body("errors.field", hasItem(field));
    }

    @Test
    void createsReadsAndLists() {
        String name = uniqueName();
        Response created = create(lights(name, "first"));
        created.then()
                .statusCode(201)
                .header("Location", containsString("/v1/tools/" + name))
                .header("ETag", equalTo("\"" + name + ".1\""))
                .body("name", equalTo(name))
                .body("version", equalTo(1))
                .body("kind", equalTo("FUNCTIONS"))
                .body("source", equalTo("API"))
                .body("functions[0].parameters.properties.brightness.type", equalTo("INTEGER"));

        given().get("/v1/tools/" + name).then()
                .statusCode(200)
                .header("ETag", equalTo("\"" + name + ".1\""))
                .body("tenants", contains("team-a"))
                .body("functions[0].behavior", equalTo("BLOCKING"));
        given().header("If-None-Match", "\"" + name + ".1\"").get("/v1/tools/" + name).then().statusCode(304);

        given().get("/v1/tools").then()
                .statusCode(200)
                .header("ETag", notNullValue())
                .body("tools.name", hasItem(name))
                .body("tools.name", hasItem("light-switch"))
                .body("tools.find { it.name == 'light-switch' }.source", equalTo("FILE"))
                .body("tools.find { it.name == 'light-switch' }.file", equalTo("light-switch.yaml"))
                .body("counts.FILE", equalTo(6));
    }

    @Test
    void replacesWithTheCurrentETagAndRefusesAStaleOne() {
        String name = uniqueName();
        String first = createdTag(name);

        given().contentType(ContentType.JSON).header("If-Match", first).body(lights(name, "second"))
                .put("/v1/tools/" + name).then()
                .statusCode(200)
                .header("ETag", equalTo("\"" + name + ".2\""))
                .body("version", equalTo(2))
                .body("description", equalTo("second"));

        Response stale = given().contentType(ContentType.JSON).header("If-Match", first).body(lights(name, "lost"))
                .put("/v1/tools/" + name);
        stale.then()
                .statusCode(412)
                .contentType("application/problem+json")
                .header("ETag", equalTo("\"" + name + ".2\""))
                .body("detail", containsString("version 2"));
        given().get("/v1/tools/" + name).then().body("description", equalTo("second")).body("version", equalTo(2));
    }

    @Test
    void aPutBodyMayLeaveOutTheNameButNotContradictThePath() {
        String name = uniqueName();
        String tag = createdTag(name);
        given().contentType(ContentType.JSON).header("If-Match", tag).body("{\"googleSearch\":{}}")
                .put("/v1/tools/" + name).then().statusCode(200).body("kind", equalTo("GOOGLE_SEARCH"));
        assertProblem(given().contentType(ContentType.JSON).header("If-Match", "\"" + name + ".2\"")
                .body(lights("other-name", "x")).put("/v1/tools/" + name), 400, "name");
    }

    @Test
    void changesRequireIfMatch() {
        String name = uniqueName();
        createdTag(name);
        Response put = given().contentType(ContentType.JSON).body(lights(name, "x")).put("/v1/tools/" + name);
        put.then().statusCode(428).contentType("application/problem+json").body("detail", containsString("If-Match"));
        given().header("If-Match", "*").delete("/v1/tools/" + name).then().statusCode(428);
        given().get("/v1/tools/" + name).then().statusCode(200).body("version", equalTo(1));
    }

    @Test
    void deletesWithIfMatch() {
        String name = uniqueName();
        String tag = createdTag(name);
        given().header("If-Match", "\"" + name + ".7\"").delete("/v1/tools/" + name).then().statusCode(412);
        given().header("If-Match", tag).delete("/v1/tools/" + name).then().statusCode(204);
        given().get("/v1/tools/" + name).then().statusCode(404).contentType("application/problem+json");
        // Versions are never reused: the old ETag cannot match the re-created entry.
        create(lights(name, "again")).then().statusCode(201).body("version", equalTo(3));
        given().header("If-Match", tag).delete("/v1/tools/" + name).then().statusCode(412);
    }

    @Test
    void answers404ForUnknownNames() {
        given().get("/v1/tools/no-such-tool").then().statusCode(404).contentType("application/problem+json")
                .body("detail", containsString("no-such-tool"));
        given().contentType(ContentType.JSON).header("If-Match", "\"no-such-tool.1\"")
                .body(lights("no-such-tool", "x")).put("/v1/tools/no-such-tool").then().statusCode(404);
        given().header("If-Match", "\"no-such-tool.1\"").delete("/v1/tools/no-such-tool").then().statusCode(404);
    }

    @Test
    void refusesADuplicateCreate() {
        String name = uniqueName();
        createdTag(name);
        create(lights(name, "again")).then()
                .statusCode(409)
                .contentType("application/problem+json")
                .header("ETag", equalTo("\"" + name + ".1\""))
                .body("detail", containsString("already exists"));
    }

    @Test
    void entriesFromFilesAreReadOnly() {
        String tag = given().get("/v1/tools/light-switch").then().statusCode(200).extract().header("ETag");
        given().contentType(ContentType.JSON).header("If-Match", tag).body(lights("light-switch", "x"))
                .put("/v1/tools/light-switch").then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("detail", containsString("light-switch.yaml"));
        given().header("If-Match", tag).delete("/v1/tools/light-switch").then().statusCode(409);
        create("{\"name\":\"google-search\",\"googleSearch\":{}}").then().statusCode(409)
                .body("detail", containsString("google-search.yaml"));
    }

    @Test
    void everyValidationRuleAnswers400NamingTheField() {
        String n = uniqueName();
        String[][] cases = {
            {"{\"name\":\"Bad_Name\",\"codeExecution\":{}}", "name"},
            {"{\"codeExecution\":{}}", "name"},
            {"{\"name\":\"" + n + "\",\"description\":\"" + "d".repeat(1025) + "\",\"codeExecution\":{}}", "description"},
            {"{\"name\":\"" + n + "\",\"tenants\":[\"a\",\"a\"],\"codeExecution\":{}}", "tenants[1]"},
            {"{\"name\":\"" + n + "\"}", "$"},
            {"{\"name\":\"" + n + "\",\"codeExecution\":{},\"googleSearch\":{}}", "$"},
            {"{\"name\":\"" + n + "\",\"codeExecution\":{\"x\":1}}", "codeExecution.x"},
            {"{\"name\":\"" + n + "\",\"unknown\":1,\"codeExecution\":{}}", "unknown"},
            {"not json", "$"},
            {"{\"name\":\"" + n + "\",\"functions\":[]}", "functions"},
            {"{\"name\":\"" + n + "\",\"functions\":[{\"name\":\"9lives\"}]}", "functions[0].name"},
            {"{\"name\":\"" + n + "\",\"functions\":[{\"name\":\"a\"},{\"name\":\"a\"}]}", "functions[1].name"},
            {"{\"name\":\"" + n + "\",\"functions\":[{\"name\":\"a\",\"behavior\":\"LATER\"}]}", "functions[0].behavior"},
            {"{\"name\":\"" + n + "\",\"functions\":[{\"name\":\"a\",\"description\":\"" + "d".repeat(4097) + "\"}]}",
                "functions[0].description"},
            {"{\"name\":\"" + n + "\",\"functions\":[{\"name\":\"a\",\"parameters\":{\"type\":\"STRING\"}}]}",
                "functions[0].parameters.type"},
            {"{\"name\":\"" + n + "\",\"functions\":[{\"name\":\"a\",\"parameters\":{\"type\":\"OBJECT\",\"properties\":"
                + "{\"brightness\":{\"type\":\"float\"}}}}]}", "functions[0].parameters.properties.brightness.type"},
            {"{\"name\":\"" + n + "\",\"functions\":[{\"name\":\"a\",\"parameters\":{\"type\":\"OBJECT\",\"properties\":"
                + "{\"brightness\":{\"type\":\"INTEGER\",\"readOnly\":true}}}}]}",
                "functions[0].parameters.properties.brightness.readOnly"},
            {"{\"name\":\"" + n + "\",\"functions\":[{\"name\":\"a\",\"parameters\":{\"type\":\"OBJECT\","
                + "\"additionalProperties\":false}}]}", "functions[0].parameters.additionalProperties"},
            {"{\"name\":\"" + n + "\",\"functions\":[{\"name\":\"a\",\"parameters\":{\"type\":\"OBJECT\",\"properties\":"
                + "{\"b\":{\"$ref\":\"#/x\"}}}}]}", "functions[0].parameters.properties.b.$ref"},
            {"{\"name\":\"" + n + "\",\"functions\":[{\"name\":\"a\",\"parameters\":{\"type\":\"OBJECT\",\"properties\":"
                + "{\"b\":{\"type\":\"STRING\"}},\"required\":[\"c\"]}}]}", "functions[0].parameters.required[0]"},
            {"{\"name\":\"" + n + "\",\"functions\":[{\"name\":\"a\",\"response\":{\"type\":\"ARRAY\"}}]}",
                "functions[0].response.items"},
            {"{\"name\":\"" + n + "\",\"ragRetrieval\":{\"ragResources\":[{\"ragCorpus\":\"corpora/1\"}]}}",
                "ragRetrieval.ragResources[0].ragCorpus"},
            {"{\"name\":\"" + n + "\",\"ragRetrieval\":{\"ragResources\":[{\"ragCorpus\":"
                + "\"projects/my-project/locations/us-central1/ragCorpora/1\",\"ragFileIds\":[\"a b\"]}]}}",
                "ragRetrieval.ragResources[0].ragFileIds[0]"},
            {"{\"name\":\"" + n + "\",\"ragRetrieval\":{\"ragResources\":[{\"ragCorpus\":"
                + "\"projects/my-project/locations/us-central1/ragCorpora/1\"}],\"similarityTopK\":500}}",
                "ragRetrieval.similarityTopK"},
            {"{\"name\":\"" + n + "\",\"ragRetrieval\":{\"ragResources\":[{\"ragCorpus\":"
                + "\"projects/my-project/locations/us-central1/ragCorpora/1\"}],\"vectorDistanceThreshold\":-1}}",
                "ragRetrieval.vectorDistanceThreshold"},
            {"{\"name\":\"" + n + "\",\"functions\":[{\"name\":\"a\",\"parameters\":{\"type\":\"OBJECT\","
                + "\"description\":\"" + "d".repeat(70_000) + "\"}}]}", "$"},
        };
        for (String[] invalid : cases) {
            assertProblem(create(invalid[0]), 400, invalid[1]);
        }
        given().get("/v1/tools/" + n).then().statusCode(404);
    }

    @Test
    void exactlyOneOfConcurrentUpdatesWins() throws Exception {
        String name = uniqueName();
        String tag = createdTag(name);
        int writers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Callable<Integer>> puts = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                String description = "writer-" + i;
                puts.add(() -> given().contentType(ContentType.JSON).header("If-Match", tag)
                        .body(lights(name, description)).put("/v1/tools/" + name).statusCode());
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> status : pool.invokeAll(puts)) {
                statuses.add(status.get());
            }
            assertThat(statuses).filteredOn(status -> status == 200).hasSize(1);
            assertThat(statuses).filteredOn(status -> status == 412).hasSize(writers - 1);
            String winner = "writer-" + statuses.indexOf(200);
            given().get("/v1/tools/" + name).then()
                    .statusCode(200)
                    .header("ETag", equalTo("\"" + name + ".2\""))
                    .body("version", equalTo(2))
                    .body("description", equalTo(winner));
        } finally {
            pool.shutdownNow();
        }
    }
}
