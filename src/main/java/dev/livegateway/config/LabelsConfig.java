package dev.livegateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Map;

/**
 * The labels the gateway puts on every Live session's {@code setup.labels}, for cost attribution:
 * Google's billing export splits the cost by them. The gateway's own labels (fixed ones, the
 * tenant, the registry tools) are set from what it knows, never from what a caller says; a caller
 * may add only the keys listed in {@code caller-keys}, and never one of the gateway's. Keys and
 * values follow the Vertex AI label rules: lowercase letters, digits, {@code _} and {@code -}, at
 * most 63 characters, keys starting with a letter, at most 64 labels. Prefix {@code live-gateway.labels}.
 */
@ConfigMapping(prefix = "live-gateway.labels")
public interface LabelsConfig {

    /** Whether the gateway sets labels at all; false: a session's setup carries none, and caller labels are refused. */
    @WithDefault("true")
    boolean enabled();

    /**
     * Labels every session carries, e.g. {@code live-gateway.labels.fixed.service=live-gateway},
     * {@code live-gateway.labels.fixed.env=prod}.
     */
    Map<String, String> fixed();

    /**
     * The key of the label holding the caller's tenant id (lower-cased, other characters than
     * letters, digits, {@code _} and {@code -} replaced by {@code _}, cut at 63). {@code none}: no tenant label.
     */
    @WithDefault("tenant")
    String tenantKey();

    /**
     * Prefix of the labels naming the session's registry tools: one label per tool,
     * {@code <prefix><tool name>} = its version (e.g. {@code tool-weather=3}), key cut at 63.
     * {@code none}: no tool labels.
     */
    @WithDefault("tool-")
    String toolKeyPrefix();

    /**
     * Label keys a caller may set in {@code config.labels} (e.g. a cost centre). A caller label
     * with another key, or one of the gateway's own keys, is refused with INVALID_ARGUMENT.
     * {@code none}: callers set no labels.
     */
    @WithDefault("cost_center,cost-center")
    List<String> callerKeys();

    /** How many labels a caller may set. */
    @WithDefault("4")
    int maxCallerLabels();
}
