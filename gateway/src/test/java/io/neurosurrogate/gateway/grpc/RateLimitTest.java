package io.neurosurrogate.gateway.grpc;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.RetryInfo;
import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.neurosurrogate.gateway.fakes.FakeDownstreams;
import io.neurosurrogate.proto.v1.ListModelsRequest;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** A key over its rate gets RESOURCE_EXHAUSTED saying when to retry; other keys and health checks go on. */
@QuarkusTest
@WithTestResource(FakeDownstreams.class)
class RateLimitTest {

    @Test
    void theThirdQuickCallOfATwoPerSecondKeyIsRefusedWithRetryInfoWhileAnotherKeyIsNot() throws Exception {
        ListModelsRequest list = ListModelsRequest.getDefaultInstance();
        try (GatewayChannel limited = new GatewayChannel(TestKeys.LIMITED); GatewayChannel other = new GatewayChannel(TestKeys.ADMIN)) {
            limited.blocking().listModels(list); // test-limited: rps=2, burst=2
            limited.blocking().listModels(list);

            StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class, () -> limited.blocking().listModels(list));
            for (int i = 0; i < 5; i++) {
                other.blocking().listModels(list);
            }

            assertThat(refused).as("the third call is refused").isNotNull();
            assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(refused.getStatus().getDescription()).matches("rate limit of 2 requests/s for key 'test-limited' exceeded; retry in [0-9]+ ms");
            Duration retry = retryDelay(refused);
            assertThat(retry).isBetween(Duration.ofMillis(1), Duration.ofMillis(500));
            assertThat(refused.getStatus().getDescription()).endsWith("retry in " + retry.toMillis() + " ms");

            Thread.sleep(retry.toMillis() + 20);
            assertThat(limited.blocking().listModels(list).getModelsList()).as("served again after the advised wait").isNotEmpty();
        }
    }

    @Test
    void healthChecksAreNeverLimited() throws InterruptedException {
        try (GatewayChannel limited = new GatewayChannel(TestKeys.LIMITED)) {
            for (int i = 0; i < 10; i++) {
                HealthCheckResponse health = HealthGrpc.newBlockingStub(limited.channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                        .check(HealthCheckRequest.getDefaultInstance());
                assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
            }
        }
    }

    /** The retry delay of the RetryInfo in the status details (trailer grpc-status-details-bin). */
    static Duration retryDelay(StatusRuntimeException e) throws InvalidProtocolBufferException {
        com.google.rpc.Status details = StatusProto.fromThrowable(e);
        assertThat(details).as("status details").isNotNull();
        for (Any any : details.getDetailsList()) {
            if (any.is(RetryInfo.class)) {
                com.google.protobuf.Duration d = any.unpack(RetryInfo.class).getRetryDelay();
                return Duration.ofSeconds(d.getSeconds(), d.getNanos());
            }
        }
        throw new AssertionError("no RetryInfo in " + details);
    }
}
