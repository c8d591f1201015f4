package io.neurosurrogate.trainer.eval.report;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.neurosurrogate.core.JsonStrings;
import io.neurosurrogate.proto.v1.EvaluationMetrics;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code metrics.json}: the model title; per held-out set its size, the trainer's
 * {@link EvaluationMetrics} (proto3 JSON, all fields, lowerCamelCase names), the ROC points as
 * plotted and the operating points; the training history; the caller's extra key/values (sorted by
 * key). Numbers that are not finite are written as {@code null}.
 */
final class MetricsJson {
    private static final JsonFormat.Printer METRICS = JsonFormat.printer().alwaysPrintFieldsWithNoPresence();

    private final StringBuilder out = new StringBuilder(1 << 16);
    private int depth;
    private boolean first = true;

    private MetricsJson() {
    }

    static String write(String modelTitle, HeldOutAnalysis test, HeldOutAnalysis ood, List<EpochRecord> history,
                        Map<String, String> extra) {
        MetricsJson j = new MetricsJson();
        j.open('{');
        j.key("modelTitle").string(modelTitle);
        j.key("test");
        j.set(test);
        if (ood != null) {
            j.key("ood");
            j.set(ood);
        }
        j.key("history").open('[');
        for (EpochRecord e : history) {
            j.element().open('{');
            j.key("epoch").number(e.epoch());
            j.key("trainLoss").number(e.trainLoss());
            j.key("valLoss").number(e.valLoss());
            j.key("valAuc").number(e.valAuc());
            j.key("learningRate").number(e.learningRate());
            j.key("spikeLossWeight").number(e.spikeLossWeight());
            j.key("voltageLossWeight").number(e.voltageLossWeight());
            j.key("seconds").number(e.seconds());
            j.close('}');
        }
        j.close(']');
        j.key("extra").open('{');
        for (Map.Entry<String, String> kv : new TreeMap<>(extra).entrySet()) {
            j.key(kv.getKey()).string(kv.getValue());
        }
        j.close('}');
        j.close('}');
        return j.out.append('\n').toString();
    }

    private void set(HeldOutAnalysis a) {
        open('{');
        key("name").string(a.set().name());
        key("skipInitialMs").number(a.set().skipInitialMs());
        key("simulations").number(a.simulations().size());
        key("countedBins").number(a.countedBins());
        key("spikeBins").number(a.spikeBins());
        key("metrics").raw(metrics(a.set().metrics()));
        key("roc").open('{');
        key("auc").number(a.roc().auc());
        key("positives").number(a.roc().positives());
        key("negatives").number(a.roc().negatives());
        operatingPoint("at0p25Fa", a.at0p25Fa());
        operatingPoint("at1Fa", a.at1Fa());
        key("pointsOnFullCurve").number(a.roc().size());
        key("fpr").numbers(a.rocPlotted().fpr());
        key("tpr").numbers(a.rocPlotted().tpr());
        close('}');
        VoltageExample e = a.example();
        key("voltageExample").open('{');
        key("simulationId").string(e.simulationId());
        key("startMs").number(e.startMs());
        key("endMs").number(e.endMs());
        key("threshold").number(e.threshold());
        key("thresholdFromMetrics").raw(Boolean.toString(e.thresholdFromMetrics()));
        key("simulatedSpikes").number(e.simulatedSpikesMs().length);
        key("predictedSpikes").number(e.predictedSpikesMs().length);
        close('}');
        close('}');
    }

    private void operatingPoint(String name, HeldOutAnalysis.OperatingPoint p) {
        key(name).open('{');
        key("falseAlarmRate").number(p.falseAlarmRate());
        key("threshold").number(p.threshold());
        key("hitRate").number(p.hitRate());
        close('}');
    }

    private String metrics(EvaluationMetrics m) {
        try {
            return METRICS.print(m).replace("\n", "\n" + "  ".repeat(depth));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("EvaluationMetrics has no JSON form", e);
        }
    }

    private MetricsJson open(char bracket) {
        out.append(bracket);
        depth++;
        first = true;
        return this;
    }

    private void close(char bracket) {
        depth--;
        if (!first) {
            newline();
        }
        out.append(bracket);
        first = false;
    }

    private MetricsJson key(String name) {
        element();
        quoted(name);
        out.append(": ");
        return this;
    }

    private MetricsJson element() {
        if (!first) {
            out.append(',');
        }
        newline();
        first = false;
        return this;
    }

    private void newline() {
        out.append('\n');
        out.append("  ".repeat(depth));
    }

    private void raw(String json) {
        out.append(json);
    }

    private void string(String s) {
        quoted(s == null ? "" : s);
    }

    private void number(long v) {
        out.append(v);
    }

    private void number(double v) {
        if (Double.isFinite(v)) {
            out.append(v);
        } else {
            out.append("null");
        }
    }

    /** A flat array on one line: ROC point lists are long and need no pretty printing. */
    private void numbers(double[] values) {
        out.append('[');
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                out.append(", ");
            }
            number(values[i]);
        }
        out.append(']');
    }

    private void quoted(String s) {
        out.append(JsonStrings.quote(s));
    }
}
