package io.neurosurrogate.gateway.limits;

import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * One key's own limits, where its entry overrides the gateway-wide defaults ({@code rps=}, {@code burst=},
 * {@code streams=} fields of the key entry); an empty field means "the default".
 */
public record KeyLimits(OptionalDouble requestsPerSecond, OptionalInt burst, OptionalInt maxStreams) {
    public static final KeyLimits DEFAULTS = new KeyLimits(OptionalDouble.empty(), OptionalInt.empty(), OptionalInt.empty());
}
