package io.neurosurrogate.trainer.store;

import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** Opens the dataset, model and job stores under {@code ns.trainer.data-dir} once per application. */
@Dependent
public class StoreBeans {

    @Produces
    @Singleton
    DatasetStore datasetStore(@ConfigProperty(name = "ns.trainer.data-dir") String dataDir) {
        return open(() -> DatasetStore.open(Path.of(dataDir, "datasets")), dataDir);
    }

    @Produces
    @Singleton
    ModelStore modelStore(@ConfigProperty(name = "ns.trainer.data-dir") String dataDir) {
        return open(() -> ModelStore.open(Path.of(dataDir, "models")), dataDir);
    }

    @Produces
    @Singleton
    JobStore jobStore(@ConfigProperty(name = "ns.trainer.data-dir") String dataDir) {
        return open(() -> JobStore.open(Path.of(dataDir, "jobs")), dataDir);
    }

    private interface Opener<T> {
        T open() throws IOException;
    }

    private static <T> T open(Opener<T> opener, String dataDir) {
        try {
            return opener.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the store under ns.trainer.data-dir=" + dataDir, e);
        }
    }
}
