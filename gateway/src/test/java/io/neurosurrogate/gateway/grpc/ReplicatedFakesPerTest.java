package io.neurosurrogate.gateway.grpc;

import io.neurosurrogate.gateway.fakes.InjectFakes;
import io.neurosurrogate.gateway.fakes.ReplicatedFakes;
import io.neurosurrogate.gateway.routing.TrainerReplicas;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;

/**
 * A test of the gateway in front of trainer replicas ({@link ReplicatedFakes}): each test method starts with
 * replicas that hold nothing and a gateway that has forgotten which replica owns which model.
 */
abstract class ReplicatedFakesPerTest extends GatewayChannelPerTest {
    @InjectFakes
    ReplicatedFakes fakes;
    @Inject
    TrainerReplicas replicas;

    @BeforeEach
    void forgetEverything() {
        fakes.reset();
        replicas.forgetOwners();
    }
}
