package dev.livegateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.livegateway.auth.KeyHashes;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every manifest in deploy/ parses as its Kubernetes kind (fabric8 model) and agrees with the
 * application: port, probe paths, configuration keys the code really reads, secret and mount
 * paths, security context, resources, labels and selectors; overlays patch what the base has.
 * With kubectl on the PATH, the overlays are also rendered ({@code kubectl kustomize}) and checked.
 */
class DeployManifestsTest {

    static final Path DEPLOY = Path.of("deploy");
    static final List<String> TOOL_FILES = List.of("light-switch.yaml", "code-execution.yaml", "google-search.yaml",
            "product-docs-rag.yaml", "order-lookup-http.yaml", "knowledge-base-mcp.yaml");
    /** Keys of packages merged from other branches: checked strictly once their config class is on the class path. */
    static final Map<String, String> KEYS_OF_OTHER_PACKAGES = Map.of(
            "LIVE_GATEWAY_TOOLS_DIRECTORY", "dev.livegateway.tools.ToolsConfig",
            "LIVE_GATEWAY_AUTH_TENANTS_FILE", "dev.livegateway.auth.AuthConfig",
            "LIVE_GATEWAY_AUTH_ADMIN_KEY_HASHES", "dev.livegateway.auth.AuthConfig",
            "LIVE_GATEWAY_STORE", "dev.livegateway.redis.SharedStoreConfig",
            "LIVE_GATEWAY_REDIS_URI", "dev.livegateway.redis.RedisConfig");
    static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "Deployment", Deployment.class, "Service", Service.class, "ServiceAccount", ServiceAccount.class,
            "HorizontalPodAutoscaler", HorizontalPodAutoscaler.class, "PodDisruptionBudget", PodDisruptionBudget.class,
            "NetworkPolicy", NetworkPolicy.class, "Namespace", Namespace.class, "ConfigMap", ConfigMap.class,
            "Secret", Secret.class);

    static final YAMLMapper YAML = new YAMLMapper();
    static ConfigKeys keys;
    static Properties appProperties;

    @BeforeAll
    static void readApplication() throws IOException {
        keys = new ConfigKeys(Path.of("target/classes"));
        appProperties = new Properties();
        try (var in = Files.newInputStream(Path.of("src/main/resources/application.properties"))) {
            appProperties.load(in);
        }
    }

    // ---- parsing -------------------------------------------------------------------------------

    /** Kubernetes manifests: YAML files that are neither kustomizations, tool files, nor secret payloads. */
    static List<Path> manifestFiles() throws IOException {
        try (Stream<Path> files = Files.walk(DEPLOY)) {
            return files.filter(f -> f.toString().endsWith(".yaml"))
                    .filter(f -> !f.getFileName().toString().equals("kustomization.yaml"))
                    .filter(f -> !f.startsWith(DEPLOY.resolve("tools")))
                    .filter(f -> !f.getFileName().toString().equals("tenants.yaml"))
                    .sorted().toList();
        }
    }

    static List<HasMetadata> parse(String yaml) throws IOException {
        List<HasMetadata> out = new ArrayList<>();
        for (JsonNode doc : YAML.readValues(new YAMLFactory().createParser(yaml), JsonNode.class).readAll()) {
            if (doc == null || doc.isNull() || doc.isEmpty()) {
                continue;
            }
            String kind = doc.path("kind").asText();
            Class<? extends HasMetadata> type = KINDS.get(kind);
            assertThat(type).as("known kind %s", kind).isNotNull();
            assertThat(doc.path("apiVersion").asText()).as("apiVersion of %s", kind).isNotEmpty();
            out.add(YAML.treeToValue(doc, type));
        }
        return out;
    }

    static List<HasMetadata> parseFile(Path file) throws IOException {
        return parse(Files.readString(file));
    }

    static Map<String, List<HasMetadata>> base() throws IOException {
        Map<String, List<HasMetadata>> byFile = new LinkedHashMap<>();
        JsonNode kustomization = YAML.readTree(DEPLOY.resolve("base/kustomization.yaml").toFile());
        for (JsonNode resource : kustomization.path("resources")) {
            Path path = DEPLOY.resolve("base").resolve(resource.asText()).normalize();
            if (Files.isRegularFile(path)) {
                byFile.put(path.toString(), parseFile(path));
            } else {
                assertThat(path.resolve("kustomization.yaml")).as("resource directory %s", path).exists();
            }
        }
        return byFile;
    }

    static <T> T one(List<HasMetadata> all, Class<T> type, String name) {
        return all.stream().filter(type::isInstance).map(type::cast)
                .filter(r -> name == null || ((HasMetadata) r).getMetadata().getName().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
    }

    @Test
    void everyManifestParsesAsItsKind() throws IOException {
        List<Path> files = manifestFiles();
        assertThat(files).hasSizeGreaterThanOrEqualTo(12);
        for (Path file : files) {
            List<HasMetadata> resources = parseFile(file);
            assertThat(resources).as(file.toString()).isNotEmpty();
            for (HasMetadata r : resources) {
                assertThat(r.getMetadata().getName()).as("name in %s", file).isNotBlank();
            }
        }
    }

    // ---- the base --------------------------------------------------------------------------------

    @Test
    void theBaseAgreesWithTheApplication() throws IOException {
        List<HasMetadata> base = base().values().stream().flatMap(List::stream).toList();
        checkGateway(base, Map.of());
    }

    /** The checks every rendering must pass; {@code rendered} also holds generated ConfigMaps and Secrets. */
    static void checkGateway(List<HasMetadata> all, Map<String, String> configEnv) throws IOException {
        Deployment deployment = one(all, Deployment.class, "live-gateway");
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        assertThat(matches(deployment.getSpec().getSelector(), podLabels)).as("Deployment selector").isTrue();

        Container gateway = pod.getContainers().stream().filter(c -> c.getName().equals("live-gateway")).findFirst()
                .orElseThrow();
        int httpPort = Integer.parseInt(appProperties.getProperty("quarkus.http.port"));
        assertThat(gateway.getPorts()).anySatisfy(p -> {
            assertThat(p.getContainerPort()).isEqualTo(httpPort);
            assertThat(p.getName()).isEqualTo("http");
        });
        assertThat(appProperties.getProperty("quarkus.grpc.server.use-separate-server")).isEqualTo("false");

        // health and metrics on the management interface only: probes and scrape there, callers never
        assertThat(appProperties.getProperty("quarkus.management.enabled")).isEqualTo("true");
        int managementPort = Integer.parseInt(appProperties.getProperty("quarkus.management.port"));
        assertThat(managementPort).isNotEqualTo(httpPort);
        assertThat(gateway.getPorts()).anySatisfy(p -> {
            assertThat(p.getContainerPort()).isEqualTo(managementPort);
            assertThat(p.getName()).isEqualTo("management");
        });
        assertThat(gateway.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
        assertThat(gateway.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
        assertThat(gateway.getStartupProbe().getHttpGet().getPath()).isEqualTo("/q/health/started");
        for (var probe : List.of(gateway.getLivenessProbe(), gateway.getReadinessProbe(), gateway.getStartupProbe())) {
            assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("management");
        }
        Map<String, String> annotations = deployment.getSpec().getTemplate().getMetadata().getAnnotations();
        assertThat(annotations).containsEntry("prometheus.io/port", Integer.toString(managementPort))
                .containsEntry("prometheus.io/path", "/q/metrics");

        // security
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        for (Container c : pod.getContainers()) {
            assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).as(c.getName()).isTrue();
            assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).as(c.getName()).isFalse();
            assertThat(c.getSecurityContext().getCapabilities().getDrop()).as(c.getName()).containsExactly("ALL");
            assertThat(c.getResources().getRequests()).as(c.getName()).containsKeys("cpu", "memory");
            assertThat(c.getResources().getLimits()).as(c.getName()).containsKeys("cpu", "memory");
            assertThat(Quantity.getAmountInBytes(c.getResources().getLimits().get("memory")))
                    .isGreaterThanOrEqualTo(Quantity.getAmountInBytes(c.getResources().getRequests().get("memory")));
        }
        Map<String, Volume> volumes = new HashMap<>();
        pod.getVolumes().forEach(v -> volumes.put(v.getName(), v));
        Map<String, VolumeMount> mounts = new HashMap<>();
        gateway.getVolumeMounts().forEach(m -> mounts.put(m.getMountPath(), m));
        assertThat(mounts).containsKey("/tmp");
        assertThat(volumes.get(mounts.get("/tmp").getName()).getEmptyDir()).isNotNull();
        gateway.getVolumeMounts().forEach(m -> assertThat(volumes).as("volume of mount %s", m.getMountPath())
                .containsKey(m.getName()));

        // configuration: every env var names a property the code reads
        Map<String, String> env = new LinkedHashMap<>(configEnv.isEmpty() ? baseEnvFile() : configEnv);
        for (EnvVar var : gateway.getEnv()) {
            env.putIfAbsent(var.getName(), var.getValue());
        }
        // the JVM exits on an OutOfMemoryError (restarted by the kubelet) instead of limping on
        assertThat(env.get("JAVA_TOOL_OPTIONS")).as("JVM options of the gateway").contains("-XX:+ExitOnOutOfMemoryError");
        for (String name : env.keySet()) {
            if (name.equals("JAVA_TOOL_OPTIONS")) {
                continue; // read by the JVM, not the application
            }
            String owner = KEYS_OF_OTHER_PACKAGES.get(name);
            if (owner != null && !onClassPath(owner)) {
                continue; // read by a package merged from another branch
            }
            assertThat(keys.readsEnv(name)).as("%s is a configuration key the application reads", name).isTrue();
        }
        // tools directory and tenants file are where the volumes are mounted
        String toolsDir = env.get("LIVE_GATEWAY_TOOLS_DIRECTORY");
        assertThat(mounts).containsKey(toolsDir);
        assertThat(volumes.get(mounts.get(toolsDir).getName()).getConfigMap().getName()).startsWith("live-gateway-tools");
        Path tenantsFile = Path.of(env.get("LIVE_GATEWAY_AUTH_TENANTS_FILE"));
        VolumeMount secretMount = mounts.get(tenantsFile.getParent().toString());
        assertThat(secretMount).as("mount of %s", tenantsFile).isNotNull();
        var secretVolume = volumes.get(secretMount.getName()).getSecret();
        assertThat(secretVolume.getSecretName()).startsWith("live-gateway-tenants");
        assertThat(secretVolume.getItems()).anySatisfy(i -> assertThat(i.getPath())
                .isEqualTo(tenantsFile.getFileName().toString()));

        // drain: the kubelet waits longer than the application's shutdown timeout
        Duration shutdown = Duration.parse("PT" + env.get("QUARKUS_SHUTDOWN_TIMEOUT").toUpperCase());
        assertThat(pod.getTerminationGracePeriodSeconds()).isGreaterThan(shutdown.toSeconds());

        // service account for Workload Identity
        ServiceAccount account = one(all, ServiceAccount.class, pod.getServiceAccountName());
        assertThat(account.getMetadata().getAnnotations()).containsKey("iam.gke.io/gcp-service-account");

        // Services: gRPC port named for HTTP/2 cleartext, targeting the container port, selecting the pods
        List<Service> services = all.stream().filter(Service.class::isInstance).map(Service.class::cast)
                .filter(s -> s.getMetadata().getName().startsWith("live-gateway") && !s.getMetadata().getName()
                        .contains("redis")).toList();
        assertThat(services).extracting(s -> s.getMetadata().getName())
                .contains("live-gateway", "live-gateway-headless");
        for (Service service : services) {
            assertThat(podLabels).containsAllEntriesOf(service.getSpec().getSelector());
            ServicePort port = service.getSpec().getPorts().get(0);
            assertThat(service.getSpec().getPorts()).as("%s exposes the caller port only", service.getMetadata().getName())
                    .hasSize(1).allSatisfy(p -> {
                        assertThat(p.getPort()).isNotEqualTo(managementPort);
                        assertThat(p.getTargetPort().getStrVal()).isNotEqualTo("management");
                    });
            assertThat(port.getName()).isEqualTo("grpc");
            assertThat(port.getAppProtocol()).isEqualTo("kubernetes.io/h2c");
            assertThat(port.getTargetPort().getStrVal()).isEqualTo("http");
        }
        assertThat(one(all, Service.class, "live-gateway-headless").getSpec().getClusterIP()).isEqualTo("None");

        // PDB, HPA, NetworkPolicy select the same pods
        assertThat(matches(one(all, PodDisruptionBudget.class, null).getSpec().getSelector(), podLabels)).isTrue();
        NetworkPolicy policy = one(all, NetworkPolicy.class, "live-gateway");
        assertThat(matches(policy.getSpec().getPodSelector(), podLabels)).isTrue();
        // callers reach the caller port; only Prometheus (namespace monitoring) reaches the management port
        assertThat(policy.getSpec().getIngress()).anySatisfy(rule -> assertThat(rule.getPorts())
                .anySatisfy(p -> assertThat(p.getPort().getIntVal()).isEqualTo(httpPort)));
        assertThat(policy.getSpec().getIngress()).anySatisfy(rule -> assertThat(rule.getPorts())
                .anySatisfy(p -> assertThat(p.getPort().getIntVal()).isEqualTo(managementPort)));
        for (var rule : policy.getSpec().getIngress()) {
            boolean management = rule.getPorts().stream().anyMatch(p -> p.getPort().getIntVal() == managementPort);
            if (management) {
                assertThat(rule.getFrom()).as("who may reach the management port").isNotEmpty().allSatisfy(peer -> {
                    assertThat(peer.getNamespaceSelector().getMatchLabels())
                            .containsEntry("kubernetes.io/metadata.name", "monitoring");
                    assertThat(peer.getPodSelector().getMatchLabels()).containsEntry("app.kubernetes.io/name", "prometheus");
                });
                assertThat(rule.getPorts()).as("the Prometheus rule opens no caller port")
                        .allSatisfy(p -> assertThat(p.getPort().getIntVal()).isEqualTo(managementPort));
            }
        }
        assertThat(policy.getSpec().getEgress()).anySatisfy(rule -> assertThat(rule.getPorts())
                .anySatisfy(p -> assertThat(p.getPort().getIntVal()).isEqualTo(53)));
        assertThat(policy.getSpec().getEgress()).anySatisfy(rule -> assertThat(rule.getPorts())
                .anySatisfy(p -> assertThat(p.getPort().getIntVal()).isEqualTo(443)));
        HorizontalPodAutoscaler hpa = one(all, HorizontalPodAutoscaler.class, null);
        assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo(deployment.getMetadata().getName());
        assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
        assertThat(hpa.getSpec().getMetrics()).extracting(MetricSpec::getType).contains("Pods", "Resource");
        String sessionsMetric = hpa.getSpec().getMetrics().stream().filter(m -> m.getType().equals("Pods"))
                .findFirst().orElseThrow().getPods().getMetric().getName();
        assertThat(sessionsMetric).isEqualTo("live_gateway_sessions_active");
        assertThat(Files.readString(Path.of("src/main/java/dev/livegateway/metrics/GatewayMetrics.java")))
                .contains("PREFIX = \"live_gateway_\"", "PREFIX + \"sessions_active\"");
        assertThat(hpa.getSpec().getMinReplicas()).isLessThanOrEqualTo(hpa.getSpec().getMaxReplicas());
    }

    static Map<String, String> baseEnvFile() throws IOException {
        return envFile(DEPLOY.resolve("base/gateway.env"));
    }

    static Map<String, String> envFile(Path file) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank() && !line.startsWith("#")) {
                int eq = line.indexOf('=');
                env.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return env;
    }

    static boolean matches(LabelSelector selector, Map<String, String> labels) {
        return selector != null && selector.getMatchLabels() != null && !selector.getMatchLabels().isEmpty()
                && labels.entrySet().containsAll(selector.getMatchLabels().entrySet());
    }

    static boolean onClassPath(String className) {
        try {
            Class.forName(className, false, DeployManifestsTest.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    // ---- overlays --------------------------------------------------------------------------------

    @Test
    void overlaysPatchAndMergeWhatTheBaseHas() throws IOException {
        List<HasMetadata> base = base().values().stream().flatMap(List::stream).toList();
        JsonNode baseKustomization = YAML.readTree(DEPLOY.resolve("base/kustomization.yaml").toFile());
        Set<String> baseGenerators = new java.util.HashSet<>();
        baseKustomization.path("configMapGenerator").forEach(g -> baseGenerators.add(g.path("name").asText()));
        for (String overlay : List.of("dev", "production")) {
            Path dir = DEPLOY.resolve("overlays").resolve(overlay);
            JsonNode kustomization = YAML.readTree(dir.resolve("kustomization.yaml").toFile());
            assertThat(kustomization.path("resources").toString()).contains("../../base");
            for (JsonNode patch : kustomization.path("patches")) {
                for (HasMetadata target : parseFile(dir.resolve(patch.path("path").asText()))) {
                    assertThat(base).as("%s patch target %s/%s", overlay, target.getKind(), target.getMetadata().getName())
                            .anyMatch(r -> r.getKind().equals(target.getKind())
                                    && r.getMetadata().getName().equals(target.getMetadata().getName()));
                }
            }
            for (JsonNode generator : kustomization.path("configMapGenerator")) {
                if ("merge".equals(generator.path("behavior").asText())) {
                    assertThat(baseGenerators).contains(generator.path("name").asText());
                }
                for (JsonNode envs : generator.path("envs")) {
                    for (String name : envFile(dir.resolve(envs.asText())).keySet()) {
                        assertThat(keys.readsEnv(name)).as("%s in overlay %s", name, overlay).isTrue();
                    }
                }
            }
        }
        JsonNode tools = YAML.readTree(DEPLOY.resolve("tools/kustomization.yaml").toFile());
        assertThat(tools.path("configMapGenerator").get(0).path("files")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrderElementsOf(TOOL_FILES);
    }

    @Test
    void renderedDevOverlayRunsTheEmulatorWithItsOwnRedis() throws Exception {
        Rendered dev = render("dev");
        checkGateway(dev.resources, dev.configEnv);
        Deployment deployment = one(dev.resources, Deployment.class, "live-gateway");
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
        assertThat(dev.configEnv).containsEntry("LIVE_GATEWAY_UPSTREAM_MODE", "emulator")
                .containsEntry("LIVE_GATEWAY_EMULATOR_ENABLED", "true");
        // every Secret the pod references is generated, and the Redis URI points at the Redis Service
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        List<String> secretNames = new ArrayList<>();
        pod.getVolumes().stream().filter(v -> v.getSecret() != null).forEach(v -> secretNames.add(v.getSecret().getSecretName()));
        pod.getContainers().get(0).getEnv().stream().filter(e -> e.getValueFrom() != null
                && e.getValueFrom().getSecretKeyRef() != null && !Boolean.TRUE.equals(e.getValueFrom().getSecretKeyRef().getOptional()))
                .forEach(e -> secretNames.add(e.getValueFrom().getSecretKeyRef().getName()));
        for (String name : secretNames) {
            one(dev.resources, Secret.class, name);
        }
        Secret redis = dev.resources.stream().filter(Secret.class::isInstance).map(Secret.class::cast)
                .filter(s -> s.getMetadata().getName().startsWith("live-gateway-redis")).findFirst().orElseThrow();
        String uri = decoded(redis, "uri");
        String password = decoded(redis, "password");
        assertThat(password).as("generated Redis password").hasSizeGreaterThanOrEqualTo(32);
        Service redisService = one(dev.resources, Service.class, "live-gateway-redis");
        int redisPort = redisService.getSpec().getPorts().get(0).getPort();
        assertThat(uri).isEqualTo("redis://:" + password + "@" + redisService.getMetadata().getName() + ":" + redisPort);
        Deployment redisDeployment = one(dev.resources, Deployment.class, "live-gateway-redis");
        Map<String, String> redisLabels = redisDeployment.getSpec().getTemplate().getMetadata().getLabels();
        assertThat(redisService.getSpec().getSelector().entrySet()).isSubsetOf(redisLabels.entrySet());
        assertThat(redisDeployment.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();

        // Redis requires the generated password
        Container redisContainer = redisDeployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        List<String> args = redisContainer.getArgs();
        assertThat(args).contains("--requirepass");
        String passwordArg = args.get(args.indexOf("--requirepass") + 1);
        assertThat(passwordArg).matches("\\$\\([A-Z_]+\\)");
        String passwordVar = passwordArg.substring(2, passwordArg.length() - 1);
        EnvVar passwordEnv = redisContainer.getEnv().stream().filter(e -> e.getName().equals(passwordVar)).findFirst()
                .orElseThrow();
        assertThat(passwordEnv.getValueFrom().getSecretKeyRef().getName()).isEqualTo(redis.getMetadata().getName());
        assertThat(passwordEnv.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("password");

        // NetworkPolicies: the gateway may reach Redis' port; Redis answers only the gateway and connects nowhere
        assertThat(redisEgressPorts(dev.resources, podLabels(deployment))).contains(redisPort);
        NetworkPolicy redisPolicy = dev.resources.stream().filter(NetworkPolicy.class::isInstance)
                .map(NetworkPolicy.class::cast).filter(p -> matches(p.getSpec().getPodSelector(), redisLabels))
                .findFirst().orElseThrow(() -> new AssertionError("no NetworkPolicy selects the Redis pods"));
        assertThat(redisPolicy.getSpec().getPolicyTypes()).contains("Ingress", "Egress");
        assertThat(redisPolicy.getSpec().getEgress()).isNullOrEmpty();
        assertThat(redisPolicy.getSpec().getIngress()).singleElement().satisfies(rule -> {
            assertThat(rule.getFrom()).singleElement().satisfies(peer -> {
                assertThat(peer.getNamespaceSelector()).isNull();
                assertThat(matches(peer.getPodSelector(), podLabels(deployment))).isTrue();
            });
            assertThat(rule.getPorts()).singleElement()
                    .satisfies(p -> assertThat(p.getPort().getIntVal()).isEqualTo(redisPort));
        });

        // the emulator records nothing (GET /emulator/sessions must not hold a dev session's audio)
        assertThat(dev.configEnv).containsEntry("LIVE_GATEWAY_EMULATOR_RECORDING", "false");
        assertThat(keys.readsEnv("LIVE_GATEWAY_EMULATOR_RECORDING")).isTrue();

        // the admin key and the tenant key are generated, their hashes are in the tenants Secret
        Secret tenants = one(dev.resources, Secret.class, pod.getVolumes().stream()
                .filter(v -> v.getSecret() != null && v.getSecret().getSecretName().startsWith("live-gateway-tenants"))
                .findFirst().orElseThrow().getSecret().getSecretName());
        String tenantsYaml = decoded(tenants, "tenants.yaml");
        List<String> keyLines = Files.readAllLines(dev.root().resolve("deploy/overlays/dev/secrets/keys.txt"));
        assertThat(keyLines).hasSize(2);
        for (String line : keyLines) {
            String key = line.substring(line.lastIndexOf(' ') + 1);
            assertThat(tenantsYaml).contains(KeyHashes.format(key));
        }
    }

    @Test
    void theDevOverlayCommitsNoKeyAndNoPassword() throws Exception {
        Path dev = DEPLOY.resolve("overlays/dev");
        JsonNode kustomization = YAML.readTree(dev.resolve("kustomization.yaml").toFile());
        for (JsonNode generator : kustomization.path("secretGenerator")) {
            assertThat(generator.has("literals")).as("secret %s has no literal values", generator.path("name")).isFalse();
            List<String> sources = new ArrayList<>();
            generator.path("files").forEach(f -> sources.add(f.asText().substring(f.asText().indexOf('=') + 1)));
            generator.path("envs").forEach(f -> sources.add(f.asText()));
            assertThat(sources).as("secret %s is generated from files of secrets/", generator.path("name"))
                    .isNotEmpty().allSatisfy(f -> assertThat(f).startsWith("secrets/"));
        }
        assertThat(Files.readAllLines(dev.resolve(".gitignore"))).contains("secrets/");
        java.util.regex.Pattern secret = java.util.regex.Pattern.compile("sha256:[0-9a-f]{64}|requirepass\\s+[^$\\s\"]|redis://:[^@$]+@");
        try (Stream<Path> files = Files.walk(dev)) {
            for (Path file : files.filter(Files::isRegularFile).filter(f -> !f.startsWith(dev.resolve("secrets"))).toList()) {
                assertThat(secret.matcher(Files.readString(file)).find()).as("%s holds a key, hash or password", file)
                        .isFalse();
            }
        }
        // two runs of the generator give different keys
        Rendered first = render("dev");
        Rendered second = render("dev");
        assertThat(decoded(secretNamed(first.resources(), "live-gateway-tenants"), "tenants.yaml"))
                .isNotEqualTo(decoded(secretNamed(second.resources(), "live-gateway-tenants"), "tenants.yaml"));
        assertThat(decoded(secretNamed(first.resources(), "live-gateway-redis"), "password"))
                .isNotEqualTo(decoded(secretNamed(second.resources(), "live-gateway-redis"), "password"));
    }

    static Secret secretNamed(List<HasMetadata> all, String prefix) {
        return all.stream().filter(Secret.class::isInstance).map(Secret.class::cast)
                .filter(s -> s.getMetadata().getName().startsWith(prefix)).findFirst().orElseThrow();
    }

    static String decoded(Secret secret, String key) {
        assertThat(secret.getData()).as("keys of Secret %s", secret.getMetadata().getName()).containsKey(key);
        return new String(Base64.getMimeDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
    }

    static Map<String, String> podLabels(Deployment deployment) {
        return deployment.getSpec().getTemplate().getMetadata().getLabels();
    }

    /** Ports the gateway's pods may reach on Redis: egress ports of the NetworkPolicies besides the base's. */
    static List<Integer> redisEgressPorts(List<HasMetadata> all, Map<String, String> gatewayLabels) {
        return all.stream().filter(NetworkPolicy.class::isInstance).map(NetworkPolicy.class::cast)
                .filter(p -> p.getMetadata().getName().equals("live-gateway-redis-egress"))
                .filter(p -> matches(p.getSpec().getPodSelector(), gatewayLabels))
                .flatMap(p -> p.getSpec().getEgress().stream()).flatMap(r -> r.getPorts().stream())
                .map(p -> p.getPort().getIntVal()).toList();
    }

    @Test
    void renderedProductionOverlayUsesVertexAndSeveralReplicas() throws Exception {
        Rendered prod = render("production");
        checkGateway(prod.resources, prod.configEnv);
        Deployment deployment = one(prod.resources, Deployment.class, "live-gateway");
        assertThat(deployment.getSpec().getReplicas()).isGreaterThanOrEqualTo(3);
        assertThat(one(prod.resources, HorizontalPodAutoscaler.class, null).getSpec().getMinReplicas())
                .isGreaterThanOrEqualTo(3);
        assertThat(prod.configEnv).containsEntry("LIVE_GATEWAY_UPSTREAM_MODE", "vertex")
                .containsKey("LIVE_GATEWAY_UPSTREAM_VERTEX_PROJECT").containsKey("LIVE_GATEWAY_UPSTREAM_VERTEX_LOCATION");
        assertThat(prod.resources).noneMatch(r -> r instanceof Secret); // created out of band, see docs/operations.md
        String docs = Files.readString(Path.of("docs/operations.md"));
        assertThat(docs).contains("live-gateway-tenants", "live-gateway-redis", "live-gateway-admin");

        // the Redis port the NetworkPolicy opens is the one of the documented production Redis URI
        java.util.regex.Matcher documented = java.util.regex.Pattern
                .compile("create secret generic live-gateway-redis[^\\n]*uri='(rediss?)://[^']*:(\\d+)'").matcher(docs);
        assertThat(documented.find()).as("docs/operations.md creates Secret live-gateway-redis with a Redis URI").isTrue();
        assertThat(documented.group(1)).isEqualTo("rediss");
        int documentedPort = Integer.parseInt(documented.group(2));
        assertThat(redisEgressPorts(prod.resources, podLabels(deployment))).containsExactly(documentedPort);
        assertThat(Files.readString(Path.of("docs/replicas.md"))).contains(":" + documentedPort);

        // the Redis CA of that TLS connection: the same Secret's ca.pem, mounted where the key points
        String caFile = prod.configEnv.get("LIVE_GATEWAY_REDIS_TLS_CA_FILE");
        assertThat(caFile).isNotBlank();
        assertThat(keys.readsEnv("LIVE_GATEWAY_REDIS_TLS_CA_FILE")).isTrue();
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        Container gateway = pod.getContainers().get(0);
        VolumeMount caMount = gateway.getVolumeMounts().stream()
                .filter(m -> m.getMountPath().equals(Path.of(caFile).getParent().toString())).findFirst().orElseThrow();
        var caVolume = pod.getVolumes().stream().filter(v -> v.getName().equals(caMount.getName())).findFirst()
                .orElseThrow().getSecret();
        assertThat(caVolume.getSecretName()).isEqualTo("live-gateway-redis");
        assertThat(caVolume.getItems()).anySatisfy(i -> {
            assertThat(i.getPath()).isEqualTo(Path.of(caFile).getFileName().toString());
            assertThat(docs).contains("--from-file=" + i.getKey() + "=");
        });
    }

    record Rendered(List<HasMetadata> resources, Map<String, String> configEnv, Path root) {}

    /** {@code kubectl kustomize} of an overlay, on a copy of deploy/ with placeholder tool files where missing. */
    static Rendered render(String overlay) throws Exception {
        Assumptions.assumeTrue(kubectl() != null, "kubectl is not installed: rendered overlays not checked");
        Path copy = Files.createTempDirectory("deploy");
        copyTree(DEPLOY, copy.resolve("deploy"));
        for (String tool : TOOL_FILES) {
            Path file = copy.resolve("deploy/tools").resolve(tool);
            if (!Files.exists(file)) {
                Files.writeString(file, "# placeholder for the test: the tools package provides this file\n");
            }
        }
        Path generator = copy.resolve("deploy/overlays").resolve(overlay).resolve("generate-secrets.sh");
        if (Files.exists(generator)) {
            // the overlay's Secrets come from files its script writes, as a user runs it before applying
            Process generate = new ProcessBuilder(generator.toString()).redirectErrorStream(true).start();
            String out = new String(generate.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(generate.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(generate.exitValue()).as("%s: %s", generator, out).isZero();
        }
        Process process = new ProcessBuilder(kubectl(), "kustomize", copy.resolve("deploy/overlays").resolve(overlay).toString())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("kubectl kustomize %s: %s", overlay, output).isZero();
        List<HasMetadata> resources = parse(output);
        ConfigMap config = resources.stream().filter(ConfigMap.class::isInstance).map(ConfigMap.class::cast)
                .filter(c -> c.getMetadata().getName().startsWith("live-gateway-config")).findFirst().orElseThrow();
        Deployment deployment = one(resources, Deployment.class, "live-gateway");
        assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnvFrom())
                .anySatisfy(e -> assertThat(e.getConfigMapRef().getName()).isEqualTo(config.getMetadata().getName()));
        return new Rendered(resources, config.getData(), copy);
    }

    static String kubectl() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File candidate = new File(dir, "kubectl");
            if (candidate.canExecute()) {
                return candidate.getPath();
            }
        }
        return null;
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    @Test
    void theGrafanaDashboardQueriesMetersTheGatewayExports() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(DEPLOY.resolve("grafana/live-gateway.json").toFile());
        String metrics = Files.readString(Path.of("src/main/java/dev/livegateway/metrics/GatewayMetrics.java"));
        List<String> exprs = dashboard.findValues("expr").stream().map(JsonNode::asText).toList();
        assertThat(exprs).hasSizeGreaterThanOrEqualTo(10);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("live_gateway_([a-z_]+?)(_total|_seconds_bucket|_seconds_count|_seconds_sum|_bucket)?[{\\[ )]")
                .matcher(String.join("\n", exprs) + " ");
        int found = 0;
        while (m.find()) {
            found++;
            assertThat(metrics).as("meter live_gateway_%s", m.group(1)).contains("PREFIX + \"" + m.group(1) + "\"");
        }
        assertThat(found).isGreaterThanOrEqualTo(10);
    }
}
