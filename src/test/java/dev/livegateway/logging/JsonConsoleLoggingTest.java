package dev.livegateway.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Handler;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.Level;
import org.jboss.logmanager.MDC;
import org.jboss.logmanager.formatters.PatternFormatter;
import org.jboss.logmanager.handlers.ConsoleHandler;
import org.jboss.logmanager.handlers.DelayedHandler;
import org.junit.jupiter.api.Test;

/** The production console line: one JSON object per line, with the session id, parseable. */
class JsonConsoleLoggingTest {

    @Test
    void aSessionLineIsOneJsonObjectWithTheSessionId() throws Exception {
        // the shape Quarkus builds: the console handler nested in a delayed handler
        ConsoleHandler console = new ConsoleHandler(new PatternFormatter("%s%n"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        console.setOutputStream(out);
        DelayedHandler root = new DelayedHandler();
        root.addHandler(console);

        int replaced = JsonConsoleLogging.useFormatter(new Handler[] {root}, JsonConsoleLogging.formatter("live-gateway"));
        assertThat(replaced).isEqualTo(1);

        MDC.put("session", "lg-1234");
        try {
            ExtLogRecord record = new ExtLogRecord(Level.INFO, "session started: tenant=%s model=%s",
                    ExtLogRecord.FormatStyle.PRINTF, "dev.livegateway.session.LiveSession");
            record.setParameters(new Object[] {"acme", "gemini-live-2.5-flash \"quoted\"\nsecond line"});
            record.setLoggerName("dev.livegateway.session.LiveSession");
            console.publish(record);
            console.flush();
        } finally {
            MDC.remove("session");
        }

        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text.lines()).hasSize(1);
        JsonNode line = new ObjectMapper().readTree(text);
        assertThat(line.path("level").asText()).isEqualTo("INFO");
        assertThat(line.path("loggerName").asText()).isEqualTo("dev.livegateway.session.LiveSession");
        assertThat(line.path("message").asText()).isEqualTo(
                "session started: tenant=acme model=gemini-live-2.5-flash \"quoted\"\nsecond line");
        assertThat(line.path("mdc").path("session").asText()).isEqualTo("lg-1234");
        assertThat(line.path("service").asText()).isEqualTo("live-gateway");
        assertThat(line.path("timestamp").asText()).isNotEmpty();
        assertThat(line.path("threadName").asText()).isNotEmpty();
    }

    @Test
    void anErrorCarriesItsStackTraceInsideTheLine() throws Exception {
        ExtLogRecord record = new ExtLogRecord(Level.WARN, "could not resume", "dev.livegateway.session.LiveSession");
        record.setThrown(new IllegalStateException("upstream gone"));
        String text = JsonConsoleLogging.formatter("live-gateway").format(record);
        assertThat(text).endsWith("\n");
        assertThat(text.strip().lines()).hasSize(1);
        JsonNode line = new ObjectMapper().readTree(text);
        assertThat(line.path("exception").asText()).startsWith("java.lang.IllegalStateException: upstream gone")
                .contains("at dev.livegateway.logging.JsonConsoleLoggingTest");
        assertThat(line.has("mdc")).isFalse();
    }

    @Test
    void theProductionProfileLogsJson() throws Exception {
        assertThat(Files.readAllLines(Path.of("src/main/resources/application.properties")))
                .contains("%prod.live-gateway.logging.json=true");
    }
}
