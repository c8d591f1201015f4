package io.neurosurrogate.trainer.ml;

import io.neurosurrogate.core.DomainException;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.MapSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Learning rate and loss weights per epoch, as phases that start at given (1-based) epochs.
 *
 * <ul>
 *   <li>{@code constant}: one phase, the configured learning rate and voltage-loss weight, spike
 *       weight 1 (the I&amp;F default).</li>
 *   <li>{@code paper}: Beniaguev, Segev &amp; London (Neuron 2021) train the L5PC nets with per-epoch
 *       lists of loss weights and learning rates: the spike (BCE) weight is stepped up during
 *       training while the soma-voltage (MSE) weight is lowered and the learning rate decays. Here
 *       four equal phases over the configured epochs: spike weight 1, 2, 4, 8; voltage weight w, w/2,
 *       w/2, w/2; learning rate lr, lr, lr x 0.3, lr x 0.1.</li>
 * </ul>
 */
public record TrainingSchedule(String name, List<Phase> phases) {

    /** From {@code startEpoch} (1-based) on, until the next phase. */
    public record Phase(int startEpoch, double learningRate, double spikeLossWeight, double voltageLossWeight) {
    }

    public TrainingSchedule {
        if (phases.isEmpty() || phases.get(0).startEpoch() != 1) {
            throw new IllegalArgumentException("a schedule starts with a phase at epoch 1");
        }
        phases = List.copyOf(phases);
    }

    public static TrainingSchedule constant(double learningRate, double voltageLossWeight) {
        return new TrainingSchedule("constant", List.of(new Phase(1, learningRate, 1, voltageLossWeight)));
    }

    public static TrainingSchedule paper(double learningRate, double voltageLossWeight, int epochs) {
        double[] spike = {1, 2, 4, 8};
        double[] volt = {voltageLossWeight, voltageLossWeight / 2, voltageLossWeight / 2, voltageLossWeight / 2};
        double[] lr = {learningRate, learningRate, learningRate * 0.3, learningRate * 0.1};
        List<Phase> phases = new java.util.ArrayList<>();
        for (int p = 0; p < 4; p++) {
            int start = 1 + (int) ((long) epochs * p / 4);
            if (phases.isEmpty() || start > phases.get(phases.size() - 1).startEpoch()) {
                phases.add(new Phase(start, lr[p], spike[p], volt[p]));
            }
        }
        return new TrainingSchedule("paper", phases);
    }

    /** "constant" or "paper"; blank = the architecture's default. */
    public static TrainingSchedule of(String name, SurrogateArchitecture architecture, TrainingSettings settings) {
        String n = name == null || name.isBlank() ? architecture.defaultSchedule() : name.trim().toLowerCase(Locale.ROOT);
        return switch (n) {
            case "constant" -> constant(settings.learningRate(), settings.voltageLossWeight());
            case "paper" -> paper(settings.learningRate(), settings.voltageLossWeight(), settings.epochs());
            default -> throw DomainException.invalid("schedule must be 'constant' or 'paper', got '" + name + "'");
        };
    }

    /** The phase in force during {@code epoch} (1-based). */
    public Phase phaseAt(int epoch) {
        Phase current = phases.get(0);
        for (Phase p : phases) {
            if (p.startEpoch() <= epoch) {
                current = p;
            }
        }
        return current;
    }

    /**
     * The learning rates as an ND4J schedule over DL4J's epoch counter (0-based: epoch counter e is
     * our epoch e + 1), each multiplied by {@code factor}.
     */
    public ISchedule learningRates(double factor) {
        Map<Integer, Double> values = new HashMap<>();
        for (Phase p : phases) {
            values.put(p.startEpoch() - 1, p.learningRate() * factor);
        }
        return new MapSchedule(ScheduleType.EPOCH, values);
    }
}
