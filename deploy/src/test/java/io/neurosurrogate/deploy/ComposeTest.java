package io.neurosurrogate.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.neurosurrogate.broker.StandardTopics;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docker-compose.yml (and the GPU override) as {@code docker-compose config} resolves it with every variable at its
 * default: it is valid, only the gateway publishes a port, the services run the project's images with settings they
 * know, in the right order, on the project's topics, with their data on named volumes.
 */
class ComposeTest {
    private static final ObjectMapper YAML = new YAMLMapper();
    private static final Pattern TOPIC = Pattern.compile("--topic\\s+(\\S+)(.*)");
    private static final Pattern PARTITIONS = Pattern.compile("--partitions\\s+(\\d+)");
    private static final Pattern CONFIG = Pattern.compile("--config\\s+([\\w.]+)=(\\S+)");

    /** The file(s) resolved by docker-compose: variables at their defaults (none taken from this shell). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> config(String... files) {
        List<String> cmd = new ArrayList<>(List.of("docker-compose"));
        for (String f : files) {
            cmd.add("-f");
            cmd.add(f);
        }
        cmd.add("config");
        String out = Repo.run(cmd, Repo.ROOT, null, Duration.ofMinutes(2),
                env -> env.keySet().removeIf(k -> k.startsWith("NS_") || k.startsWith("KAFKA_") || k.startsWith("COMPOSE_")))
                .requireSuccess().stdout();
        try {
            return YAML.readValue(out, Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Map<String, Object>> services(Map<String, Object> config) {
        return (Map<String, Map<String, Object>>) config.get("services");
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> env(Map<String, Object> service) {
        Map<String, String> out = new TreeMap<>();
        Object e = service.get("environment");
        if (e instanceof Map<?, ?> m) {
            m.forEach((k, v) -> out.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
        }
        return out;
    }

    /** Our services by compose name -> module (from the image name). */
    static Map<String, String> ourServices(Map<String, Map<String, Object>> services) {
        Map<String, String> out = new TreeMap<>();
        services.forEach((name, s) -> {
            String image = String.valueOf(s.get("image"));
            if (image.startsWith(Repo.IMAGE_PREFIX)) {
                out.put(name, image.substring(Repo.IMAGE_PREFIX.length(), image.indexOf(':')));
            }
        });
        return out;
    }

    @Test
    void theComposeFileIsValidAndRunsEveryServiceFromItsImage() {
        Map<String, Map<String, Object>> services = services(config("docker-compose.yml"));
        Map<String, String> ours = ourServices(services);
        assertThat(ours.values()).containsExactlyInAnyOrderElementsOf(Repo.SERVICES);
        for (var e : ours.entrySet()) {
            Map<String, Object> s = services.get(e.getKey());
            assertThat(String.valueOf(s.get("image"))).isEqualTo(Repo.IMAGE_PREFIX + e.getValue() + ":" + Repo.version());
            assertThat(Files.isRegularFile(Repo.path(e.getValue() + "/src/main/docker/Dockerfile.jvm"))).isTrue();
            assertThat(s).as(e.getKey() + " healthcheck").containsKey("healthcheck");
            ServiceConfig config = ServiceConfig.of(e.getValue());
            for (String variable : env(s).keySet()) {
                assertThat(config.accepts(variable)).as(e.getKey() + ": " + variable + " is a setting of " + e.getValue()).isTrue();
            }
        }
        assertThat(services.get("kafka")).containsKey("healthcheck");
        assertThat(String.valueOf(services.get("kafka").get("image"))).startsWith("apache/kafka:");
    }

    @Test
    void onlyTheGatewayPublishesAPort() {
        Map<String, Map<String, Object>> services = services(config("docker-compose.yml"));
        Map<String, String> ours = ourServices(services);
        services.forEach((name, s) -> {
            if (!"gateway".equals(ours.get(name))) {
                assertThat(s).as(name + " publishes no port").doesNotContainKey("ports");
                assertThat(s.get("network_mode")).as(name).isNotEqualTo("host");
            }
        });
        String gateway = ours.entrySet().stream().filter(e -> e.getValue().equals("gateway")).findFirst().orElseThrow().getKey();
        List<?> ports = (List<?>) services.get(gateway).get("ports");
        assertThat(ports).hasSize(1);
        assertThat(String.valueOf(((Map<?, ?>) ports.get(0)).get("target"))).isEqualTo(String.valueOf(ServiceConfig.of("gateway").grpcPort()));
    }

    @Test
    void servicesStartInOrderOnTheProjectsTopics() {
        Map<String, Map<String, Object>> services = services(config("docker-compose.yml"));
        Map<String, String> ours = ourServices(services);
        Map<String, Object> kafka = services.get("kafka");
        assertThat(env(kafka).get("KAFKA_ADVERTISED_LISTENERS")).contains("//kafka:9092");

        // The one-shot topic creator makes exactly StandardTopics' topics, partitions and configs.
        String script = String.join("\n", asStrings(services.get("kafka-topics").get("command")));
        Map<String, Integer> partitions = new TreeMap<>();
        Map<String, Map<String, String>> configs = new TreeMap<>();
        for (String line : script.split("\n")) {
            Matcher t = TOPIC.matcher(line);
            if (!t.find()) {
                continue;
            }
            String rest = t.group(2);
            Matcher p = PARTITIONS.matcher(rest);
            assertThat(p.find()).as(line).isTrue();
            partitions.put(t.group(1), Integer.parseInt(p.group(1)));
            Map<String, String> c = new TreeMap<>();
            Matcher cm = CONFIG.matcher(rest);
            while (cm.find()) {
                c.put(cm.group(1), cm.group(2));
            }
            configs.put(t.group(1), c);
        }
        Map<String, Integer> wantPartitions = new TreeMap<>();
        Map<String, Map<String, String>> wantConfigs = new TreeMap<>();
        for (NewTopic t : StandardTopics.all()) {
            wantPartitions.put(t.name(), t.numPartitions());
            wantConfigs.put(t.name(), t.configs() == null ? Map.of() : new TreeMap<>(t.configs()));
        }
        assertThat(partitions).isEqualTo(wantPartitions);
        assertThat(configs).isEqualTo(wantConfigs);
        assertThat(script).contains("--if-not-exists");

        for (var e : ours.entrySet()) {
            Map<String, String> env = env(services.get(e.getKey()));
            Map<?, ?> dependsOn = (Map<?, ?>) services.get(e.getKey()).get("depends_on");
            if (env.containsKey("KAFKA_BOOTSTRAP_SERVERS")) {
                assertThat(env.get("KAFKA_BOOTSTRAP_SERVERS")).isEqualTo("kafka:9092");
                assertThat(String.valueOf(((Map<?, ?>) dependsOn.get("kafka-topics")).get("condition")))
                        .as(e.getKey() + " starts after the topics exist").isEqualTo("service_completed_successfully");
            }
            if (e.getValue().equals("gateway")) {
                for (var callee : ours.entrySet()) {
                    if (!callee.getValue().equals("gateway")) {
                        assertThat(String.valueOf(((Map<?, ?>) dependsOn.get(callee.getKey())).get("condition")))
                                .as("gateway starts after " + callee.getKey() + " is healthy").isEqualTo("service_healthy");
                    }
                }
                assertThat(env.get("NS_GATEWAY_SIMULATOR")).isEqualTo(address(ours, "simulator-service"));
                assertThat(env.get("NS_GATEWAY_TRAINER")).isEqualTo(address(ours, "trainer-service"));
                assertThat(env.get("NS_GATEWAY_INFERENCE")).isEqualTo(address(ours, "inference-service"));
            }
        }
    }

    @Test
    void dataLivesOnNamedVolumesAndKeysInASecret() {
        Map<String, Object> config = config("docker-compose.yml");
        Map<String, Map<String, Object>> services = services(config);
        Map<String, String> ours = ourServices(services);
        Map<?, ?> volumes = (Map<?, ?>) config.get("volumes");
        assertThat(mountSource(services.get("kafka"), env(services.get("kafka")).get("KAFKA_LOG_DIRS"))).isIn(volumes.keySet());
        for (var e : ours.entrySet()) {
            Map<String, String> env = env(services.get(e.getKey()));
            switch (e.getValue()) {
                case "trainer-service" -> {
                    assertThat(mountSource(services.get(e.getKey()), env.get("NS_TRAINER_DATA_DIR"))).isIn(volumes.keySet());
                    assertThat(env.get("NS_TRAINER_ADVERTISED_ADDRESS")).isEqualTo(address(ours, "trainer-service"));
                }
                case "inference-service" ->
                        assertThat(mountSource(services.get(e.getKey()), env.get("NS_INFERENCE_CACHE_DIR"))).isIn(volumes.keySet());
                case "gateway" -> {
                    String keys = env.get("NS_GATEWAY_SECURITY_API_KEYS_FILE");
                    assertThat(keys).startsWith("/run/secrets/");
                    String secret = keys.substring("/run/secrets/".length());
                    assertThat(((Map<?, ?>) config.get("secrets")).keySet().stream().map(String::valueOf).toList()).contains(secret);
                    assertThat(asStrings(((List<?>) services.get(e.getKey()).get("secrets")).stream()
                            .map(s -> s instanceof Map<?, ?> m ? m.get("source") : s).toList())).contains(secret);
                }
                default -> { }
            }
        }
    }

    @Test
    void theGpuOverrideRunsTrainerAndInferenceOnGpus() {
        Map<String, Map<String, Object>> services = services(config("docker-compose.yml", "docker-compose.gpu.yml"));
        Map<String, String> ours = ourServices(services);
        for (var e : ours.entrySet()) {
            Map<String, Object> s = services.get(e.getKey());
            boolean gpu = e.getValue().equals("trainer-service") || e.getValue().equals("inference-service");
            assertThat(String.valueOf(s.get("image"))).as(e.getKey())
                    .isEqualTo(Repo.IMAGE_PREFIX + e.getValue() + ":" + Repo.version() + (gpu ? "-cuda" : ""));
            String devices = String.valueOf(s.get("deploy"));
            if (gpu) {
                assertThat(Files.isRegularFile(Repo.path(e.getValue() + "/src/main/docker/Dockerfile.cuda"))).isTrue();
                assertThat(devices).as(e.getKey() + " reserves GPUs").contains("driver=nvidia").contains("gpu");
            } else {
                assertThat(devices).as(e.getKey()).doesNotContain("nvidia");
            }
        }
    }

    private static String address(Map<String, String> ours, String module) {
        String service = ours.entrySet().stream().filter(e -> e.getValue().equals(module)).findFirst().orElseThrow().getKey();
        return service + ":" + ServiceConfig.of(module).grpcPort();
    }

    /** The named volume mounted at {@code target} (short syntax "name:/path[:mode]" or long syntax). */
    private static String mountSource(Map<String, Object> service, String target) {
        assertThat(target).as("data directory").isNotBlank();
        for (Object v : (List<?>) service.getOrDefault("volumes", List.of())) {
            if (v instanceof Map<?, ?> m && target.equals(m.get("target"))) {
                return String.valueOf(m.get("source"));
            }
            String[] parts = String.valueOf(v).split(":");
            if (parts.length >= 2 && parts[1].equals(target)) {
                return parts[0];
            }
        }
        throw new AssertionError("no volume mounted at " + target + " in " + service.get("volumes"));
    }

    private static List<String> asStrings(Object o) {
        if (o instanceof List<?> l) {
            return l.stream().map(String::valueOf).toList();
        }
        return List.of(String.valueOf(o));
    }
}
