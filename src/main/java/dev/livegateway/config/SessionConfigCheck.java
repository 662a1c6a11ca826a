package dev.livegateway.config;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;

/** Fails start-up with every {@code live-gateway.session.*} problem, each naming its property. */
@ApplicationScoped
public class SessionConfigCheck {

    void validate(@Observes StartupEvent start, SessionConfigMapping settings) {
        List<String> problems = settings.problems();
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Invalid session configuration:\n  - " + String.join("\n  - ", problems));
        }
    }
}
