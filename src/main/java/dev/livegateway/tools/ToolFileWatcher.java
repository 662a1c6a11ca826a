package dev.livegateway.tools;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Loads the tool directory at start-up (failing start-up on an invalid file unless configured to
 * warn) and polls it on a Vert.x timer, reloading on a worker thread when its content changed.
 */
@ApplicationScoped
public class ToolFileWatcher {

    private static final Logger LOG = Logger.getLogger(ToolFileWatcher.class);

    private final Optional<Path> configuredDirectory;
    private final Duration reloadInterval;
    private final ToolsConfig.InvalidFilePolicy invalidFilePolicy;
    private final Duration storeTimeout;
    private final ToolDocuments documents;
    private final ToolStore store;
    private final Vertx vertx;
    private final AtomicBoolean polling = new AtomicBoolean();
    private volatile ToolFileSource source;
    private volatile long timerId = -1;

    @Inject
    public ToolFileWatcher(ToolsConfig config, ToolDocuments documents, ToolStore store, Vertx vertx) {
        this(config.directory(), config.reloadInterval(), config.onInvalidFileAtStartup(), config.storeTimeout(),
                documents, store, vertx);
    }

    ToolFileWatcher(Optional<Path> directory, Duration reloadInterval, ToolsConfig.InvalidFilePolicy invalidFilePolicy,
            Duration storeTimeout, ToolDocuments documents, ToolStore store, Vertx vertx) {
        this.configuredDirectory = directory;
        this.reloadInterval = reloadInterval;
        this.invalidFilePolicy = invalidFilePolicy;
        this.storeTimeout = storeTimeout;
        this.documents = documents;
        this.store = store;
        this.vertx = vertx;
    }

    void onStart(@Observes StartupEvent event) throws IOException {
        if (configuredDirectory.isEmpty()) {
            LOG.info("No tool directory (live-gateway.tools.directory); tools come from the REST API only");
            return;
        }
        Path directory = configuredDirectory.get().toAbsolutePath().normalize();
        if (!Files.isDirectory(directory)) {
            throw new IllegalStateException("live-gateway.tools.directory=" + configuredDirectory.get()
                    + " is not a directory (resolved to " + directory + "); create it, mount the tool ConfigMap "
                    + "there, or unset the key");
        }
        source = new ToolFileSource(directory, documents, store, storeTimeout);
        ToolFileSource.Result result = source.reload();
        if (!result.clean()) {
            String problems = result.problems().stream().map(problem -> "  - " + problem)
                    .collect(Collectors.joining("\n"));
            if (invalidFilePolicy == ToolsConfig.InvalidFilePolicy.FAIL) {
                throw new IllegalStateException("Invalid tool files in " + directory + ":\n" + problems
                        + "\nFix them, or set live-gateway.tools.on-invalid-file-at-startup=warn to start without "
                        + "the bad entries");
            }
            LOG.warnf("Starting with invalid tool files in %s (their entries are left out):%n%s", directory, problems);
        }
        LOG.infof("Tool registry loaded %d entries from %s; checking for changes every %s",
                result.changes().size() + result.unchanged(), directory, reloadInterval);
        timerId = vertx.setPeriodic(Math.max(1, reloadInterval.toMillis()), id -> poll());
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
    }

    /** The file source, when a tool directory is configured. */
    public Optional<ToolFileSource> source() {
        return Optional.ofNullable(source);
    }

    private void poll() {
        // A slow store must not stack up reloads: skip a tick while one is running.
        if (!polling.compareAndSet(false, true)) {
            return;
        }
        vertx.executeBlocking(() -> source.reloadIfChanged(), false)
                .onComplete(outcome -> {
                    polling.set(false);
                    if (outcome.failed()) {
                        LOG.errorf(outcome.cause(), "Could not read the tool directory %s; entries are kept as they were",
                                source.directory());
                    }
                });
    }
}
