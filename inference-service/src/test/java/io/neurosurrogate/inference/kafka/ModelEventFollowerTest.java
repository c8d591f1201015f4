package io.neurosurrogate.inference.kafka;

import io.neurosurrogate.broker.EmbeddedKafkaBroker;
import io.neurosurrogate.core.Topics;
import io.neurosurrogate.inference.registry.ArtifactFetcher;
import io.neurosurrogate.inference.registry.ModelInstaller;
import io.neurosurrogate.inference.registry.ModelRegistry;
import io.neurosurrogate.inference.runtime.OnnxModelLoader;
import io.neurosurrogate.inference.testing.FakeTrainer;
import io.neurosurrogate.inference.testing.TinySurrogate;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
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

    @Test
    void aModelIsInstalledUnderASpanContinuingTheTraceItsEventCarries() throws Exception {
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        OpenTelemetrySdk otel = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
        TinySurrogate tiny = TinySurrogate.withOffset(-70f);
        ModelRegistry registry = new ModelRegistry();
        try (FakeTrainer trainer = FakeTrainer.start();
             EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), freePort(), false)) {
            ModelInstaller installer = new ModelInstaller(new ArtifactFetcher(dir.resolve("cache"), Duration.ofSeconds(5), 1 << 20),
                    new OnnxModelLoader(1), registry, 3, Duration.ofMillis(100), Duration.ofMillis(200));
            ModelEventFollower follower = new ModelEventFollower(installer, broker.bootstrapServers(), Topics.MODELS, true,
                    Duration.ofMillis(300), otel);
            trainer.serve("iaf", 3, tiny.onnx());
            ProducerRecord<String, byte[]> event = new ProducerRecord<>(Topics.MODELS, "iaf/3",
                    tiny.createdEvent("iaf", 3, trainer.address()).toByteArray());
            event.headers().add("traceparent",
                    "00-0af7651916cd43dd8448eb211c80319c-b9c7c989f97918e1-01".getBytes(StandardCharsets.UTF_8));
            publish(broker.bootstrapServers(), event);
            follower.start();
            try {
                await(() -> registry.find("iaf", 3).isPresent());
                await(() -> !spans.getFinishedSpanItems().isEmpty());
            } finally {
                follower.stop();
                registry.loaded().forEach(v -> registry.unload(v.getModelName(), v.getVersion()));
            }
        }
        SpanData span = spans.getFinishedSpanItems().get(0);
        assertThat(span.getName()).isEqualTo(Topics.MODELS + " process");
        assertThat(span.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(span.getTraceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
        assertThat(span.getParentSpanId()).isEqualTo("b9c7c989f97918e1");
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void publish(String bootstrap, String key, byte[] value) throws Exception {
        publish(bootstrap, new ProducerRecord<>(Topics.MODELS, key, value));
    }

    private static void publish(String bootstrap, ProducerRecord<String, byte[]> record) throws Exception {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(record).get(20, TimeUnit.SECONDS);
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
