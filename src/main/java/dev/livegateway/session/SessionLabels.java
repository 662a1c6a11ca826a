package dev.livegateway.session;

import dev.livegateway.api.v1.ResolvedTool;
import dev.livegateway.config.LabelsConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The labels policy ({@link LabelsConfig}): the Vertex {@code labels} of a new Live session, for
 * cost attribution. The gateway's labels come from what it knows (fixed ones, the authenticated
 * tenant, the resolved registry tools); a caller adds at most {@code max-caller-labels} labels with
 * the keys the operator allows, never one of the gateway's keys. Keys and values follow the Vertex
 * label rules (lowercase letters, digits, {@code _} and {@code -}; at most 63 characters; keys
 * start with a letter; at most 64 labels).
 */
public final class SessionLabels {

    /** Vertex AI's limits. */
    public static final int MAX_LABELS = 64;
    public static final int MAX_CHARS = 63;

    private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9_-]{0,62}");
    private static final Pattern VALUE = Pattern.compile("[a-z0-9_-]{0,63}");
    private static final String NONE = "none";

    private final LabelsConfig config;

    public SessionLabels(LabelsConfig config) {
        this.config = config;
    }

    /** Configuration problems, each naming its key; empty when the policy is sound. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        config.fixed().forEach((k, v) -> {
            if (!KEY.matcher(k).matches()) {
                problems.add("live-gateway.labels.fixed." + k + ": '" + k + "' is not a label key (lowercase letters,"
                        + " digits, _ and -, starting with a letter, at most 63 characters)");
            }
            if (!VALUE.matcher(v).matches()) {
                problems.add("live-gateway.labels.fixed." + k + ": '" + v + "' is not a label value (lowercase letters,"
                        + " digits, _ and -, at most 63 characters)");
            }
        });
        if (!isNone(config.tenantKey()) && !KEY.matcher(config.tenantKey()).matches()) {
            problems.add("live-gateway.labels.tenant-key: '" + config.tenantKey() + "' is not a label key (lowercase"
                    + " letters, digits, _ and -, starting with a letter, at most 63 characters) nor none");
        }
        if (!isNone(config.toolKeyPrefix()) && !KEY.matcher(config.toolKeyPrefix()).matches()) {
            problems.add("live-gateway.labels.tool-key-prefix: '" + config.toolKeyPrefix() + "' must start a label key"
                    + " (lowercase letters, digits, _ and -, starting with a letter) or be none");
        }
        for (String key : callerKeys()) {
            if (!KEY.matcher(key).matches()) {
                problems.add("live-gateway.labels.caller-keys: '" + key + "' is not a label key");
            } else if (config.fixed().containsKey(key) || key.equals(config.tenantKey())
                    || (!isNone(config.toolKeyPrefix()) && key.startsWith(config.toolKeyPrefix()))) {
                problems.add("live-gateway.labels.caller-keys: '" + key + "' is one of the gateway's own label keys");
            }
        }
        if (config.maxCallerLabels() < 0 || config.maxCallerLabels() > MAX_LABELS) {
            problems.add("live-gateway.labels.max-caller-labels must be between 0 and 64, got " + config.maxCallerLabels());
        }
        if (config.fixed().size() + 1 + config.maxCallerLabels() > MAX_LABELS) {
            problems.add("live-gateway.labels: fixed labels, the tenant label and max-caller-labels exceed Vertex's"
                    + " 64 labels");
        }
        return problems;
    }

    /**
     * The labels of a new session, or null when there are none. Refuses (INVALID_ARGUMENT naming
     * {@code config.labels}) a caller label the policy does not allow.
     */
    public Map<String, String> labels(String tenant, List<ResolvedTool> tools, Map<String, String> callerLabels) {
        if (!config.enabled()) {
            if (!callerLabels.isEmpty()) {
                throw new InvalidClientEventException("config.labels", "this gateway sets no labels"
                        + " (live-gateway.labels.enabled=false); leave it empty");
            }
            return null;
        }
        Map<String, String> labels = new LinkedHashMap<>(config.fixed());
        if (!isNone(config.tenantKey())) {
            labels.put(config.tenantKey(), value(tenant));
        }
        Map<String, String> caller = callerLabels(callerLabels, labels);
        if (!isNone(config.toolKeyPrefix())) {
            List<ResolvedTool> sorted = tools.stream().sorted(Comparator.comparing(ResolvedTool::getName)).toList();
            for (ResolvedTool tool : sorted) {
                if (labels.size() + caller.size() >= MAX_LABELS) {
                    break; // the gateway's tool labels yield to Vertex's limit; the tenant and fixed ones stay
                }
                labels.putIfAbsent(cut(config.toolKeyPrefix() + value(tool.getName())), String.valueOf(tool.getVersion()));
            }
        }
        labels.putAll(caller);
        return labels.isEmpty() ? null : Map.copyOf(labels);
    }

    private Map<String, String> callerLabels(Map<String, String> requested, Map<String, String> gateway) {
        if (requested.isEmpty()) {
            return Map.of();
        }
        List<String> allowed = callerKeys();
        if (requested.size() > config.maxCallerLabels()) {
            throw new InvalidClientEventException("config.labels", "at most " + config.maxCallerLabels()
                    + " labels (live-gateway.labels.max-caller-labels), got " + requested.size());
        }
        Map<String, String> out = new LinkedHashMap<>();
        requested.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            String key = e.getKey();
            String field = "config.labels[" + SetupTranslator.abbreviate(key) + "]";
            if (gateway.containsKey(key) || (!isNone(config.toolKeyPrefix()) && key.startsWith(config.toolKeyPrefix()))) {
                throw new InvalidClientEventException(field, "is a label the gateway sets; callers cannot override it");
            }
            if (!allowed.contains(key)) {
                throw new InvalidClientEventException(field, "not a label callers may set; allowed keys: "
                        + (allowed.isEmpty() ? "none" : String.join(", ", allowed)) + " (live-gateway.labels.caller-keys)");
            }
            if (!VALUE.matcher(e.getValue()).matches()) {
                throw new InvalidClientEventException(field, "'" + SetupTranslator.abbreviate(e.getValue())
                        + "' is not a label value: lowercase letters, digits, _ and -, at most 63 characters");
            }
            out.put(key, e.getValue());
        });
        return out;
    }

    private List<String> callerKeys() {
        return config.callerKeys().stream().map(String::strip).filter(k -> !k.isEmpty() && !isNone(k)).toList();
    }

    private static boolean isNone(String s) {
        return s == null || s.isBlank() || NONE.equalsIgnoreCase(s.strip());
    }

    /** A label value from a gateway-side name: lower case, other characters as {@code _}, at most 63. */
    static String value(String raw) {
        return cut(raw.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "_"));
    }

    private static String cut(String s) {
        return s.length() <= MAX_CHARS ? s : s.substring(0, MAX_CHARS);
    }
}
