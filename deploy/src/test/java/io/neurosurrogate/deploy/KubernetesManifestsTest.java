package io.neurosurrogate.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** k8s/ renders with kustomize, and every rendered object is one the API server would take as written. */
class KubernetesManifestsTest {

    static List<String> variants() {
        return Manifests.variants();
    }

    @ParameterizedTest
    @MethodSource("variants")
    void everyObjectValidatesAgainstTheKubernetesSchemas(String variant) {
        Manifests m = Manifests.render(variant);
        List<SchemaValidator.Verdict> verdicts = SchemaValidator.validate(m.yaml);

        assertThat(verdicts).as("one verdict per rendered object").hasSize(m.documents.size());
        assertThat(verdicts).filteredOn(v -> !v.status().equals("valid"))
                .as("objects that are not valid Kubernetes objects (custom resources are checked by StrimziResourcesTest)")
                .allSatisfy(v -> {
                    assertThat(v.status()).as(v.toString()).isEqualTo("unknown");
                    assertThat(v.apiVersion()).as(v.toString()).isEqualTo(Manifests.STRIMZI_API);
                });
        assertThat(verdicts.stream().filter(v -> v.status().equals("valid")).map(SchemaValidator.Verdict::kind)
                .collect(Collectors.toSet()))
                .contains("Namespace", "Secret", "Service", "Deployment", "StatefulSet", "HorizontalPodAutoscaler",
                        "PodDisruptionBudget", "NetworkPolicy");
    }

    @ParameterizedTest
    @MethodSource("variants")
    void noObjectCarriesAFieldTheModelsDoNotKnow(String variant) {
        Manifests m = Manifests.render(variant);
        assertThat(m.objects).hasSize(m.documents.size());
        for (HasMetadata o : m.objects) {
            assertThat(Manifests.unknownFields(o, o.getKind() + "/" + o.getMetadata().getName())).as("unknown fields").isEmpty();
        }
    }

    @Test
    void theChecksCatchWhatTheyAreFor() {
        String broken = """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: broken
                spec:
                  selector:
                    matchLabels: {app: x}
                  template:
                    metadata:
                      labels: {app: x}
                    spec:
                      containers:
                        - name: x
                          image: x
                          ports:
                            - containerPort: grpc
                          readinesProbe:
                            grpc:
                              port: 9100
                ---
                apiVersion: kafka.strimzi.io/v1
                kind: KafkaTopic
                metadata:
                  name: t
                  labels: {strimzi.io/cluster: c}
                spec:
                  partition: 3
                  replicas: 1
                """;
        List<SchemaValidator.Verdict> verdicts = SchemaValidator.validate(broken);
        assertThat(verdicts.get(0).status()).isEqualTo("invalid");
        assertThat(verdicts.get(0).errors()).anyMatch(e -> e.contains("containerPort"));

        // A field of the wrong type does not even parse into the typed model; a misspelt one is kept aside and found.
        assertThatThrownBy(() -> Manifests.parse("broken", broken)).isInstanceOf(RuntimeException.class);
        Manifests m = Manifests.parse("misspelt", broken.replace("containerPort: grpc", "containerPort: 9100"));
        assertThat(Manifests.unknownFields(m.objects.get(0), "d")).anyMatch(f -> f.contains("readinesProbe"));
        assertThat(Manifests.unknownFields(m.objects.get(1), "t")).anyMatch(f -> f.contains("partition"));
    }
}
