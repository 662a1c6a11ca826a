package dev.livegateway.session;

import static dev.livegateway.session.ConfigFieldChecks.abbreviate;

import dev.livegateway.api.v1.SessionConfig;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The setup's {@code labels} as the caller sent them in {@link SessionConfig#getLabelsMap()},
 * checked against Vertex AI's label rules (at most {@link SessionLabels#MAX_LABELS} labels, keys
 * start with a lowercase letter, 63 characters each). Whether the caller may set them at all is
 * the labels policy's ({@link SessionLabels}), applied later.
 */
final class SetupLabels {

    private static final Pattern LABEL_KEY = Pattern.compile("\\p{Ll}[\\p{Ll}\\p{Lo}\\p{N}_-]{0,62}");
    private static final Pattern LABEL_VALUE = Pattern.compile("[\\p{Ll}\\p{Lo}\\p{N}_-]{0,63}");

    private SetupLabels() {}

    /** The caller's labels sorted by key, or null when there are none. */
    static Map<String, String> labels(SessionConfig config) {
        if (config.getLabelsCount() == 0) {
            return null;
        }
        if (config.getLabelsCount() > SessionLabels.MAX_LABELS) {
            throw new InvalidClientEventException("config.labels", "at most " + SessionLabels.MAX_LABELS
                    + " labels, got " + config.getLabelsCount());
        }
        Map<String, String> labels = new TreeMap<>();
        for (var label : config.getLabelsMap().entrySet()) {
            if (!LABEL_KEY.matcher(label.getKey()).matches()) {
                throw new InvalidClientEventException("config.labels", "key '" + abbreviate(label.getKey())
                        + "' is not a label key: 1 to 63 lowercase letters, digits, '_' or '-', starting with a letter");
            }
            if (!LABEL_VALUE.matcher(label.getValue()).matches()) {
                throw new InvalidClientEventException("config.labels[" + label.getKey() + "]", "value '"
                        + abbreviate(label.getValue()) + "' is not a label value: at most 63 lowercase letters,"
                        + " digits, '_' or '-'");
            }
            labels.put(label.getKey(), label.getValue());
        }
        return labels;
    }
}
