package dev.livegateway.quota;

import java.util.Objects;

/**
 * What a new session asks the quota for.
 *
 * @param sessionId unique id of the session (also the id operators use to end it)
 * @param tenant    the authenticated tenant
 * @param pool      the upstream pool the session will use ({@code project/location/model}), or
 *                  {@code null} when there is none to limit (e.g. the embedded emulator)
 * @param model     the resolved model name, shown in session listings
 */
public record AdmissionRequest(String sessionId, String tenant, String pool, String model) {

    public AdmissionRequest {
        requireText(sessionId, "sessionId");
        requireText(tenant, "tenant");
        Objects.requireNonNull(model, "model must not be null (use \"\" when unknown)");
        if (pool != null && pool.isBlank()) {
            pool = null;
        }
    }

    private static void requireText(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank");
        }
    }
}
