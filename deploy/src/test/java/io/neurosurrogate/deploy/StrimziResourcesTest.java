package io.neurosurrogate.deploy;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.neurosurrogate.broker.StandardTopics;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.kafka.PersistentClaimStorage;
import io.strimzi.api.kafka.model.kafka.JbodStorage;
import io.strimzi.api.kafka.model.kafka.listener.GenericKafkaListener;
import io.strimzi.api.kafka.model.kafka.listener.KafkaListenerType;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.nodepool.ProcessRoles;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Strimzi resources hold what the services rely on: a KRaft cluster (controller + broker node pool, no
 * ZooKeeper), the plain listener the services' KAFKA_BOOTSTRAP_SERVERS points at and that lets their pods in, and
 * exactly the project's topics with the partitions and configs the code expects (StandardTopics, which the local
 * stack and the tests use).
 */
class StrimziResourcesTest {

    static List<String> variants() {
        return Manifests.variants();
    }

    @ParameterizedTest
    @MethodSource("variants")
    void kafkaRunsInKraftModeOnPersistentNodes(String variant) {
        Manifests m = Manifests.render(variant);
        Kafka kafka = single(m.all(Kafka.class));
        List<KafkaNodePool> pools = m.all(KafkaNodePool.class);
        assertThat(pools).isNotEmpty().allSatisfy(pool ->
                assertThat(pool.getMetadata().getLabels()).containsEntry("strimzi.io/cluster", kafka.getMetadata().getName()));
        assertThat(pools.stream().flatMap(p -> p.getSpec().getRoles().stream()).collect(Collectors.toSet()))
                .as("KRaft: the pools hold the controllers as well as the brokers")
                .containsExactlyInAnyOrder(ProcessRoles.CONTROLLER, ProcessRoles.BROKER);
        for (KafkaNodePool pool : pools) {
            assertThat(pool.getSpec().getStorage()).isInstanceOf(JbodStorage.class);
            assertThat(((JbodStorage) pool.getSpec().getStorage()).getVolumes()).allSatisfy(v -> {
                assertThat(v).isInstanceOf(PersistentClaimStorage.class);
                assertThat(((PersistentClaimStorage) v).isDeleteClaim()).as("data survives deleting the cluster").isFalse();
            });
            assertThat(pool.getSpec().getResources().getLimits()).containsKeys("cpu", "memory");
            assertThat(pool.getSpec().getResources().getRequests()).containsKeys("cpu", "memory");
        }
        assertThat(kafka.getSpec().getKafka().getVersion()).isNotBlank();
        assertThat(kafka.getSpec().getEntityOperator().getTopicOperator())
                .as("the topic operator creates the KafkaTopics").isNotNull();
        assertThat(kafka.getSpec().getKafka().getConfig()).containsEntry("auto.create.topics.enable", false);
    }

    @ParameterizedTest
    @MethodSource("variants")
    void servicesReachKafkaThroughAnOpenInternalListener(String variant) {
        Manifests m = Manifests.render(variant);
        Kafka kafka = single(m.all(Kafka.class));
        GenericKafkaListener plain = kafka.getSpec().getKafka().getListeners().stream()
                .filter(l -> l.getType() == KafkaListenerType.INTERNAL && !l.isTls()).findFirst()
                .orElseThrow(() -> new AssertionError("no internal plaintext listener"));
        // Strimzi's bootstrap service is <cluster>-kafka-bootstrap.
        String bootstrap = kafka.getMetadata().getName() + "-kafka-bootstrap:" + plain.getPort();

        List<PodTemplateSpec> kafkaClients = new ArrayList<>();
        m.all(Deployment.class).forEach(d -> kafkaClients.add(d.getSpec().getTemplate()));
        m.all(StatefulSet.class).forEach(s -> kafkaClients.add(s.getSpec().getTemplate()));
        int clients = 0;
        for (PodTemplateSpec pod : kafkaClients) {
            for (var c : pod.getSpec().getContainers()) {
                for (EnvVar e : c.getEnv()) {
                    if (e.getName().equals("KAFKA_BOOTSTRAP_SERVERS")) {
                        clients++;
                        assertThat(e.getValue()).as(c.getName()).isEqualTo(bootstrap);
                        assertThat(plain.getNetworkPolicyPeers()).as("the listener lets " + c.getName() + " in")
                                .anyMatch(peer -> admits(peer, pod.getMetadata().getLabels()));
                    }
                }
            }
        }
        assertThat(clients).as("simulator, trainer and inference use Kafka").isEqualTo(3);
    }

    @ParameterizedTest
    @MethodSource("variants")
    void topicsAreExactlyTheProjectsTopics(String variant) {
        Manifests m = Manifests.render(variant);
        Kafka kafka = single(m.all(Kafka.class));
        int brokers = m.all(KafkaNodePool.class).stream()
                .filter(p -> p.getSpec().getRoles().contains(ProcessRoles.BROKER))
                .mapToInt(p -> p.getSpec().getReplicas()).sum();
        int minIsr = Integer.parseInt(String.valueOf(kafka.getSpec().getKafka().getConfig().get("min.insync.replicas")));

        Map<String, KafkaTopic> declared = new TreeMap<>();
        for (KafkaTopic t : m.all(KafkaTopic.class)) {
            String name = t.getSpec().getTopicName() != null ? t.getSpec().getTopicName() : t.getMetadata().getName();
            declared.put(name, t);
            assertThat(t.getMetadata().getLabels()).containsEntry("strimzi.io/cluster", kafka.getMetadata().getName());
            assertThat(t.getSpec().getReplicas()).as(name + ": replicas fit the brokers and outnumber min.insync.replicas")
                    .isLessThanOrEqualTo(brokers).isGreaterThan(minIsr);
        }
        List<NewTopic> expected = StandardTopics.all();
        assertThat(declared.keySet()).containsExactlyInAnyOrderElementsOf(expected.stream().map(NewTopic::name).toList());
        for (NewTopic want : expected) {
            KafkaTopic got = declared.get(want.name());
            assertThat(got.getSpec().getPartitions()).as(want.name() + " partitions").isEqualTo(want.numPartitions());
            Map<String, String> config = new TreeMap<>();
            if (got.getSpec().getConfig() != null) {
                got.getSpec().getConfig().forEach((k, v) -> config.put(k, String.valueOf(v)));
            }
            assertThat(config).as(want.name() + " config").isEqualTo(want.configs() == null ? Map.of() : new TreeMap<>(want.configs()));
        }
    }

    private static boolean admits(NetworkPolicyPeer peer, Map<String, String> podLabels) {
        if (peer.getPodSelector() == null || peer.getNamespaceSelector() != null) {
            return false;
        }
        Map<String, String> want = peer.getPodSelector().getMatchLabels();
        return want != null && podLabels.entrySet().containsAll(want.entrySet());
    }

    private static <T> T single(List<T> items) {
        assertThat(items).hasSize(1);
        return items.get(0);
    }
}
