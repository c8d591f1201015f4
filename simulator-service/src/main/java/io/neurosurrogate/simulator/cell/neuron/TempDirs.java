package io.neurosurrogate.simulator.cell.neuron;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Recursive deletion of the backend's temporary directories. */
final class TempDirs {
    private TempDirs() {
    }

    static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort; the OS cleans the temp dir eventually
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }
}
