package dev.livegateway.toolrun;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The values of {@code ${secret:NAME}} in an entry's headers, read at call time: the environment
 * variable {@code NAME}, else the file {@code NAME} of {@code live-gateway.tool-run.secrets-directory}
 * (read without blocking). Values are never stored, logged or put in a message: a missing secret
 * is reported by its name only.
 */
public final class ToolSecrets {

    static final Pattern REFERENCE = Pattern.compile("\\$\\{secret:([A-Z0-9_]+)}");

    private final Vertx vertx;
    private final Optional<Path> directory;
    private final Function<String, String> environment;

    public ToolSecrets(Vertx vertx, Optional<Path> directory) {
        this(vertx, directory, System::getenv);
    }

    ToolSecrets(Vertx vertx, Optional<Path> directory, Function<String, String> environment) {
        this.vertx = vertx;
        this.directory = directory;
        this.environment = environment;
    }

    /** {@code headers} with every secret reference replaced; fails with a MISCONFIGURED {@link CallFailure} naming a missing one. */
    public Uni<Map<String, String>> resolve(Map<String, String> headers) {
        List<String> names = new ArrayList<>();
        headers.values().forEach(v -> {
            Matcher m = REFERENCE.matcher(v);
            while (m.find()) {
                if (!names.contains(m.group(1))) {
                    names.add(m.group(1));
                }
            }
        });
        if (names.isEmpty()) {
            return Uni.createFrom().item(headers);
        }
        List<Uni<Map.Entry<String, String>>> values = new ArrayList<>();
        for (String name : names) {
            values.add(value(name).map(v -> Map.entry(name, v)));
        }
        return Uni.join().all(values).andFailFast().map(resolved -> {
            Map<String, String> secrets = new LinkedHashMap<>();
            resolved.forEach(e -> secrets.put(e.getKey(), e.getValue()));
            Map<String, String> out = new LinkedHashMap<>();
            headers.forEach((header, value) -> out.put(header, REFERENCE.matcher(value)
                    .replaceAll(m -> Matcher.quoteReplacement(secrets.get(m.group(1))))));
            return out;
        });
    }

    private Uni<String> value(String name) {
        String env = environment.apply(name);
        if (env != null) {
            return Uni.createFrom().item(env);
        }
        if (directory.isEmpty()) {
            return Uni.createFrom().failure(missing(name));
        }
        String file = directory.get().resolve(name).toString();
        return Uni.createFrom().<String>emitter(emitter -> vertx.fileSystem().readFile(file, read -> {
            if (read.succeeded()) {
                emitter.complete(read.result().toString(StandardCharsets.UTF_8).strip());
            } else {
                emitter.fail(missing(name));
            }
        }));
    }

    private static CallFailure missing(String name) {
        return new CallFailure(CallOutcome.MISCONFIGURED, false, "the secret " + name
                + " is not set (no environment variable and no file of that name in live-gateway.tool-run.secrets-directory)");
    }
}
