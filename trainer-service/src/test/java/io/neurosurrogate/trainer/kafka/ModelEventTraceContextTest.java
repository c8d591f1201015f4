package io.neurosurrogate.trainer.kafka;

import io.neurosurrogate.core.Topics;
import io.neurosurrogate.proto.v1.ModelVersion;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** A model event carries the trace it was published in (the training job's) to the inference services. */
@QuarkusTest
@TestProfile(TrainerTestProfile.class)
class ModelEventTraceContextTest {

    @Inject
    ModelEventPublisher events;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void theModelEventCarriesTheTraceContextItWasPublishedIn() throws Exception {
        String model = "traced-" + UUID.randomUUID().toString().substring(0, 8);
        SpanContext job = SpanContext.createFromRemoteParent("0af7651916cd43dd8448eb211c80319c", "b9c7c989f97918e1",
                TraceFlags.getSampled(), TraceState.getDefault());
        try (Scope ignored = Context.root().with(Span.wrap(job)).makeCurrent()) {
            events.publishCreated(ModelVersion.newBuilder().setModelName(model).setVersion(1).build());
        }

        try (TestKafka kafka = new TestKafka(bootstrap)) {
            List<ConsumerRecord<byte[], byte[]>> records = kafka.readUntil(Topics.MODELS,
                    r -> r.key() != null && new String(r.key(), StandardCharsets.UTF_8).equals(model + "/1"), 1,
                    Duration.ofSeconds(30));
            assertThat(TestKafka.header(records.get(0), "traceparent"))
                    .isEqualTo("00-0af7651916cd43dd8448eb211c80319c-b9c7c989f97918e1-01");
        }
    }
}
