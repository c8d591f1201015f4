package io.neurosurrogate.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A kustomization rendered by {@code kubectl kustomize}: its YAML text and its objects, typed with fabric8's
 * Kubernetes model and Strimzi's model of its custom resources (so a field either model does not know is found).
 */
final class Manifests {
    static final String STRIMZI_API = "kafka.strimzi.io/v1";
    private static final ObjectMapper YAML = new YAMLMapper();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Manifests> CACHE = new ConcurrentHashMap<>();

    final String name;
    final String yaml;
    final List<Map<String, Object>> documents;
    final List<HasMetadata> objects;

    private Manifests(String name, String yaml, List<Map<String, Object>> documents, List<HasMetadata> objects) {
        this.name = name;
        this.yaml = yaml;
        this.documents = documents;
        this.objects = objects;
    }

    /** The deployments users apply: the two overlays, and the cpu overlay with TLS on the gateway. */
    static List<String> variants() {
        return List.of("cpu", "gpu", "cpu+gateway-tls");
    }

    static Manifests render(String variant) {
        return CACHE.computeIfAbsent(variant, Manifests::doRender);
    }

    private static Manifests doRender(String variant) {
        Path dir;
        if (variant.equals("cpu") || variant.equals("gpu")) {
            dir = Repo.path("k8s/overlays/" + variant);
        } else if (variant.equals("cpu+gateway-tls")) {
            // An overlay as the README tells users to write it: the cpu overlay plus the gateway-tls component.
            dir = Repo.path("deploy/target/kustomize-cpu-tls");
            write(dir.resolve("kustomization.yaml"), """
                    apiVersion: kustomize.config.k8s.io/v1beta1
                    kind: Kustomization
                    resources:
                      - ../../../k8s/overlays/cpu
                    components:
                      - ../../../k8s/components/gateway-tls
                    """);
        } else {
            throw new IllegalArgumentException(variant);
        }
        String yaml = Repo.run(List.of("kubectl", "kustomize", dir.toString()), Repo.ROOT, null, Duration.ofMinutes(2))
                .requireSuccess().stdout();
        return parse(variant, yaml);
    }

    static Manifests parse(String name, String yaml) {
        List<Map<String, Object>> docs = new ArrayList<>();
        try (var it = YAML.readerFor(Map.class).<Map<String, Object>>readValues(yaml)) {
            while (it.hasNext()) {
                Map<String, Object> doc = it.next();
                if (doc != null && !doc.isEmpty()) {
                    docs.add(doc);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        KubernetesSerialization serialization = serialization();
        List<HasMetadata> objects = new ArrayList<>();
        for (Map<String, Object> doc : docs) {
            try {
                objects.add(serialization.unmarshal(JSON.writeValueAsString(doc)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new Manifests(name, yaml, docs, objects);
    }

    private static KubernetesSerialization serialization() {
        KubernetesSerialization s = new KubernetesSerialization();
        s.registerKubernetesResource(STRIMZI_API, "Kafka", Kafka.class);
        s.registerKubernetesResource(STRIMZI_API, "KafkaNodePool", KafkaNodePool.class);
        s.registerKubernetesResource(STRIMZI_API, "KafkaTopic", KafkaTopic.class);
        return s;
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> T one(Class<T> type, String name) {
        return all(type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(this.name + ": no " + type.getSimpleName() + " named " + name));
    }

    /**
     * Fields that the typed models did not recognise, as "path: [names]". fabric8's and Strimzi's model classes keep
     * what they do not know in {@code additionalProperties} instead of failing, so a misspelt field (say
     * {@code readinesProbe}), which the API server would drop or refuse, shows up here.
     */
    static List<String> unknownFields(Object root, String path) {
        List<String> out = new ArrayList<>();
        collect(root, path, out, 0);
        return out;
    }

    private static void collect(Object o, String path, List<String> out, int depth) {
        if (o == null || depth > 40 || o instanceof CharSequence || o instanceof Number || o instanceof Boolean
                || o instanceof Enum<?>) {
            return;
        }
        if (o instanceof Map<?, ?> map) {
            map.forEach((k, v) -> collect(v, path + "." + k, out, depth + 1));
            return;
        }
        if (o instanceof Collection<?> list) {
            int i = 0;
            for (Object item : list) {
                collect(item, path + "[" + i++ + "]", out, depth + 1);
            }
            return;
        }
        String pkg = o.getClass().getPackageName();
        if (!pkg.startsWith("io.fabric8.kubernetes.api.model") && !pkg.startsWith("io.strimzi.api")) {
            return;
        }
        for (Method m : o.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || !m.getName().startsWith("get")
                    || m.getName().equals("getClass")) {
                continue;
            }
            Object value;
            try {
                value = m.invoke(o);
            } catch (ReflectiveOperationException | RuntimeException e) {
                continue;
            }
            if (m.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    out.add(path + ": " + extra.keySet());
                }
                continue;
            }
            String property = Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4);
            collect(value, path + "." + property, out, depth + 1);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
