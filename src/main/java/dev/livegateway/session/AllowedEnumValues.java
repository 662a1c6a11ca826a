package dev.livegateway.session;

/**
 * The values a caller may choose of a proto enum: all but its {@code _UNSPECIFIED} default and
 * {@code UNRECOGNIZED}, listed comma-separated for the "allowed:" part of a refusal. Shared by the
 * setup checks here and the WebSocket front's reading of Live API enum strings.
 */
public final class AllowedEnumValues {

    private AllowedEnumValues() {}

    /** Whether {@code value} is one a caller may choose (not the unspecified default, not UNRECOGNIZED). */
    public static boolean isAllowed(Enum<?> value) {
        return !value.name().endsWith("_UNSPECIFIED") && !value.name().equals("UNRECOGNIZED");
    }

    /** The enum's names without UNSPECIFIED and UNRECOGNIZED, comma-separated. */
    public static String list(Enum<?>[] values) {
        return list(values, "");
    }

    /** As {@link #list(Enum[])}, each name without {@code prefix} where it starts with it. */
    public static String list(Enum<?>[] values, String prefix) {
        StringBuilder names = new StringBuilder();
        for (Enum<?> v : values) {
            if (!isAllowed(v)) {
                continue;
            }
            if (names.length() > 0) {
                names.append(", ");
            }
            names.append(v.name().startsWith(prefix) ? v.name().substring(prefix.length()) : v.name());
        }
        return names.toString();
    }
}
