package io.neurosurrogate.trainer.ml;

import io.neurosurrogate.core.DomainException;

import java.util.Locale;

/**
 * One causal temporal convolution of the surrogate: {@code filters} output channels, a kernel of
 * {@code kernelMs} 1 ms bins spaced {@code dilation} apart, optionally batch normalisation (conv ->
 * batch norm -> activation, as in Beniaguev et al. 2021), an element-wise activation, and optionally a
 * residual connection (output = activation(...) + input; only where the channel count is kept).
 */
public record ConvSpec(int filters, int kernelMs, int dilation, String activation, boolean batchNorm, boolean residual) {

    public ConvSpec(int filters, int kernelMs, int dilation, String activation) {
        this(filters, kernelMs, dilation, activation, false, false);
    }

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

    public ConvSpec withResidual(boolean r) {
        return new ConvSpec(filters, kernelMs, dilation, activation, batchNorm, r);
    }

    /** Bins of history this layer adds to the receptive field: (k - 1) * d. */
    public int historyMs() {
        return (kernelMs - 1) * dilation;
    }
}
