package dev.livegateway;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package layering of the README's architecture section, read from the compiled classes so
 * that it stays true: the fronts ({@code grpc}, {@code websocket}) → {@code admission} →
 * {@code session} → {@code upstream} → {@code wire}; the fronts know not each other; the emulator
 * speaks only {@code wire}; nothing points back up.
 */
class ArchitectureTest {

    private static final String GATEWAY = "dev.livegateway..";

    /** The production classes (target/classes), imported once. */
    private static JavaClasses gateway;

    @BeforeAll
    static void importClasses() {
        gateway = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.livegateway");
    }

    @Test
    void upstreamKnowsNeitherFrontNorEmulator() {
        noClasses()
                .that().resideInAPackage("dev.livegateway.upstream..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.livegateway.grpc..", "dev.livegateway.emulator..",
                        "dev.livegateway.metrics..", "dev.livegateway.websocket..", "dev.livegateway.admission..")
                .check(gateway);
    }

    @Test
    void upstreamDoesNotKnowSessions() {
        noClasses()
                .that().resideInAPackage("dev.livegateway.upstream..")
                .should().dependOnClassesThat().resideInAPackage("dev.livegateway.session..").check(gateway);
    }

    @Test
    void sessionDoesNotKnowTheFrontsNorAdmission() {
        noClasses()
                .that().resideInAPackage("dev.livegateway.session..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.livegateway.grpc..",
                        "dev.livegateway.websocket..", "dev.livegateway.admission..").check(gateway);
    }

    @Test
    void admissionDoesNotKnowTheFronts() {
        noClasses()
                .that().resideInAPackage("dev.livegateway.admission..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.livegateway.grpc..",
                        "dev.livegateway.websocket..").check(gateway);
    }

    @Test
    void theFrontsDoNotKnowEachOther() {
        noClasses()
                .that().resideInAPackage("dev.livegateway.grpc..")
                .should().dependOnClassesThat().resideInAPackage("dev.livegateway.websocket..").check(gateway);
        noClasses()
                .that().resideInAPackage("dev.livegateway.websocket..")
                .should().dependOnClassesThat().resideInAPackage("dev.livegateway.grpc..").check(gateway);
    }

    @Test
    void metricsDoNotKnowTheFront() {
        noClasses()
                .that().resideInAPackage("dev.livegateway.metrics..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.livegateway.grpc..",
                        "dev.livegateway.websocket..", "dev.livegateway.admission..").check(gateway);
    }

    /** Session tokens are credentials the WebSocket front checks: they know no front, session or upstream. */
    @Test
    void sessionTokensKnowNeitherFrontsNorSessions() {
        noClasses()
                .that().resideInAPackage("dev.livegateway.sessiontokens..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.livegateway.grpc..", "dev.livegateway.websocket..",
                        "dev.livegateway.admission..", "dev.livegateway.session..", "dev.livegateway.upstream..")
                .check(gateway);
    }

    @Test
    void thePlaygroundIsOnlyItsRoutes() {
        classes()
                .that().resideInAPackage("dev.livegateway.playground..")
                .should().onlyDependOnClassesThat(resideOutsideOfPackage(GATEWAY)
                        .or(resideInAPackage("dev.livegateway.playground.."))).check(gateway);
    }

    @Test
    void wireDependsOnNoOtherGatewayPackage() {
        classes()
                .that().resideInAPackage("dev.livegateway.wire..")
                .should().onlyDependOnClassesThat(resideOutsideOfPackage(GATEWAY)
                        .or(resideInAPackage("dev.livegateway.wire.."))).check(gateway);
    }

    @Test
    void emulatorSpeaksOnlyWire() {
        classes()
                .that().resideInAPackage("dev.livegateway.emulator..")
                .should().onlyDependOnClassesThat(resideOutsideOfPackage(GATEWAY)
                        .or(resideInAPackage("dev.livegateway.emulator.."))
                        .or(resideInAPackage("dev.livegateway.wire.."))).check(gateway);
    }

    /** The gateway reaches the embedded emulator through {@code wire.LocalLiveApi}, never by its classes. */
    @Test
    void onlyTheEmulatorUsesTheEmulator() {
        noClasses()
                .that().resideOutsideOfPackage("dev.livegateway.emulator..")
                .should().dependOnClassesThat().resideInAPackage("dev.livegateway.emulator..").check(gateway);
    }

    /** Running gateway-run tools sits below the session: it knows the registry and wire, nothing above. */
    @Test
    void toolRunKnowsOnlyTheRegistryAndWire() {
        noClasses()
                .that().resideInAPackage("dev.livegateway.toolrun..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.livegateway.grpc..",
                        "dev.livegateway.websocket..", "dev.livegateway.admission..", "dev.livegateway.session..",
                        "dev.livegateway.upstream..", "dev.livegateway.metrics..", "dev.livegateway.emulator..")
                .check(gateway);
    }

    /** The registry knows not who runs its tools (the MCP catalog is its own interface). */
    @Test
    void toolsKnowNotTheRunner() {
        noClasses()
                .that().resideInAPackage("dev.livegateway.tools..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.livegateway.toolrun..",
                        "dev.livegateway.session..", "dev.livegateway.admission..")
                .check(gateway);
    }

    @Test
    void audioDependsOnNoOtherGatewayPackage() {
        classes()
                .that().resideInAPackage("dev.livegateway.audio..")
                .should().onlyDependOnClassesThat(resideOutsideOfPackage(GATEWAY)
                        .or(resideInAPackage("dev.livegateway.audio.."))).check(gateway);
    }
}
