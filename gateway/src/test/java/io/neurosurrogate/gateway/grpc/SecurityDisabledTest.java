package io.neurosurrogate.gateway.grpc;

import io.neurosurrogate.gateway.fakes.FakeDownstreams;
import io.neurosurrogate.proto.v1.ListModelsRequest;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** ns.gateway.security.enabled=false admits callers without a key and applies no per-key limit. */
@QuarkusTest
@TestProfile(SecurityDisabledTest.Disabled.class)
@WithTestResource(FakeDownstreams.class)
class SecurityDisabledTest {
    public static class Disabled implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("%test.ns.gateway.security.enabled", "false", "ns.gateway.security.enabled", "false");
        }
    }

    @Test
    void aCallerWithoutAKeyIsServedAndNotLimited() throws InterruptedException {
        try (GatewayChannel anonymous = new GatewayChannel(null); GatewayChannel limited = new GatewayChannel(TestKeys.LIMITED)) {
            assertThat(anonymous.blocking().listModels(ListModelsRequest.getDefaultInstance()).getModelsList()).isNotEmpty();
            for (int i = 0; i < 5; i++) { // test-limited allows 2 at once when security is on
                assertThat(limited.blocking().listModels(ListModelsRequest.getDefaultInstance()).getModelsList()).isNotEmpty();
            }
        }
    }
}
