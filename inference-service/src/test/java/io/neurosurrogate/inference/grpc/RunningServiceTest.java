package io.neurosurrogate.inference.grpc;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.neurosurrogate.inference.testing.FakeTrainer;
import io.neurosurrogate.inference.testing.ModelTopic;
import io.neurosurrogate.proto.v1.InferenceServiceGrpc;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import java.util.concurrent.TimeUnit;

/**
 * What every test against the running service needs: a trainer double serving artifacts, a gRPC
 * channel to the service's test port, and the model topic to publish versions on.
 */
abstract class RunningServiceTest {
    static FakeTrainer trainer;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;
    @ConfigProperty(name = "quarkus.grpc.server.test-port")
    int grpcPort;

    ManagedChannel channel;
    InferenceServiceGrpc.InferenceServiceBlockingStub inference;
    ModelTopic topic;

    @BeforeAll
    static void startTrainer() {
        trainer = FakeTrainer.start();
    }

    @AfterAll
    static void stopTrainer() throws InterruptedException {
        trainer.close();
    }

    @BeforeEach
    void connect() {
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build();
        inference = InferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
        topic = new ModelTopic(bootstrapServers, trainer, inference);
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
