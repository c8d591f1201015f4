package io.neurosurrogate.core.grpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.neurosurrogate.core.DomainException;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;

class GrpcStatusesTest {

    @Test
    void everyDomainKindMapsToTheSameNamedCodeWithItsMessage() {
        for (DomainException.Kind kind : DomainException.Kind.values()) {
            StatusRuntimeException s = GrpcStatuses.toStatus(new DomainException(kind, "because " + kind), "Test");
            assertThat(s.getStatus().getCode().name()).isEqualTo(kind.name());
            assertThat(s.getStatus().getDescription()).isEqualTo("because " + kind);
        }
    }

    @Test
    void downstreamStatusesPassThroughAndWrappersAreUnwrapped() {
        StatusRuntimeException downstream = Status.UNAVAILABLE.withDescription("gone").asRuntimeException();
        assertThat(GrpcStatuses.toStatus(downstream, "Test")).isSameAs(downstream);
        assertThat(GrpcStatuses.toStatus(new CompletionException(DomainException.notFound("no model")), "Test").getStatus().getCode())
                .isEqualTo(Status.Code.NOT_FOUND);
    }

    @Test
    void unexpectedFailuresAreInternalWithAMessage() {
        StatusRuntimeException s = GrpcStatuses.toStatus(new IllegalStateException("disk on fire"), "TrainerService");
        assertThat(s.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
        assertThat(s.getStatus().getDescription()).contains("TrainerService").contains("disk on fire");
    }
}
