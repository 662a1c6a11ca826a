package dev.livegateway.wire;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** An empty JSON object, {@code {}}: the Live API's switch for a feature with no options. */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record Empty() {
    public static final Empty INSTANCE = new Empty();
}
