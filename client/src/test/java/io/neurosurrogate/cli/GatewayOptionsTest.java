package io.neurosurrogate.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;

class GatewayOptionsTest {

    @Test
    void theApiKeyOptionGoesWithTheGatewayAddress() {
        ModelsCommand models = new ModelsCommand();
        new CommandLine(models).parseArgs("--gateway", "10.0.0.5:9100", "--api-key", "nsk_abc");

        assertThat(models.gateway.gateway).isEqualTo("10.0.0.5:9100");
        assertThat(models.gateway.apiKey).isEqualTo("nsk_abc");
    }

    @Test
    void withoutTheOptionTheKeyComesFromNsApiKey() throws NoSuchFieldException {
        CommandLine.Option apiKey = GatewayOptions.class.getDeclaredField("apiKey").getAnnotation(CommandLine.Option.class);

        assertThat(apiKey.names()).containsExactly("--api-key");
        assertThat(apiKey.defaultValue()).isEqualTo("${env:NS_API_KEY}");
    }
}
