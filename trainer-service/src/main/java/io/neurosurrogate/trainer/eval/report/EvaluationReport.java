package io.neurosurrogate.trainer.eval.report;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The evaluation report of a trained surrogate, stored beside its {@code model.onnx}: metrics and
 * figures of its held-out predictions (Beniaguev, Segev &amp; London, Neuron 2021). Pure Java and
 * headless; equal input gives byte-equal files (nothing time-dependent is written).
 */
public final class EvaluationReport {
    public static final String METRICS_JSON = "metrics.json";
    public static final String ROC_PNG = "roc.png";
    public static final String SOMA_VOLTAGE_PNG = "soma_voltage.png";
    public static final String TRAINING_CURVES_PNG = "training_curves.png";
    public static final String ROC_OOD_PNG = "roc_ood.png";
    public static final String SOMA_VOLTAGE_OOD_PNG = "soma_voltage_ood.png";
    public static final String NEXUS_VOLTAGE_PNG = "nexus_voltage.png";
    public static final String NEXUS_VOLTAGE_OOD_PNG = "nexus_voltage_ood.png";

    private EvaluationReport() {
    }

    /**
     * Renders the report. Returns file name -> bytes, in this order: metrics.json, roc.png,
     * soma_voltage.png, nexus_voltage.png (only when the set carries the dendritic head's nexus
     * voltage), training_curves.png, and roc_ood.png, soma_voltage_ood.png (nexus_voltage_ood.png)
     * when {@code oodOrNull} is given. PNGs are 1000 x 700 px on white.
     *
     * @param history epochs in training order; may be empty (the figure then says so)
     * @param extra   free key/values for metrics.json (dataset id, preset, ...); may be null
     * @throws IllegalArgumentException on inconsistent input (arrays of different lengths, a set
     *                                  without counted bins, NaN spike probabilities, ...)
     */
    public static Map<String, byte[]> render(String modelTitle, HeldOutSet test, HeldOutSet oodOrNull,
                                             List<EpochRecord> history, Map<String, String> extra) {
        ensureHeadless();
        if (modelTitle == null || modelTitle.isBlank()) {
            throw new IllegalArgumentException("modelTitle is empty");
        }
        if (test == null) {
            throw new IllegalArgumentException("no test set given");
        }
        if (history == null) {
            throw new IllegalArgumentException("history is null (pass an empty list when there is none)");
        }
        for (EpochRecord e : history) {
            if (e == null) {
                throw new IllegalArgumentException("history contains a null epoch");
            }
        }
        Map<String, String> extras = extra == null ? Map.of() : extra;
        for (Map.Entry<String, String> kv : extras.entrySet()) {
            if (kv.getKey() == null) {
                throw new IllegalArgumentException("extra contains a null key");
            }
        }
        HeldOutAnalysis testAnalysis = HeldOutAnalysis.of(test);
        HeldOutAnalysis oodAnalysis = oodOrNull == null ? null : HeldOutAnalysis.of(oodOrNull);

        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(METRICS_JSON, MetricsJson.write(modelTitle, testAnalysis, oodAnalysis, history, extras)
                .getBytes(StandardCharsets.UTF_8));
        files.put(ROC_PNG, RocFigure.render(modelTitle, testAnalysis));
        files.put(SOMA_VOLTAGE_PNG, VoltageFigure.render(modelTitle, testAnalysis));
        if (test.hasNexus()) {
            files.put(NEXUS_VOLTAGE_PNG, NexusFigure.render(modelTitle, testAnalysis));
        }
        files.put(TRAINING_CURVES_PNG, TrainingCurvesFigure.render(modelTitle, history));
        if (oodAnalysis != null) {
            files.put(ROC_OOD_PNG, RocFigure.render(modelTitle, oodAnalysis));
            files.put(SOMA_VOLTAGE_OOD_PNG, VoltageFigure.render(modelTitle, oodAnalysis));
            if (oodOrNull.hasNexus()) {
                files.put(NEXUS_VOLTAGE_OOD_PNG, NexusFigure.render(modelTitle, oodAnalysis));
            }
        }
        return Collections.unmodifiableMap(files);
    }

    /** Rendering needs no display; a service without one must not try to open it. */
    private static void ensureHeadless() {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }
}
