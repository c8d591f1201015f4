package io.neurosurrogate.core.model;

import io.neurosurrogate.core.DomainException;
import io.neurosurrogate.proto.v1.EvaluationMetrics;
import io.neurosurrogate.proto.v1.ModelCard;
import io.neurosurrogate.proto.v1.ModelVersion;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VersionAliasesTest {
    private static ModelVersion v(int n, double auc) {
        ModelCard.Builder card = ModelCard.newBuilder();
        if (auc >= 0) {
            card.setMetrics(EvaluationMetrics.newBuilder().setSpikeAuc(auc));
        }
        return ModelVersion.newBuilder().setModelName("m").setVersion(n).setCard(card).build();
    }

    private static Integer pick(String version, List<ModelVersion> loaded) {
        ModelVersion m = VersionAliases.pick(version, loaded, ModelVersion::getVersion, ModelVersion::getCard);
        return m == null ? null : m.getVersion();
    }

    @Test
    void latestIsTheHighestNumberAndChampionTheBestTestAuc() {
        List<ModelVersion> loaded = List.of(v(1, 0.91), v(3, 0.88), v(2, 0.95), v(4, -1));
        assertThat(pick("", loaded)).isEqualTo(4);
        assertThat(pick("latest", loaded)).isEqualTo(4);
        assertThat(pick("champion", loaded)).isEqualTo(2);
        assertThat(pick("3", loaded)).isEqualTo(3);
        assertThat(pick("7", loaded)).isNull();
        assertThat(pick("champion", List.of())).isNull();
    }

    @Test
    void championTiesGoToTheNewerVersion() {
        assertThat(pick("champion", List.of(v(5, 0.9), v(6, 0.9), v(2, 0.9)))).isEqualTo(6);
        assertThat(pick("champion", List.of(v(1, -1), v(2, -1)))).isEqualTo(2);
    }

    @Test
    void versionFieldsAreChecked() {
        VersionAliases.validate("champion", "version");
        VersionAliases.validate("", "version");
        VersionAliases.validate("12", "version");
        assertThatThrownBy(() -> VersionAliases.validate("best", "open.version")).isInstanceOf(DomainException.class)
                .hasMessage("open.version must be empty, 'latest', 'champion' or a positive number, got 'best'");
        assertThatThrownBy(() -> VersionAliases.validate("0", "version")).isInstanceOf(DomainException.class);
    }
}
