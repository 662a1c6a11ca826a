package dev.livegateway.metrics;

import dev.livegateway.ManagementPort;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One scrape of /q/metrics on the management port, read like Prometheus does: series name, labels, value. */
public final class PrometheusScrape {

    private static final Pattern LINE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final String text;

    private PrometheusScrape(String text) {
        this.text = text;
    }

    public static PrometheusScrape now() {
        return new PrometheusScrape(ManagementPort.given().accept("text/plain").get("/q/metrics").then().statusCode(200)
                .extract().asString());
    }

    public String text() {
        return text;
    }

    /** Sum of the series {@code name} whose labels include all of {@code labels}; 0 when none. */
    public double sum(String name, Map<String, String> labels) {
        double total = 0;
        for (String line : text.split("\n")) {
            if (line.startsWith("#")) {
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (!m.find() || !m.group(1).equals(name)) {
                continue;
            }
            if (matches(m.group(3), labels)) {
                total += Double.parseDouble(m.group(4));
            }
        }
        return total;
    }

    public double sum(String name) {
        return sum(name, Map.of());
    }

    /** Whether any series {@code name} exists. */
    public boolean has(String name) {
        for (String line : text.split("\n")) {
            Matcher m = LINE.matcher(line);
            if (!line.startsWith("#") && m.find() && m.group(1).equals(name)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(String labelText, Map<String, String> wanted) {
        if (wanted.isEmpty()) {
            return true;
        }
        if (labelText == null) {
            return false;
        }
        Matcher l = LABEL.matcher(labelText);
        int found = 0;
        while (l.find()) {
            String want = wanted.get(l.group(1));
            if (want != null) {
                if (!want.equals(l.group(2))) {
                    return false;
                }
                found++;
            }
        }
        return found == wanted.size();
    }
}
