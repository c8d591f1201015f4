package io.neurosurrogate.trainer.ml;

import org.nd4j.linalg.activations.Activation;

import java.util.List;

/** The activation names a {@link ConvSpec} accepts, and their DL4J counterparts. */
final class Activations {
    static final List<String> SUPPORTED = List.of("identity", "relu", "tanh", "sigmoid");

    private Activations() {
    }

    static Activation dl4j(String name) {
        return switch (name) {
            case "identity" -> Activation.IDENTITY;
            case "relu" -> Activation.RELU;
            case "tanh" -> Activation.TANH;
            case "sigmoid" -> Activation.SIGMOID;
            default -> throw new IllegalArgumentException("unsupported activation " + name);
        };
    }
}
