package io.neurosurrogate.inference.registry;

import io.neurosurrogate.core.DomainException;
import io.neurosurrogate.core.Sha256;
import io.neurosurrogate.inference.runtime.LoadedModel;
import io.neurosurrogate.inference.runtime.OnnxModelLoader;
import io.neurosurrogate.inference.testing.TinySurrogate;
import io.neurosurrogate.proto.v1.ModelVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelRegistryTest {
    private final OnnxModelLoader loader = new OnnxModelLoader(1);
    private final ModelRegistry registry = new ModelRegistry();

    @TempDir
    Path dir;

    @AfterEach
    void closeAll() {
        registry.closeAll();
    }

    @Test
    void latestAndEmptyVersionResolveToTheHighestLoadedVersion() throws Exception {
        registry.register(load("iaf", 2));
        registry.register(load("iaf", 10));
        registry.register(load("iaf", 9));

        assertThat(registry.resolve("iaf", "latest").versionNumber()).isEqualTo(10);
        assertThat(registry.resolve("iaf", "").versionNumber()).isEqualTo(10);
        assertThat(registry.resolve("iaf", "2").versionNumber()).isEqualTo(2);
    }

    @Test
    void unknownModelIsNotFoundAndTheMessageListsWhatIsLoaded() throws Exception {
        registry.register(load("iaf", 1));
        registry.register(load("l5pc", 4));

        assertThatThrownBy(() -> registry.resolve("nmda", "latest"))
                .isInstanceOfSatisfying(DomainException.class, e -> assertThat(e.kind()).isEqualTo(DomainException.Kind.NOT_FOUND))
                .hasMessageContaining("'nmda'")
                .hasMessageContaining("iaf [1]")
                .hasMessageContaining("l5pc [4]");
        assertThatThrownBy(() -> registry.resolve("iaf", "7"))
                .isInstanceOfSatisfying(DomainException.class, e -> assertThat(e.kind()).isEqualTo(DomainException.Kind.NOT_FOUND))
                .hasMessageContaining("version '7'");
    }

    @Test
    void unloadedVersionIsGoneAndLatestFallsBackToTheNextNewest() throws Exception {
        registry.register(load("iaf", 1));
        registry.register(load("iaf", 2));

        assertThat(registry.unload("iaf", 2)).isTrue();
        assertThat(registry.unload("iaf", 2)).isFalse();
        assertThat(registry.resolve("iaf", "latest").versionNumber()).isEqualTo(1);
        assertThat(registry.loaded()).extracting(ModelVersion::getVersion).containsExactly(1);
        assertThat(registry.loaded().get(0).getLoaded()).isTrue();
    }

    private LoadedModel load(String name, int version) throws Exception {
        byte[] bytes = TinySurrogate.withOffset(-70f + version).onnx();
        Path file = Files.write(dir.resolve(name + "-" + version + ".onnx"), bytes);
        return loader.load(file, ModelVersion.newBuilder().setModelName(name).setVersion(version)
                .setSha256(Sha256.of(bytes)).setSizeBytes(bytes.length).build());
    }
}
