package io.neurosurrogate.trainer.ml;

import io.neurosurrogate.core.trace.SimulationTrace;
import io.neurosurrogate.proto.v1.TrainingJobSpec;

import java.util.List;

/**
 * Trains a surrogate on a set of simulations: splits them into train/validation/test, trains the
 * TCN with DeepLearning4J, evaluates it on the test simulations, exports ONNX with the model card in
 * {@code metadata_props}, and checks ONNX Runtime against DL4J on held-out windows.
 * Framework-free: the trainer service's job queue calls it on a worker thread.
 */
public interface SurrogateTrainer {

    /**
     * @param datasetId   identifies the dataset (goes into the model card)
     * @param simulations complete simulations of one neuron model, in a stable order (read on demand:
     *                    the source decides how many traces stay in memory)
     * @param spec        architecture and training configuration (unset fields take defaults)
     * @param listener    receives progress (state, epoch, losses, validation AUC, ETA) and is asked
     *                    whether to stop early
     * @param workDir     the job's own directory for checkpoints (written after every epoch); when it
     *                    holds a checkpoint of the same job, training resumes from it
     * @throws io.neurosurrogate.core.DomainException for unusable input (too few simulations, unknown
     *                    preset, mismatched synapse counts), with a message for the caller
     */
    TrainedModel train(String datasetId, SimulationSource simulations, TrainingJobSpec spec, TrainingListener listener,
                       java.nio.file.Path workDir);

    /** The same, for simulations already in memory. */
    default TrainedModel train(String datasetId, List<SimulationTrace> simulations, TrainingJobSpec spec, TrainingListener listener,
                               java.nio.file.Path workDir) {
        return train(datasetId, SimulationSource.of(simulations), spec, listener, workDir);
    }
}
