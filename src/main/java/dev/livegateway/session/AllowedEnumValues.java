package dev.livegateway.session;

/**
 * The values a caller may choose of a proto enum: all but its {@code _UNSPECIFIED} default and
 * {@code UNRECOGNIZED}, listed comma-separated for the "allowed:" part of a refusal.
 */
final class AllowedEnumValues {

    private AllowedEnumValues() {}

    /** Whether {@code value} is one a caller may choose (not the unspecified default, not UNRECOGNIZED). */
    static boolean isAllowed(Enum<?> value) {
        return !value.name().endsWith("_UNSPECIFIED") && !value.name().equals("UNRECOGNIZED");
    }

    /** The enum's names without UNSPECIFIED and UNRECOGNIZED, comma-separated. */
    static String list(Enum<?>[] values) {
        StringBuilder names = new StringBuilder();
        for (Enum<?> v : values) {
            if (!isAllowed(v)) {
                continue;
            }
            if (names.length() > 0) {
                names.append(", ");
            }
            names.append(v.name());
        }
        return names.toString();
    }
}
