package io.neurosurrogate.inference.kafka;

import io.neurosurrogate.broker.EmbeddedKafkaBroker;
import io.neurosurrogate.core.Topics;
import io.neurosurrogate.inference.registry.ArtifactFetcher;
import io.neurosurrogate.inference.registry.ModelInstaller;
import io.neurosurrogate.inference.registry.ModelRegistry;
import io.neurosurrogate.inference.runtime.OnnxModelLoader;
import io.neurosurrogate.inference.testing.FakeTrainer;
import io.neurosurrogate.inference.testing.TinySurrogate;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

class ModelEventFollowerTest {
    @TempDir
    Path dir;

    @Test
    void followerOutlivesABrokerThatStartsLateAndRestarts() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String bootstrap = "127.0.0.1:" + port;
        TinySurrogate tiny = TinySurrogate.withOffset(-70f);
        ModelRegistry registry = new ModelRegistry();
        try (FakeTrainer trainer = FakeTrainer.start()) {
            ModelInstaller installer = new ModelInstaller(new ArtifactFetcher(dir.resolve("cache"), Duration.ofSeconds(5), 1 << 20),
                    new OnnxModelLoader(1), registry, 3, Duration.ofMillis(100), Duration.ofMillis(200));
            ModelEventFollower follower = new ModelEventFollower(installer, bootstrap, Topics.MODELS, true, Duration.ofMillis(300));
            follower.start();
            try {
                Thread.sleep(1500); // the follower meets no broker at all
                trainer.serve("iaf", 1, tiny.onnx());
                trainer.serve("iaf", 2, tiny.onnx());
                try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), port, false)) {
                    publish(bootstrap, "iaf/1", tiny.createdEvent("iaf", 1, trainer.address()).toByteArray());
                    await(() -> registry.find("iaf", 1).isPresent());
                }
                Thread.sleep(1000); // outage: the broker is gone
                try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), port, false)) {
                    publish(bootstrap, "iaf/2", tiny.createdEvent("iaf", 2, trainer.address()).toByteArray());
                    await(() -> registry.find("iaf", 2).isPresent());
                }
            } finally {
                follower.stop();
                registry.loaded().forEach(v -> registry.unload(v.getModelName(), v.getVersion()));
            }
        }
    }

    private static void publish(String bootstrap, String key, byte[] value) throws Exception {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.MODELS, key, value)).get(20, TimeUnit.SECONDS);
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met in 30 s").isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
