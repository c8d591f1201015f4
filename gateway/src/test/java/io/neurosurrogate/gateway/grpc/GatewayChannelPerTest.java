package io.neurosurrogate.gateway.grpc;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A test of the gateway that calls it over a {@link GatewayChannel} opened for each test method and closed after it. */
abstract class GatewayChannelPerTest {
    GatewayChannel gateway;

    @BeforeEach
    void openGateway() {
        gateway = new GatewayChannel();
    }

    @AfterEach
    void closeGateway() throws InterruptedException {
        gateway.close();
    }
}
