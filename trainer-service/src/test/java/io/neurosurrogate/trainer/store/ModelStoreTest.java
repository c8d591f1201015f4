package io.neurosurrogate.trainer.store;

import io.neurosurrogate.core.DomainException;
import io.neurosurrogate.core.Sha256;
import io.neurosurrogate.proto.v1.ModelCard;
import io.neurosurrogate.proto.v1.ModelVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelStoreTest {
    @TempDir
    Path dir;

    private static ModelVersion template(String job) {
        return ModelVersion.newBuilder().setJobId(job).setCard(ModelCard.newBuilder().setNeuronModel("iaf")).build();
    }

    @Test
    void numbersVersionsPerModelAndStoresTheFileWithItsSha256() throws Exception {
        ModelStore store = ModelStore.open(dir);
        byte[] onnx = {1, 2, 3, 4};
        ModelVersion v1 = store.add("iaf-a", onnx, template("j-1"));
        ModelVersion v2 = store.add("iaf-a", new byte[]{5}, template("j-2"));
        ModelVersion other = store.add("iaf-b", new byte[]{6}, template("j-3"));

        assertThat(v1.getVersion()).isEqualTo(1);
        assertThat(v2.getVersion()).isEqualTo(2);
        assertThat(other.getVersion()).isEqualTo(1);
        assertThat(v1.getArtifactPath()).isEqualTo("iaf-a/1/model.onnx");
        assertThat(v1.getSha256()).isEqualTo(Sha256.of(onnx));
        assertThat(v1.getSizeBytes()).isEqualTo(4);
        assertThat(v1.getJobId()).isEqualTo("j-1");
        assertThat(Files.readAllBytes(dir.resolve("iaf-a/1/model.onnx"))).containsExactly(onnx);
        assertThat(Files.readString(dir.resolve("iaf-a/1/model.onnx.sha256")).trim()).isEqualTo(v1.getSha256());
        assertThat(store.list("iaf-a")).extracting(ModelVersion::getVersion).containsExactly(1, 2);
        assertThat(store.list("")).hasSize(3);
    }

    @Test
    void findsVersionsAndTheNewestForVersionZero() throws Exception {
        ModelStore store = ModelStore.open(dir);
        store.add("m", new byte[]{1}, template("j"));
        store.add("m", new byte[]{2, 2}, template("j"));
        assertThat(store.find("m", 1).version().getSizeBytes()).isEqualTo(1);
        assertThat(store.find("m", 0).version().getVersion()).isEqualTo(2);
        assertThat(store.find("m", 2).file()).hasBinaryContent(new byte[]{2, 2});
        assertThatThrownBy(() -> store.find("m", 3)).isInstanceOf(DomainException.class)
                .satisfies(e -> assertThat(((DomainException) e).kind()).isEqualTo(DomainException.Kind.NOT_FOUND));
        assertThatThrownBy(() -> store.find("nope", 1)).isInstanceOf(DomainException.class).hasMessageContaining("nope");
    }

    @Test
    void survivesARestartAndNeverReusesTheNumberOfAnIncompleteVersion() throws Exception {
        ModelStore first = ModelStore.open(dir);
        first.add("m", new byte[]{1}, template("j-1"));
        Files.createDirectories(dir.resolve("m/2"));
        Files.write(dir.resolve("m/2/model.onnx"), new byte[]{9});  // crashed before model-version.pb

        ModelStore reopened = ModelStore.open(dir);
        assertThat(reopened.list("m")).extracting(ModelVersion::getVersion).containsExactly(1);
        assertThat(reopened.add("m", new byte[]{3}, template("j-3")).getVersion()).isEqualTo(3);
    }

    @Test
    void storesReportFilesBesideTheModelAndListsThemSorted() throws Exception {
        ModelStore store = ModelStore.open(dir);
        byte[] metrics = "{\"spike_auc\": 0.99}".getBytes(StandardCharsets.UTF_8);
        byte[] plot = {(byte) 0x89, 'P', 'N', 'G'};
        ModelVersion v = store.add("m", new byte[]{1, 2}, Map.of("roc.png", plot, "metrics.json", metrics), template("j-1"));

        assertThat(v.getReportFilesList()).containsExactly("metrics.json", "roc.png");
        assertThat(dir.resolve("m/1/metrics.json")).hasBinaryContent(metrics);
        assertThat(dir.resolve("m/1/roc.png")).hasBinaryContent(plot);
        assertThat(store.add("m", new byte[]{3}, template("j-2")).getReportFilesList()).isEmpty();
        assertThat(ModelStore.open(dir).list("m").get(0)).isEqualTo(v);
    }

    @Test
    void rejectsReportFileNamesThatAreNotPlainLowerCaseFileNamesAndWritesNothing() throws Exception {
        ModelStore store = ModelStore.open(dir);
        for (String bad : new String[]{"../escape.json", "a/b.json", "Metrics.json", ".", "..", "", "model.onnx",
                "model-version.pb", "model.onnx.sha256", "x.tmp-1", "caf\u00e9.json", "a b.json"}) {
            assertThatThrownBy(() -> store.add("m", new byte[]{1}, Map.of(bad, new byte[]{2}), template("j")))
                    .as("report file name '%s'", bad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("report file name");
        }
        assertThat(store.list("m")).isEmpty();
        assertThat(store.add("m", new byte[]{1}, template("j")).getVersion()).isEqualTo(1);
    }

    @Test
    void findsAReportFileWithItsSha256AndRejectsPathsAndUnknownFiles() throws Exception {
        ModelStore store = ModelStore.open(dir);
        byte[] metrics = "{\"soma_rmse_mv\": 1.7}".getBytes(StandardCharsets.UTF_8);
        byte[] onnx = {7, 7, 7};
        store.add("m", onnx, Map.of("metrics.json", metrics), template("j"));

        StoredArtifact report = store.find("m", 0, "metrics.json");
        assertThat(report.file()).hasBinaryContent(metrics);
        assertThat(report.sha256()).isEqualTo(Sha256.of(metrics));
        assertThat(report.sizeBytes()).isEqualTo(metrics.length);
        StoredArtifact model = store.find("m", 1, "");
        assertThat(model.file()).hasBinaryContent(onnx);
        assertThat(model.sha256()).isEqualTo(Sha256.of(onnx));
        assertThat(model.sizeBytes()).isEqualTo(onnx.length);

        assertThat(kindOf(() -> store.find("m", 1, "roc.png"))).isEqualTo(DomainException.Kind.NOT_FOUND);
        assertThat(kindOf(() -> store.find("m", 1, "model-version.pb"))).isEqualTo(DomainException.Kind.NOT_FOUND);
        assertThat(kindOf(() -> store.find("m", 2, "metrics.json"))).isEqualTo(DomainException.Kind.NOT_FOUND);
        assertThat(kindOf(() -> store.find("m", 1, "../1/model-version.pb"))).isEqualTo(DomainException.Kind.INVALID_ARGUMENT);
        assertThat(kindOf(() -> store.find("m", 1, "sub/metrics.json"))).isEqualTo(DomainException.Kind.INVALID_ARGUMENT);
        assertThat(kindOf(() -> store.find("m", 1, ".."))).isEqualTo(DomainException.Kind.INVALID_ARGUMENT);
    }

    @Test
    void findsTheVersionAJobStored() throws Exception {
        ModelStore store = ModelStore.open(dir);
        store.add("m", new byte[]{1}, template("j-1"));
        ModelVersion second = store.add("m", new byte[]{2}, template("j-2"));
        assertThat(store.findByJob("j-2")).contains(second);
        assertThat(ModelStore.open(dir).findByJob("j-2")).contains(second);
        assertThat(store.findByJob("j-3")).isEmpty();
        assertThat(store.findByJob("")).isEmpty();
    }

    private interface Call {
        void run() throws Exception;
    }

    private static DomainException.Kind kindOf(Call call) {
        try {
            call.run();
        } catch (DomainException e) {
            return e.kind();
        } catch (Exception e) {
            throw new AssertionError("expected a DomainException, got " + e, e);
        }
        throw new AssertionError("the call succeeded");
    }
}
