package io.neurosurrogate.gateway.validation;

import io.neurosurrogate.core.DomainException;
import io.neurosurrogate.proto.v1.ModelCard;
import io.neurosurrogate.proto.v1.ModelVersion;
import io.neurosurrogate.proto.v1.PredictRequest;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServedModelsTest {
    private final List<ModelVersion> loaded = List.of(model("iaf-1x1", 2, 80, 20), model("iaf-1x1", 5, 80, 20), model("other", 1, 0, 0));

    @Test
    void latestAndEmptyVersionPickTheHighestLoadedVersion() {
        assertThat(ServedModels.find(request("iaf-1x1", ""), loaded)).map(ModelVersion::getVersion).contains(5);
        assertThat(ServedModels.find(request("iaf-1x1", "latest"), loaded)).map(ModelVersion::getVersion).contains(5);
    }

    @Test
    void aNumberedVersionMustBeLoadedExactly() {
        assertThat(ServedModels.find(request("iaf-1x1", "2"), loaded)).map(ModelVersion::getVersion).contains(2);
        assertThat(ServedModels.find(request("iaf-1x1", "3"), loaded)).isEmpty();
        assertThat(ServedModels.find(request("missing", ""), loaded)).isEmpty();
    }

    @Test
    void notLoadedIsNotFoundListingWhatIsLoaded() {
        DomainException e = ServedModels.notLoaded(request("missing", ""), loaded);

        assertThat(e.kind()).isEqualTo(DomainException.Kind.NOT_FOUND);
        assertThat(e.getMessage()).contains("'missing' version latest").contains("iaf-1x1/2, iaf-1x1/5, other/1");
        assertThat(ServedModels.notLoaded(request("missing", "4"), List.of()).getMessage()).endsWith("loaded: none");
    }

    @Test
    void theSynapseCountMustMatchTheModelCard() {
        assertThatCode(() -> ServedModels.requireCompatible(request("iaf-1x1", "").toBuilder().setSynapses(100).build(), loaded.get(0)))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> ServedModels.requireCompatible(request("iaf-1x1", "").toBuilder().setSynapses(101).build(), loaded.get(0)))
                .isInstanceOf(DomainException.class).hasMessageContaining("expects 100 synapses");
        // a card without synapse counts leaves the check to the inference service
        assertThatCode(() -> ServedModels.requireCompatible(request("other", "").toBuilder().setSynapses(7).build(), loaded.get(2)))
                .doesNotThrowAnyException();
    }

    private static PredictRequest request(String model, String version) {
        return PredictRequest.newBuilder().setModelName(model).setVersion(version).build();
    }

    private static ModelVersion model(String name, int version, int nExc, int nInh) {
        return ModelVersion.newBuilder().setModelName(name).setVersion(version).setCard(ModelCard.newBuilder().setNExc(nExc).setNInh(nInh)).build();
    }
}
