package io.neurosurrogate.core.model;

import io.neurosurrogate.proto.v1.EvaluationMetrics;
import io.neurosurrogate.proto.v1.ModelCard;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ModelCardsTest {

    @Test
    void cardRoundTripsThroughFlatMetadata() {
        ModelCard card = ModelCard.newBuilder().setNeuronModel("iaf").setDtMs(1).setReceptiveFieldMs(80).setNExc(80).setNInh(20)
                .setVMeanMv(-64.5).setVStdMv(4.25).setTrainingConfigJson("{\"epochs\": 3}").setCreatedAtMs(1234567890123L)
                .setMetrics(EvaluationMetrics.newBuilder().setSpikeAuc(0.9973).setSomaRmseMv(1.73).setTestSimulations(12)).build();
        Map<String, String> md = ModelCards.toMetadata(card);
        assertThat(md).containsEntry("neuron_model", "iaf").containsEntry("n_exc", "80").containsEntry("metrics.spike_auc", "0.9973");
        assertThat(ModelCards.fromMetadata(md)).isEqualTo(card);
    }

    @Test
    void unknownKeysFromNewerWritersAreIgnored() {
        Map<String, String> md = new HashMap<>(Map.of("neuron_model", "iaf", "some_future_field", "x", "n_exc", "not-a-number"));
        assertThat(ModelCards.fromMetadata(md)).isEqualTo(ModelCard.newBuilder().setNeuronModel("iaf").build());
    }
}
