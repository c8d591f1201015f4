package io.neurosurrogate.trainer.kafka;

import io.neurosurrogate.core.Topics;
import io.neurosurrogate.core.tracing.KafkaTraceHeaders;
import io.neurosurrogate.proto.v1.ModelEvent;
import io.neurosurrogate.proto.v1.ModelVersion;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;

/**
 * Announces a stored model version on the compacted topic {@code ns.models.v1}, key
 * {@code "<model>/<version>"}. Synchronous with acks=all: when this returns, inference services
 * will see the event. The record carries the current trace context (the training job's, i.e. its
 * StartTraining call's) in W3C {@code traceparent}/{@code tracestate} headers, so that the inference
 * service loads the model in that trace.
 */
@Singleton
public class ModelEventPublisher {
    private final KafkaClients clients;
    private final TextMapPropagator propagator;

    public ModelEventPublisher(KafkaClients clients, OpenTelemetry openTelemetry) {
        this.clients = clients;
        this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
    }

    public void publishCreated(ModelVersion model) throws ExecutionException, InterruptedException {
        ModelEvent event = ModelEvent.newBuilder().setKind(ModelEvent.Kind.KIND_CREATED).setModel(model).build();
        String key = model.getModelName() + "/" + model.getVersion();
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(Topics.MODELS, key.getBytes(StandardCharsets.UTF_8), event.toByteArray());
        propagator.inject(Context.current(), record.headers(), KafkaTraceHeaders.SETTER);
        clients.producer().send(record).get();
    }
}
