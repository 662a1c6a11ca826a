package dev.livegateway.logging;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import org.jboss.logmanager.ExtFormatter;
import org.jboss.logmanager.ExtLogRecord;

/**
 * One log record as one compact JSON object and a newline: {@code timestamp}, {@code level},
 * {@code loggerName}, {@code message}, {@code threadName}, {@code mdc} (the {@code session} id and,
 * with tracing, {@code traceId}/{@code spanId}), {@code service} and, for errors, {@code exception}.
 *
 * <p>Written with Jackson's streaming generator rather than JBoss LogManager's JsonFormatter: that
 * one needs Jakarta JSON on the log manager's (boot) class path, which the packaged application does
 * not give it.
 */
public final class JsonLineFormatter extends ExtFormatter {

    private static final JsonFactory JSON = new JsonFactory();

    private final String service;

    public JsonLineFormatter(String service) {
        this.service = service;
    }

    @Override
    public String format(ExtLogRecord record) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("timestamp", Instant.ofEpochMilli(record.getMillis()).toString());
            json.writeStringField("level", record.getLevel().getName());
            json.writeStringField("loggerName", record.getLoggerName());
            json.writeStringField("message", record.getFormattedMessage());
            json.writeStringField("threadName", record.getThreadName());
            Map<String, String> mdc = record.getMdcCopy();
            if (mdc != null && !mdc.isEmpty()) {
                json.writeObjectFieldStart("mdc");
                for (Map.Entry<String, String> entry : mdc.entrySet()) {
                    json.writeStringField(entry.getKey(), entry.getValue());
                }
                json.writeEndObject();
            }
            json.writeStringField("service", service);
            if (record.getThrown() != null) {
                StringWriter trace = new StringWriter();
                record.getThrown().printStackTrace(new PrintWriter(trace));
                json.writeStringField("exception", trace.toString());
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.append('\n').toString();
    }
}
