package dev.livegateway.session;

import dev.livegateway.api.v1.HarmBlockThreshold;
import dev.livegateway.api.v1.HarmCategory;
import dev.livegateway.api.v1.SessionConfig;
import dev.livegateway.wire.Setup;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The setup's {@code safetySettings} from a caller's {@link SessionConfig}: one threshold (and
 * optional method) per harm category. Every refusal names the proto field and what is allowed.
 */
final class SetupSafety {

    private SetupSafety() {}

    /** The safety settings, or null when the caller set none. */
    static List<Setup.SafetySetting> safetySettings(SessionConfig config) {
        if (config.getSafetySettingsCount() == 0) {
            return null;
        }
        List<Setup.SafetySetting> out = new ArrayList<>(config.getSafetySettingsCount());
        Set<HarmCategory> seen = EnumSet.noneOf(HarmCategory.class);
        for (int i = 0; i < config.getSafetySettingsCount(); i++) {
            var s = config.getSafetySettings(i);
            String field = "config.safety_settings[" + i + "]";
            if (s.getCategory() == HarmCategory.HARM_CATEGORY_UNSPECIFIED
                    || s.getCategory() == HarmCategory.UNRECOGNIZED) {
                throw new InvalidClientEventException(field + ".category", "required; allowed: "
                        + AllowedEnumValues.list(HarmCategory.values()));
            }
            if (!seen.add(s.getCategory())) {
                throw new InvalidClientEventException(field + ".category", s.getCategory().name()
                        + " is set twice; one setting per category");
            }
            if (s.getThreshold() == HarmBlockThreshold.HARM_BLOCK_THRESHOLD_UNSPECIFIED
                    || s.getThreshold() == HarmBlockThreshold.UNRECOGNIZED) {
                throw new InvalidClientEventException(field + ".threshold", "required; allowed: "
                        + AllowedEnumValues.list(HarmBlockThreshold.values()));
            }
            String method = switch (s.getMethod()) {
                case HARM_BLOCK_METHOD_UNSPECIFIED -> null;
                case HARM_BLOCK_METHOD_SEVERITY -> "SEVERITY";
                case HARM_BLOCK_METHOD_PROBABILITY -> "PROBABILITY";
                case UNRECOGNIZED -> throw new InvalidClientEventException(field + ".method", "unknown value "
                        + s.getMethodValue() + "; allowed: HARM_BLOCK_METHOD_SEVERITY, HARM_BLOCK_METHOD_PROBABILITY");
            };
            out.add(new Setup.SafetySetting(s.getCategory().name(),
                    s.getThreshold().name().substring("HARM_BLOCK_THRESHOLD_".length()), method));
        }
        return out;
    }
}
