package dev.livegateway.tools;

import java.util.regex.Pattern;

/** Builds the JSON paths that name a field in validation errors, e.g. {@code functions[0].name}. */
final class JsonPaths {

    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$-]*");

    private JsonPaths() {}

    static String field(String parent, String name) {
        String step = PLAIN_NAME.matcher(name).matches()
                ? name
                : "[\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"]";
        if (parent.isEmpty() || parent.equals(FieldError.ROOT)) {
            return step.startsWith("[") ? FieldError.ROOT + step : step;
        }
        return step.startsWith("[") ? parent + step : parent + "." + step;
    }

    static String index(String parent, int index) {
        return (parent.isEmpty() ? FieldError.ROOT : parent) + "[" + index + "]";
    }
}
