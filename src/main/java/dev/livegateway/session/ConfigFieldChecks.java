package dev.livegateway.session;

import java.util.regex.Pattern;

/**
 * The checks that several parts of the setup make on one config value: a number's range, a
 * BCP-47 language code, a prebuilt voice or avatar name, and a value shortened for an error.
 * Each refusal names the proto field.
 */
final class ConfigFieldChecks {

    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");
    private static final Pattern LANGUAGE = Pattern.compile("[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}");

    private ConfigFieldChecks() {}

    static float range(String field, float value, float min, float max) {
        if (Float.isNaN(value) || value < min || value > max) {
            throw new InvalidClientEventException(field, "must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }

    static int atLeast(String field, int value, int min) {
        if (value < min) {
            throw new InvalidClientEventException(field, "must be at least " + min + ", got " + value);
        }
        return value;
    }

    /** A BCP-47 language code such as en-US, or the refusal naming {@code field}. */
    static String language(String field, String code) {
        if (!LANGUAGE.matcher(code).matches()) {
            throw new InvalidClientEventException(field, "'" + abbreviate(code)
                    + "' is not a BCP-47 language code such as en-US or de-DE");
        }
        return code;
    }

    /** Whether {@code name} can name a prebuilt voice or avatar: a letter, then letters, digits, '_' or '-'. */
    static boolean isName(String name) {
        return NAME.matcher(name).matches();
    }

    /** The value as quoted in an error: at most 80 characters. */
    static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
