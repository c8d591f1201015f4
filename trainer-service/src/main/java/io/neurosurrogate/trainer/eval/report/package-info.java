/**
 * The evaluation report stored beside a trained model: {@code metrics.json} and PNG figures (ROC of the
 * spike prediction, soma voltage of one held-out simulation, with the dendritic head its apical nexus
 * voltage, training curves), rendered with XChart
 * from full-length held-out predictions in 1 ms bins (Beniaguev, Segev &amp; London, Neuron 2021).
 * Entry point: {@link io.neurosurrogate.trainer.eval.report.EvaluationReport#render}.
 */
package io.neurosurrogate.trainer.eval.report;
