package io.neurosurrogate.inference.registry;

import io.neurosurrogate.inference.runtime.OnnxModelLoader;
import io.neurosurrogate.inference.testing.FakeTrainer;
import io.neurosurrogate.inference.testing.TinySurrogate;
import io.neurosurrogate.proto.v1.ModelEvent;
import io.neurosurrogate.proto.v1.ModelVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

class ModelInstallerTest {
    private final FakeTrainer trainer = FakeTrainer.start();
    private final ModelRegistry registry = new ModelRegistry();
    private final TinySurrogate tiny = TinySurrogate.withOffset(-70f);

    @TempDir
    Path cache;

    private ModelInstaller installer;

    @AfterEach
    void stop() throws InterruptedException {
        installer.stop();
        registry.closeAll();
        trainer.close();
    }

    @Test
    void artifactThatAppearsLaterIsLoadedByARetry() {
        installer = installer(50);
        installer.accept(tiny.createdEvent("late", 1, trainer.address()));

        await(() -> installer.lastFailure("late", 1).isPresent());
        assertThat(installer.lastFailure("late", 1).orElseThrow()).contains("NOT_FOUND");
        trainer.serve("late", 1, tiny.onnx());

        await(() -> registry.find("late", 1).isPresent());
        assertThat(installer.lastFailure("late", 1)).isEmpty();
    }

    @Test
    void deletedEventStopsTheRetriesOfAnEarlierCreatedEvent() throws InterruptedException {
        installer = installer(50);
        installer.accept(tiny.createdEvent("gone", 1, trainer.address()));
        await(() -> trainer.fetches() >= 1);
        installer.accept(ModelEvent.newBuilder().setKind(ModelEvent.Kind.KIND_DELETED)
                .setModel(ModelVersion.newBuilder().setModelName("gone").setVersion(1)).build());
        trainer.serve("gone", 1, tiny.onnx());

        Thread.sleep(600);
        assertThat(registry.find("gone", 1)).isEmpty();
    }

    @Test
    void replayedEventForALoadedVersionDoesNotFetchAgain() {
        installer = installer(3);
        trainer.serve("iaf", 1, tiny.onnx());
        ModelEvent created = tiny.createdEvent("iaf", 1, trainer.address());
        installer.accept(created);
        await(() -> registry.find("iaf", 1).isPresent());

        installer.accept(created);
        // events apply in order, so once version 2 is in, the replay of version 1 has been handled
        trainer.serve("iaf", 2, tiny.onnx());
        installer.accept(tiny.createdEvent("iaf", 2, trainer.address()));
        await(() -> registry.find("iaf", 2).isPresent());

        assertThat(trainer.fetches()).isEqualTo(2);
    }

    @Test
    void tombstoneUnloadsTheVersionNamedByItsKey() {
        installer = installer(3);
        trainer.serve("iaf", 4, tiny.onnx());
        installer.accept(tiny.createdEvent("iaf", 4, trainer.address()));
        await(() -> registry.find("iaf", 4).isPresent());

        installer.acceptTombstone("iaf/4");

        await(() -> registry.find("iaf", 4).isEmpty());
    }

    @Test
    void versionWhoseCardNamesAStepGraphIsInstalledWithIt() {
        installer = installer(3);
        TinySurrogate streaming = TinySurrogate.withStepGraph(-70f);
        trainer.serve("iaf-step", 1, streaming);
        installer.accept(streaming.createdEvent("iaf-step", 1, trainer.address()));

        await(() -> registry.find("iaf-step", 1).isPresent());
        assertThat(registry.find("iaf-step", 1).orElseThrow().hasStepGraph()).isTrue();
        assertThat(cache.resolve("iaf-step/1/" + TinySurrogate.STEP_GRAPH_FILE)).exists();
    }

    @Test
    void stepGraphThatIsNotMarkedAsOneFailsTheInstallWithAClearMessage() {
        installer = installer(1);
        TinySurrogate streaming = TinySurrogate.withStepGraph(-70f);
        trainer.serve("iaf-badstep", 1, streaming.onnx());
        trainer.serveFile("iaf-badstep", 1, TinySurrogate.STEP_GRAPH_FILE, streaming.unmarkedStepOnnx());
        installer.accept(streaming.createdEvent("iaf-badstep", 1, trainer.address()));

        await(() -> installer.lastFailure("iaf-badstep", 1).isPresent());
        assertThat(installer.lastFailure("iaf-badstep", 1).orElseThrow()).contains("ns_graph");
        assertThat(registry.find("iaf-badstep", 1)).isEmpty();
        assertThat(cache.resolve("iaf-badstep/1/" + TinySurrogate.STEP_GRAPH_FILE)).doesNotExist();
    }

    private ModelInstaller installer(int attempts) {
        return new ModelInstaller(new ArtifactFetcher(cache, Duration.ofSeconds(5), 1 << 20), new OnnxModelLoader(1), registry,
                attempts, Duration.ofMillis(50), Duration.ofMillis(100));
    }

    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met in time").isLessThan(deadline);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
