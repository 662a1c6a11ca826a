package dev.livegateway.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livegateway.wire.Setup;
import dev.livegateway.wire.Tool;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The deterministic "model" behind the emulator: what it says to a user turn, which functions it
 * calls, the code it runs and the grounding it cites. Pure functions of the input, so tests can
 * predict every reply.
 */
public final class ScriptedModel {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private ScriptedModel() {}

    /** The reply to a user's words: quotes them, plus what was seen on video. */
    public static String replyText(String userText, int videoFrames) {
        String reply = "You said: \"" + userText.strip() + "\".";
        if (videoFrames > 0) {
            reply += " I saw " + videoFrames + (videoFrames == 1 ? " video frame." : " video frames.");
        }
        return reply;
    }

    /** Thought summary {@code step} of {@code steps} about a user turn, at an effort ({@code HIGH}, {@code budget 512}). */
    public static String thoughtText(String userText, String effort, int step, int steps) {
        return "Thinking (" + effort + ", " + step + "/" + steps + ") about \"" + userText.strip() + "\".";
    }

    /** What the extended-thinking model says when its background reasoning is done. */
    public static String reasonedText(String userText, String effort) {
        return "Having thought it over at " + effort + ": \"" + userText.strip() + "\" needs nothing more.";
    }

    /** The input transcription of an audio turn: depends only on its length. */
    public static String heardText(double seconds) {
        return String.format(Locale.ROOT, "heard %.2f seconds of audio", seconds);
    }

    /** Lower-case words of a text (letters and digits). */
    static Set<String> words(String text) {
        return Arrays.stream(text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+"))
                .filter(w -> !w.isEmpty())
                .collect(Collectors.toSet());
    }

    /** The declared functions whose every name word ({@code _}-separated) occurs in the text. */
    public static List<Tool.FunctionDeclaration> functionsCalledBy(String text, Setup setup) {
        Set<String> said = words(text);
        List<Tool.FunctionDeclaration> out = new ArrayList<>();
        if (setup.tools() == null) {
            return out;
        }
        for (Tool tool : setup.tools()) {
            if (tool.functionDeclarations() == null) {
                continue;
            }
            for (Tool.FunctionDeclaration f : tool.functionDeclarations()) {
                if (f.name() == null) {
                    continue;
                }
                Set<String> nameWords = words(f.name().replace('_', ' '));
                if (!nameWords.isEmpty() && said.containsAll(nameWords)) {
                    out.add(f);
                }
            }
        }
        return out;
    }

    /** Arguments drawn deterministically from a declaration's parameter schema. */
    public static ObjectNode argsFor(Tool.FunctionDeclaration f) {
        JsonNode schema = f.parameters() != null ? f.parameters() : f.parametersJsonSchema();
        JsonNode value = schema == null ? JSON.objectNode() : valueFor(schema, "value");
        return value instanceof ObjectNode o ? o : JSON.objectNode();
    }

    private static JsonNode valueFor(JsonNode schema, String name) {
        if (schema.has("enum") && schema.get("enum").size() > 0) {
            return schema.get("enum").get(0).deepCopy();
        }
        String type = schema.path("type").asText("object").toLowerCase(Locale.ROOT);
        if (schema.has("properties") && type.isEmpty()) {
            type = "object";
        }
        switch (type) {
            case "string":
                return JSON.textNode("sample " + name);
            case "integer":
                return JSON.numberNode(clampInt(schema, 1));
            case "number":
                return JSON.numberNode(schema.has("minimum") ? schema.get("minimum").asDouble() : 1.5);
            case "boolean":
                return JSON.booleanNode(true);
            case "array": {
                ArrayNode array = JSON.arrayNode();
                array.add(valueFor(schema.path("items").isMissingNode() ? JSON.objectNode().put("type", "string")
                        : schema.get("items"), name));
                return array;
            }
            case "null":
                return JSON.nullNode();
            default: {
                ObjectNode object = JSON.objectNode();
                JsonNode properties = schema.path("properties");
                for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> p = it.next();
                    object.set(p.getKey(), valueFor(p.getValue(), p.getKey()));
                }
                return object;
            }
        }
    }

    private static long clampInt(JsonNode schema, long preferred) {
        long v = preferred;
        if (schema.has("minimum")) {
            v = Math.max(v, schema.get("minimum").asLong());
        }
        if (schema.has("maximum")) {
            v = Math.min(v, schema.get("maximum").asLong());
        }
        return v;
    }

    static boolean hasTool(Setup setup, java.util.function.Predicate<Tool> kind) {
        return setup.tools() != null && setup.tools().stream().anyMatch(kind);
    }

    /** Google Search grounding for a question: the query and two web sources derived from it. */
    public static ObjectNode searchGrounding(String question) {
        String query = question.strip().replaceAll("[?.!]+$", "");
        String slug = slug(query);
        ObjectNode metadata = JSON.objectNode();
        metadata.putArray("webSearchQueries").add(query);
        ArrayNode chunks = metadata.putArray("groundingChunks");
        String[][] sites = {{"en.wikipedia.org", "Wikipedia"}, {"www.reuters.com", "Reuters"}};
        for (String[] site : sites) {
            ObjectNode web = chunks.addObject().putObject("web");
            web.put("uri", "https://" + site[0] + "/search/" + slug);
            web.put("title", site[1] + ": " + query);
            web.put("domain", site[0]);
        }
        return metadata;
    }

    /** RAG grounding: one retrieved passage per configured corpus (up to similarityTopK). */
    public static ObjectNode ragGrounding(String question, Tool.VertexRagStore store) {
        ObjectNode metadata = JSON.objectNode();
        ArrayNode chunks = metadata.putArray("groundingChunks");
        int limit = store.similarityTopK() != null && store.similarityTopK() > 0 ? store.similarityTopK() : 10;
        List<Tool.RagResource> resources = store.ragResources() == null ? List.of() : store.ragResources();
        int n = 0;
        for (Tool.RagResource resource : resources) {
            if (n++ >= limit) {
                break;
            }
            String corpus = resource.ragCorpus() == null ? "" : resource.ragCorpus();
            String corpusId = corpus.substring(corpus.lastIndexOf('/') + 1);
            String file = resource.ragFileIds() != null && !resource.ragFileIds().isEmpty()
                    ? resource.ragFileIds().get(0) : "doc-" + digest(question).substring(0, 8);
            ObjectNode context = chunks.addObject().putObject("retrievedContext");
            context.put("uri", "gs://emulator-rag/" + corpusId + "/" + file + ".txt");
            context.put("title", file + ".txt");
            context.put("text", "Passage of " + corpusId + " relevant to: " + question.strip());
            context.put("ragCorpus", corpus);
            context.put("documentName", corpus + "/ragFiles/" + file);
        }
        return metadata;
    }

    static String slug(String s) {
        String slug = s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
        return slug.isEmpty() ? "query" : slug;
    }

    static String digest(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Splits a reply into at least 3 chunks when it has 3 or more words; chunks join back to the text. */
    public static List<String> chunks(String text) {
        String[] words = text.split("(?<= )");
        int count = words.length < 3 ? words.length : Math.max(3, (words.length + 3) / 4);
        List<String> out = new ArrayList<>();
        int per = (int) Math.ceil(words.length / (double) count);
        for (int i = 0; i < words.length; i += per) {
            out.add(String.join("", Arrays.asList(words).subList(i, Math.min(words.length, i + per))));
        }
        if (out.isEmpty()) {
            out.add(text);
        }
        return out;
    }

    /** Whole-word count, for audio length. */
    static int wordCount(String text) {
        return text.isBlank() ? 0 : text.strip().split("\\s+").length;
    }

    /** Token estimate used for usage metadata: one token per four characters, at least one. */
    static int tokens(String text) {
        return Math.max(1, (text.length() + 3) / 4);
    }
}
