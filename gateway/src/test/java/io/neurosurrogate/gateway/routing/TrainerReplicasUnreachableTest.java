package io.neurosurrogate.gateway.routing;

import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.neurosurrogate.proto.v1.DatasetRequest;
import io.neurosurrogate.proto.v1.GetTrainingJobRequest;
import io.neurosurrogate.proto.v1.ListTrainingJobsRequest;
import io.neurosurrogate.proto.v1.TrainingJobSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Two trainer replicas with nothing listening: every call is UNAVAILABLE and names both addresses. */
class TrainerReplicasUnreachableTest {
    private final String first = "127.0.0.1:" + closedPort();
    private final String second = "127.0.0.1:" + closedPort();
    private TrainerReplicas replicas;

    @BeforeEach
    void open() {
        replicas = new TrainerReplicas(List.of(replica(first), replica(second)));
    }

    @AfterEach
    void close() {
        replicas.close();
    }

    @Test
    void startTrainingWhenNoReplicaAnswersIsUnavailableNamingEveryAddress() {
        Status status = statusOf(replicas.startTraining(TrainingJobSpec.newBuilder().setModelName("m").setNeuronModel("iaf").build()));

        assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(status.getDescription()).startsWith("no trainer service replica answered: trainer service unavailable at " + first)
                .contains("; trainer service unavailable at " + second);
    }

    @Test
    void listTrainingJobsWhenNoReplicaAnswersIsUnavailable() {
        Status status = statusOf(replicas.listTrainingJobs(ListTrainingJobsRequest.getDefaultInstance()));

        assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(status.getDescription()).contains(first).contains(second);
    }

    @Test
    void lookupsWhenNoReplicaAnswersAreUnavailableNotNotFound() {
        Status job = statusOf(replicas.getTrainingJob(GetTrainingJobRequest.newBuilder().setJobId("j-1").build()));
        Status dataset = statusOf(replicas.getDataset(DatasetRequest.newBuilder().setNeuronModel("iaf").build()));

        for (Status s : List.of(job, dataset)) {
            assertThat(s.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(s.getDescription()).startsWith("trainer service unavailable at " + first)
                    .contains("; trainer service unavailable at " + second);
        }
    }

    @Test
    void addressesAreTrimmedAndAReplicaNamedTwiceIsRefused() {
        assertThat(TrainerReplicas.addresses(List.of(" h1:1", "h2:2 ", ""))).containsExactly("h1:1", "h2:2");
        assertThatThrownBy(() -> TrainerReplicas.addresses(List.of("h1:1", " h1:1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("names h1:1 twice");
        assertThatThrownBy(() -> TrainerReplicas.addresses(List.of(" ")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("names no trainer service");
    }

    private static Downstream replica(String address) {
        return new Downstream("trainer service", address, ManagedChannelBuilder.forTarget(address).usePlaintext().build(), Duration.ofSeconds(5));
    }

    private static Status statusOf(Future<?> call) {
        Throwable thrown = catchThrowable(() -> call.get(10, TimeUnit.SECONDS));
        assertThat(thrown).as("the call should fail").isNotNull();
        return Status.fromThrowable(thrown.getCause());
    }

    /** A loopback port that was free a moment ago and has nothing listening on it. */
    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
