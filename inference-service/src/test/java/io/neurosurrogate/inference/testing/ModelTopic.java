package io.neurosurrogate.inference.testing;

import io.neurosurrogate.core.Topics;
import io.neurosurrogate.proto.v1.InferenceServiceGrpc;
import io.neurosurrogate.proto.v1.ListLoadedModelsRequest;
import io.neurosurrogate.proto.v1.ModelVersion;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The trainer's side of a model's life, for tests against the running service: artifacts served by the
 * {@link FakeTrainer}, events published on ns.models.v1 (the real broker), and waiting until the
 * service lists a version as loaded.
 */
public final class ModelTopic {
    private static final Duration LOAD_TIMEOUT = Duration.ofSeconds(30);

    private final String bootstrapServers;
    private final FakeTrainer trainer;
    private final InferenceServiceGrpc.InferenceServiceBlockingStub inference;

    public ModelTopic(String bootstrapServers, FakeTrainer trainer, InferenceServiceGrpc.InferenceServiceBlockingStub inference) {
        this.bootstrapServers = bootstrapServers;
        this.trainer = trainer;
        this.inference = inference;
    }

    /** Serves the model's files on the trainer and publishes its CREATED event. */
    public void publishServed(String model, int version, TinySurrogate tiny) {
        trainer.serve(model, version, tiny);
        publish(model + "/" + version, tiny.createdEvent(model, version, trainer.address()).toByteArray());
    }

    public void publish(String key, byte[] value) {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.MODELS, key, value)).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("publishing " + key + " failed", e);
        }
    }

    public List<Integer> loadedVersions(String model) {
        return inference.listLoadedModels(ListLoadedModelsRequest.getDefaultInstance()).getModelsList().stream()
                .filter(m -> m.getModelName().equals(model)).map(ModelVersion::getVersion).toList();
    }

    public void awaitLoaded(String model, int version) {
        await(() -> loadedVersions(model).contains(version), model + "/" + version + " loaded");
    }

    public static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + LOAD_TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }
}
