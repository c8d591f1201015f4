package io.neurosurrogate.core.model;

import io.neurosurrogate.core.DomainException;
import io.neurosurrogate.proto.v1.ModelCard;

import java.util.Collection;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import java.util.regex.Pattern;

/**
 * How a request names a model version: a number, or an alias resolved among the versions loaded.
 * <ul>
 *   <li>{@code ""} or {@value #LATEST}: the highest version number;</li>
 *   <li>{@value #CHAMPION}: the version with the best held-out test spike AUC (model card
 *       metrics.spike_auc); ties and versions without metrics go to the higher version number.</li>
 * </ul>
 * The same rule everywhere (inference service, gateway), so an alias means one version on both.
 */
public final class VersionAliases {
    public static final String LATEST = "latest";
    public static final String CHAMPION = "champion";
    /** What a version field may hold. */
    public static final Pattern PATTERN = Pattern.compile("|" + LATEST + "|" + CHAMPION + "|[1-9][0-9]{0,8}");
    public static final String DESCRIPTION = "empty, 'latest', 'champion' or a positive number";

    private VersionAliases() {
    }

    /** INVALID_ARGUMENT unless {@code version} is {@link #DESCRIPTION}. */
    public static void validate(String version, String field) {
        if (!PATTERN.matcher(version).matches()) {
            throw DomainException.invalid(field + " must be " + DESCRIPTION + ", got '" + version + "'");
        }
    }

    public static boolean isAlias(String version) {
        return version.isEmpty() || version.equals(LATEST) || version.equals(CHAMPION);
    }

    /** The version {@code version} names among {@code candidates} (one model's loaded versions), or null. */
    public static <T> T pick(String version, Collection<T> candidates, ToIntFunction<T> number, Function<T, ModelCard> card) {
        T best = null;
        boolean champion = version.equals(CHAMPION);
        boolean latest = version.isEmpty() || version.equals(LATEST);
        for (T c : candidates) {
            if (latest || champion) {
                if (best == null || (champion ? better(c, best, number, card) : number.applyAsInt(c) > number.applyAsInt(best))) {
                    best = c;
                }
            } else if (Integer.toString(number.applyAsInt(c)).equals(version)) {
                return c;
            }
        }
        return best;
    }

    private static <T> boolean better(T a, T b, ToIntFunction<T> number, Function<T, ModelCard> card) {
        double aucA = auc(card.apply(a));
        double aucB = auc(card.apply(b));
        if (aucA != aucB) {
            return aucA > aucB;
        }
        return number.applyAsInt(a) > number.applyAsInt(b);
    }

    private static double auc(ModelCard card) {
        return card != null && card.hasMetrics() ? card.getMetrics().getSpikeAuc() : Double.NEGATIVE_INFINITY;
    }
}
