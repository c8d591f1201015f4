package io.neurosurrogate.trainer.kafka;

import io.neurosurrogate.broker.KafkaBrokerTestResource;
import io.quarkus.test.junit.QuarkusTestProfile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The one profile of the trainer's service tests (so Quarkus and the broker start once): a real
 * embedded Kafka broker, a fresh temp data directory, short back-off and poll intervals, and a
 * small job queue so that overflowing it is cheap.
 */
public class TrainerTestProfile implements QuarkusTestProfile {
    public static final int MAX_QUEUED_JOBS = 2;
    private static final Path DATA_DIR = createDataDir();

    private static Path createDataDir() {
        try {
            Path dir = Files.createTempDirectory("ns-trainer-test");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "ns.trainer.data-dir", DATA_DIR.toString(),
                "ns.trainer.ingest.retry-backoff", "200ms",
                "ns.trainer.dataset-poll-interval", "100ms",
                "ns.trainer.max-queued-jobs", Integer.toString(MAX_QUEUED_JOBS));
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(KafkaBrokerTestResource.class));
    }
}
