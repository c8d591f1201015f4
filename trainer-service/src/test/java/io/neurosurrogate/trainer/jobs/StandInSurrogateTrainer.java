package io.neurosurrogate.trainer.jobs;

import io.neurosurrogate.core.trace.SimulationTrace;
import io.neurosurrogate.proto.v1.JobState;
import io.neurosurrogate.proto.v1.ModelCard;
import io.neurosurrogate.proto.v1.TrainingJobSpec;
import io.neurosurrogate.proto.v1.TrainingProgress;
import io.neurosurrogate.trainer.ml.SurrogateTrainer;
import io.neurosurrogate.trainer.ml.TrainedModel;
import io.neurosurrogate.trainer.ml.TrainingListener;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

import java.util.List;
import java.util.Random;

/** TEMPORARY stand-in until io.neurosurrogate.trainer.ml.Dl4jSurrogateTrainer exists; remove then. */
@Alternative
@Priority(1)
@ApplicationScoped
public class StandInSurrogateTrainer implements SurrogateTrainer {
    @Override
    public TrainedModel train(String datasetId, List<SimulationTrace> simulations, TrainingJobSpec spec, TrainingListener listener) {
        int epochs = spec.getConfig().getEpochs() == 0 ? 2 : spec.getConfig().getEpochs();
        for (int e = 1; e <= epochs; e++) {
            listener.onProgress(TrainingProgress.newBuilder().setState(JobState.JOB_STATE_TRAINING).setEpoch(e).setEpochs(epochs)
                    .setTrainLoss(1.0 / e).build());
        }
        byte[] onnx = new byte[1234];
        new Random(1).nextBytes(onnx);
        SimulationTrace first = simulations.get(0);
        return new TrainedModel(onnx, ModelCard.newBuilder().setNeuronModel(first.meta().getNeuronModel()).setDatasetId(datasetId)
                .setNExc(first.meta().getNExc()).setNInh(first.meta().getNInh()).build());
    }
}
