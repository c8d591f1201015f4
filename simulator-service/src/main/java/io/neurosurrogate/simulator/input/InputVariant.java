package io.neurosurrogate.simulator.input;

/**
 * Which of the paper's L5PC input distributions to draw from (Beniaguev, Segev &amp; London, Neuron
 * 2021). The variant decides the default ranges, whether inhibition is generated, whether the
 * excitation is spatially clustered and sinusoidally modulated, and the {@code input.generator} tag
 * written into the trace metadata.
 */
public enum InputVariant {
    /** Training distribution for the AMPA + NMDA cell. */
    NMDA("beniaguev2021-l5pc-nmda"),
    /** Training distribution for the AMPA-only cell (higher drive: no NMDA amplification). */
    AMPA("beniaguev2021-l5pc-ampa"),
    /**
     * Out-of-distribution test input for the generalisation checks: excitation concentrated on a
     * few clusters of neighbouring segments, sinusoidally modulated in time, and no inhibition.
     */
    OOD("beniaguev2021-l5pc-ood");

    private final String generatorName;

    InputVariant(String generatorName) {
        this.generatorName = generatorName;
    }

    /**
     * The variant a biophysical model's campaign asks for: {@code ""} = the model's training input
     * (NMDA or AMPA-only), {@code "ood"} = the out-of-distribution input; anything else is INVALID_ARGUMENT.
     */
    public static InputVariant requested(String variant, boolean nmda) {
        return switch (variant) {
            case "" -> nmda ? NMDA : AMPA;
            case "ood" -> OOD;
            default -> throw io.neurosurrogate.core.DomainException.invalid(
                    "input.variant must be empty (the model's training input) or 'ood', got '" + variant + "'");
        };
    }

    /** The value of the {@code input.generator} metadata key. */
    public String generatorName() {
        return generatorName;
    }

    /** The paper's ranges for this variant (the OOD variant reuses the NMDA excitation ranges). */
    public L5pcInputRanges defaultRanges() {
        return this == AMPA ? L5pcInputRanges.PAPER_AMPA : L5pcInputRanges.PAPER_NMDA;
    }

    public boolean hasInhibition() {
        return this != OOD;
    }

    public boolean isClusteredAndModulated() {
        return this == OOD;
    }
}
