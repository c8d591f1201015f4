package io.neurosurrogate.trainer.kafka;

import io.neurosurrogate.core.Topics;
import io.neurosurrogate.proto.v1.ModelEvent;
import io.neurosurrogate.proto.v1.ModelVersion;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;

/**
 * Announces a stored model version on the compacted topic {@code ns.models.v1}, key
 * {@code "<model>/<version>"}. Synchronous with acks=all: when this returns, inference services
 * will see the event.
 */
@Singleton
public class ModelEventPublisher {
    private final KafkaClients clients;

    public ModelEventPublisher(KafkaClients clients) {
        this.clients = clients;
    }

    public void publishCreated(ModelVersion model) throws ExecutionException, InterruptedException {
        ModelEvent event = ModelEvent.newBuilder().setKind(ModelEvent.Kind.KIND_CREATED).setModel(model).build();
        String key = model.getModelName() + "/" + model.getVersion();
        clients.producer().send(new ProducerRecord<>(Topics.MODELS, key.getBytes(StandardCharsets.UTF_8), event.toByteArray())).get();
    }
}
