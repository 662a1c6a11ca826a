package dev.livegateway.tools;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as tool entries write them: {@code 800ms}, {@code 5s}, {@code 2m}, {@code 1h}, or ISO-8601 ({@code PT5S}). */
public final class DurationText {

    private static final Pattern SHORT = Pattern.compile("([0-9]{1,9})(ms|s|m|h)");

    private DurationText() {}

    /** The duration, or null when {@code text} is not one. */
    public static Duration parse(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = SHORT.matcher(text.trim());
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
        }
        try {
            Duration d = Duration.parse(text.trim());
            return d.isNegative() ? null : d;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** {@link #parse} for a value already validated. */
    public static Duration of(String text) {
        Duration d = parse(text);
        if (d == null) {
            throw new IllegalArgumentException("'" + text + "' is not a duration");
        }
        return d;
    }
}
