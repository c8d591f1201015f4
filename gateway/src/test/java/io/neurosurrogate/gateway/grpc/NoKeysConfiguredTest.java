package io.neurosurrogate.gateway.grpc;

import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse;
import io.grpc.Status;
import io.neurosurrogate.proto.v1.ListModelsRequest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.neurosurrogate.gateway.grpc.GatewayChannel.statusOf;
import static org.assertj.core.api.Assertions.assertThat;

/** A gateway with security on and no key configured refuses every call but health checks, and says why. */
@QuarkusTest
@TestProfile(NoKeysConfiguredTest.NoKeys.class)
class NoKeysConfiguredTest {
    public static class NoKeys implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // an empty value would count as unset and let the %test keys through: a lone revocation lists no key
            return Map.of("%test.ns.gateway.security.api-keys", "revoked:nobody",
                    "%test.ns.gateway.security.api-keys-file", "target/no-such-dir/keys");
        }
    }

    @Test
    void everyCallButHealthIsUnauthenticatedSayingNoKeysAreConfigured() throws InterruptedException {
        try (GatewayChannel admin = new GatewayChannel(TestKeys.ADMIN); GatewayChannel anonymous = new GatewayChannel(null)) {
            Status withKey = statusOf(() -> admin.blocking().listModels(ListModelsRequest.getDefaultInstance()));
            Status withoutKey = statusOf(() -> anonymous.blocking().listModels(ListModelsRequest.getDefaultInstance()));
            HealthCheckResponse health = HealthGrpc.newBlockingStub(anonymous.channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.getDefaultInstance());

            assertThat(withKey.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(withKey.getDescription()).startsWith("no API keys are configured on this gateway");
            assertThat(withoutKey.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(withoutKey.getDescription()).startsWith("no API keys are configured on this gateway");
            assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
        }
    }
}
