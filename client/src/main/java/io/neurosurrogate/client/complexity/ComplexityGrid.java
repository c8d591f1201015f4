package io.neurosurrogate.client.complexity;

import io.neurosurrogate.proto.v1.Architecture;
import io.neurosurrogate.proto.v1.ConvLayer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The plan of a functional-complexity sweep: which depths and widths to train, the target spike AUC,
 * and the architecture of every grid point.
 *
 * <p>Beniaguev, Segev &amp; London (Neuron 2021) measure a neuron's functional complexity as the
 * smallest temporal convolutional network that fits its input/output mapping to a target accuracy
 * (for the L5PC with NMDA synapses: 7 layers x 128 filters at spike AUC 0.991; for AMPA synapses only,
 * 1 hidden layer x 128 at a 43 ms receptive field). They vary depth at a comparable receptive field,
 * so that depth buys non-linearity rather than history; this grid holds the total receptive field
 * {@code R} fixed across all depths and widths (see {@link #kernelSizes}). Every layer is a causal
 * convolution with ReLU, as in the paper's networks but without their batch normalisation (with DL4J
 * 1.0.0-M2.1 it made these nets learn far worse; see the trainer's SurrogateArchitecture presets).
 */
public final class ComplexityGrid {
    public static final int MAX_DEPTH = 64;
    /** The trainer's limit on filters per layer. */
    public static final int MAX_WIDTH = 4096;
    /** The trainer's limit on one kernel, which a depth-1 network spends entirely. */
    public static final int MAX_RECEPTIVE_FIELD_MS = 2000;

    /** The trainer's rule for model names. */
    private static final Pattern MODEL_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

    /** One network of the grid. */
    public record Point(int depth, int width) {
        /** {@code d<depth>-w<width>}, the suffix of its model name. */
        public String label() {
            return "d" + depth + "-w" + width;
        }
    }

    private final String neuron;
    private final List<Integer> depths;
    private final List<Integer> widths;
    private final double targetAuc;
    private final int receptiveFieldMs;
    private final String modelPrefix;

    /**
     * @param depths           layer counts, each in 1..{@value #MAX_DEPTH}, no duplicates (sorted here)
     * @param widths           filters per layer, each in 1..{@value #MAX_WIDTH}, no duplicates (sorted here)
     * @param targetAuc        in (0.5, 1]: 0.5 is chance
     * @param receptiveFieldMs total receptive field in 1 ms bins; 0 = {@link #defaultReceptiveFieldMs}
     * @param modelPrefix      model names are {@code <prefix>-d<depth>-w<width>}; null or blank =
     *                         {@code complexity-<neuron>}
     * @throws IllegalArgumentException for any value outside those ranges
     */
    public ComplexityGrid(String neuron, List<Integer> depths, List<Integer> widths, double targetAuc,
                          int receptiveFieldMs, String modelPrefix) {
        if (neuron == null || neuron.isBlank()) {
            throw new IllegalArgumentException("--neuron is required (e.g. iaf, l5pc-nmda)");
        }
        this.neuron = neuron.trim();
        this.depths = checkedAxis("--depths", depths, MAX_DEPTH);
        this.widths = checkedAxis("--widths", widths, MAX_WIDTH);
        if (!(targetAuc > 0.5 && targetAuc <= 1.0)) {
            throw new IllegalArgumentException("--target-auc must be in (0.5, 1] (0.5 is chance), got " + targetAuc);
        }
        this.targetAuc = targetAuc;
        if (receptiveFieldMs < 0 || receptiveFieldMs > MAX_RECEPTIVE_FIELD_MS) {
            throw new IllegalArgumentException("--receptive-field-ms must be in 1.." + MAX_RECEPTIVE_FIELD_MS
                    + " (0 = the neuron's default), got " + receptiveFieldMs);
        }
        this.receptiveFieldMs = receptiveFieldMs == 0 ? defaultReceptiveFieldMs(this.neuron) : receptiveFieldMs;
        this.modelPrefix = modelPrefix == null || modelPrefix.isBlank() ? "complexity-" + this.neuron : modelPrefix.trim();
        // the deepest, widest name is the longest
        String longest = modelName(new Point(this.depths.get(this.depths.size() - 1), this.widths.get(this.widths.size() - 1)));
        if (!MODEL_NAME.matcher(longest).matches()) {
            throw new IllegalArgumentException("model names must be lower-case letters, digits, '.', '_' or '-', at most 63 characters, "
                    + "but '" + longest + "' is not; choose another --model-prefix");
        }
    }

    /**
     * The receptive fields of the paper's fitted networks: I&amp;F 80 ms (one 80 ms kernel), L5PC with
     * AMPA synapses 43 ms, L5PC with NMDA synapses (and any other neuron) 153 ms.
     */
    public static int defaultReceptiveFieldMs(String neuron) {
        String n = neuron.trim().toLowerCase(Locale.ROOT);
        if (n.startsWith("iaf")) {
            return 80;
        }
        if (n.startsWith("l5pc-ampa")) {
            return 43;
        }
        return 153;
    }

    /**
     * Parses a comma-separated list of positive integers such as {@code 1,2,3,5,7}.
     *
     * @param option the option's name, for the error message
     * @throws IllegalArgumentException for an empty list, a non-integer or a duplicate
     */
    public static List<Integer> parseList(String option, String csv) {
        if (csv == null || csv.isBlank()) {
            throw new IllegalArgumentException(option + " needs at least one value, e.g. 1,2,3");
        }
        List<Integer> values = new ArrayList<>();
        for (String part : csv.split(",", -1)) {
            String p = part.trim();
            if (p.isEmpty()) {
                throw new IllegalArgumentException(option + " has an empty entry in '" + csv + "'");
            }
            try {
                values.add(Integer.parseInt(p));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + ": '" + p + "' is not an integer");
            }
        }
        return values;
    }

    /**
     * Kernel sizes (dilation 1) of a {@code depth}-layer causal TCN whose receptive field is exactly
     * {@code receptiveFieldMs}: {@code 1 + sum(k_i - 1) == receptiveFieldMs}. The first layer takes
     * about a third of the history (rounded), the other {@code depth - 1} layers share the rest with
     * kernels differing by at most one bin (the larger ones first). One layer takes it all. With a
     * history shorter than the layer count some later kernels are 1 (pointwise).
     */
    public static int[] kernelSizes(int depth, int receptiveFieldMs) {
        if (depth < 1 || depth > MAX_DEPTH) {
            throw new IllegalArgumentException("depth must be in 1.." + MAX_DEPTH + ", got " + depth);
        }
        if (receptiveFieldMs < 1 || receptiveFieldMs > MAX_RECEPTIVE_FIELD_MS) {
            throw new IllegalArgumentException("receptive field must be in 1.." + MAX_RECEPTIVE_FIELD_MS + " ms, got " + receptiveFieldMs);
        }
        int[] kernels = new int[depth];
        int history = receptiveFieldMs - 1;
        if (depth == 1) {
            kernels[0] = receptiveFieldMs;
            return kernels;
        }
        int first = (int) Math.round(history / 3.0);
        int rest = history - first;
        int others = depth - 1;
        kernels[0] = first + 1;
        for (int i = 1; i < depth; i++) {
            kernels[i] = 1 + rest / others + (i - 1 < rest % others ? 1 : 0);
        }
        return kernels;
    }

    /** The layers of one grid point: ReLU everywhere, no batch normalisation, no residuals. */
    public List<ConvLayer> layers(Point p) {
        List<ConvLayer> layers = new ArrayList<>();
        for (int k : kernelSizes(p.depth(), receptiveFieldMs)) {
            layers.add(ConvLayer.newBuilder().setFilters(p.width()).setKernelMs(k).setDilation(1)
                    .setActivation("relu").setBatchNorm(false).setResidual(false).build());
        }
        return layers;
    }

    public Architecture architecture(Point p) {
        return Architecture.newBuilder().addAllLayers(layers(p)).build();
    }

    public String modelName(Point p) {
        return modelPrefix + "-" + p.label();
    }

    /** Every grid point, depth-major (shallow and narrow first). */
    public List<Point> points() {
        List<Point> points = new ArrayList<>(size());
        for (int d : depths) {
            for (int w : widths) {
                points.add(new Point(d, w));
            }
        }
        return points;
    }

    public int size() {
        return depths.size() * widths.size();
    }

    public String neuron() {
        return neuron;
    }

    /** Ascending. */
    public List<Integer> depths() {
        return depths;
    }

    /** Ascending. */
    public List<Integer> widths() {
        return widths;
    }

    public double targetAuc() {
        return targetAuc;
    }

    public int receptiveFieldMs() {
        return receptiveFieldMs;
    }

    public String modelPrefix() {
        return modelPrefix;
    }

    private static List<Integer> checkedAxis(String option, List<Integer> values, int max) {
        if (values == null || values.isEmpty()) {
            throw new IllegalArgumentException(option + " needs at least one value");
        }
        TreeSet<Integer> sorted = new TreeSet<>();
        for (Integer v : values) {
            if (v == null || v < 1 || v > max) {
                throw new IllegalArgumentException(option + " values must be in 1.." + max + ", got " + v);
            }
            if (!sorted.add(v)) {
                throw new IllegalArgumentException(option + " lists " + v + " twice");
            }
        }
        return List.copyOf(sorted);
    }
}
