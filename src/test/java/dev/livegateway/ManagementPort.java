package dev.livegateway;

import io.restassured.specification.RequestSpecification;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The management interface of the application under test ({@code quarkus.management.*}): the
 * port that serves {@code /q/health} and {@code /q/metrics}, which the caller port does not.
 * Quarkus binds a random port in tests ({@code quarkus.management.test-port=0}) and publishes the
 * one it bound under that key.
 */
public final class ManagementPort {

    private ManagementPort() {
    }

    /** The port the management interface listens on. */
    public static int port() {
        return ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class);
    }

    /** A RestAssured request to the management interface. */
    public static RequestSpecification given() {
        return io.restassured.RestAssured.given().port(port());
    }
}
