package io.neurosurrogate.gateway.security;

import io.grpc.MethodDescriptor;
import io.neurosurrogate.proto.v1.NeuroSurrogateGrpc;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MethodAccessTest {

    @Test
    void healthNeedsNoKeyAndReflectionAnyKey() {
        assertThat(MethodAccess.of("grpc.health.v1.Health/Check")).isEqualTo(MethodAccess.OPEN);
        assertThat(MethodAccess.of("grpc.health.v1.Health/Watch")).isEqualTo(MethodAccess.OPEN);
        assertThat(MethodAccess.of("grpc.reflection.v1.ServerReflection/ServerReflectionInfo")).isEqualTo(MethodAccess.ANY_KEY);
        assertThat(MethodAccess.of("grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo")).isEqualTo(MethodAccess.ANY_KEY);
    }

    @Test
    void predictionMethodsAndTheOpenInferenceProtocolNeedPredict() {
        assertThat(MethodAccess.of("neurosurrogate.v1.NeuroSurrogate/Predict").scope()).isEqualTo(Scope.PREDICT);
        assertThat(MethodAccess.of("neurosurrogate.v1.NeuroSurrogate/Stream").scope()).isEqualTo(Scope.PREDICT);
        assertThat(MethodAccess.of("neurosurrogate.v1.NeuroSurrogate/ListModels").scope()).isEqualTo(Scope.PREDICT);
        assertThat(MethodAccess.of("inference.GRPCInferenceService/ModelInfer").scope()).isEqualTo(Scope.PREDICT);
        assertThat(MethodAccess.of("inference.GRPCInferenceService/ModelStreamInfer").scope()).isEqualTo(Scope.PREDICT);
    }

    @Test
    void everyGatewayMethodIsMappedAndAnythingUnknownNeedsAdmin() {
        for (MethodDescriptor<?, ?> m : NeuroSurrogateGrpc.getServiceDescriptor().getMethods()) {
            MethodAccess access = MethodAccess.of(m.getFullMethodName());
            assertThat(access.needsKey()).isTrue();
            assertThat(access.scope()).as(m.getFullMethodName()).isIn(Scope.PREDICT, Scope.TRAIN);
        }
        assertThat(MethodAccess.of("neurosurrogate.v1.NeuroSurrogate/DeleteEverything").scope()).isEqualTo(Scope.ADMIN);
        assertThat(MethodAccess.of("neurosurrogate.v1.InferenceService/Predict").scope()).isEqualTo(Scope.ADMIN);
        assertThat(MethodAccess.of("no-slash").scope()).isEqualTo(Scope.ADMIN);
    }
}
