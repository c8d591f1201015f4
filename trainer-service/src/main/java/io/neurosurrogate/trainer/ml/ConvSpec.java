package io.neurosurrogate.trainer.ml;

import io.neurosurrogate.core.DomainException;

import java.util.Locale;

/**
 * One causal temporal convolution of the surrogate: {@code filters} output channels, a kernel of
 * {@code kernelMs} 1 ms bins spaced {@code dilation} apart, and an element-wise activation.
 */
public record ConvSpec(int filters, int kernelMs, int dilation, String activation) {

    public ConvSpec {
        if (filters <= 0 || filters > 4096) {
            throw DomainException.invalid("conv layer filters must be in 1..4096, got " + filters);
        }
        if (kernelMs <= 0 || kernelMs > 2000) {
            throw DomainException.invalid("conv layer kernel_ms must be in 1..2000, got " + kernelMs);
        }
        if (dilation <= 0 || dilation > 512) {
            throw DomainException.invalid("conv layer dilation must be in 1..512, got " + dilation);
        }
        activation = activation == null || activation.isBlank() ? "relu" : activation.toLowerCase(Locale.ROOT);
        if (!Activations.SUPPORTED.contains(activation)) {
            throw DomainException.invalid("unknown activation '" + activation + "'; use one of " + Activations.SUPPORTED);
        }
    }

    /** Bins of history this layer adds to the receptive field: (k - 1) * d. */
    public int historyMs() {
        return (kernelMs - 1) * dilation;
    }
}
