package io.neurosurrogate.client.complexity;

/**
 * Where one grid point's training job stands, or how it ended.
 *
 * @param jobId      empty until the gateway accepted the job
 * @param testAuc    test spike AUC of the trained model ({@code card.metrics.spike_auc}); NaN until it succeeded
 * @param parameters trainable parameters ({@code card.parameters}); 0 until it succeeded
 * @param version    the model version it produced; 0 until it succeeded
 * @param error      why it failed or was cancelled; empty otherwise
 */
public record CellOutcome(ComplexityGrid.Point point, Status status, String jobId, String modelName, int version,
                          double testAuc, long parameters, String error) {

    public enum Status {
        /** Not accepted by the gateway yet. */
        PENDING,
        /** Accepted: queued, waiting for data, training, evaluating or exporting. */
        RUNNING,
        SUCCEEDED,
        FAILED,
        CANCELLED;

        public boolean isFinal() {
            return this == SUCCEEDED || this == FAILED || this == CANCELLED;
        }
    }

    public CellOutcome {
        jobId = jobId == null ? "" : jobId;
        modelName = modelName == null ? "" : modelName;
        error = error == null ? "" : error;
    }

    public static CellOutcome pending(ComplexityGrid.Point point, String modelName) {
        return new CellOutcome(point, Status.PENDING, "", modelName, 0, Double.NaN, 0, "");
    }

    public static CellOutcome running(ComplexityGrid.Point point, String modelName, String jobId) {
        return new CellOutcome(point, Status.RUNNING, jobId, modelName, 0, Double.NaN, 0, "");
    }

    public static CellOutcome succeeded(ComplexityGrid.Point point, String modelName, String jobId, int version,
                                        double testAuc, long parameters) {
        return new CellOutcome(point, Status.SUCCEEDED, jobId, modelName, version, testAuc, parameters, "");
    }

    public static CellOutcome failed(ComplexityGrid.Point point, String modelName, String jobId, String error) {
        return new CellOutcome(point, Status.FAILED, jobId, modelName, 0, Double.NaN, 0, error);
    }

    public static CellOutcome cancelled(ComplexityGrid.Point point, String modelName, String jobId, String why) {
        return new CellOutcome(point, Status.CANCELLED, jobId, modelName, 0, Double.NaN, 0, why);
    }

    public boolean succeeded() {
        return status == Status.SUCCEEDED;
    }

    /** Succeeded with a test AUC at or above {@code target}. */
    public boolean reaches(double target) {
        return succeeded() && testAuc >= target;
    }
}
