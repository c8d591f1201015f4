package io.neurosurrogate.e2e;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Python client's own unit tests (python/tests: chunked advance equals one long advance, stream and request
 * splitting, errors, synapse wiring), run with Debian's python3 as part of the Maven build. Against the real gateway
 * the client runs in PipelineEndToEndTest (Brian2CoSimulation).
 */
class PythonClientTest {

    @Test
    void pythonUnitTestsPass() throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        Process p = new ProcessBuilder("/usr/bin/python3", "-m", "unittest", "discover", "-s", "python/tests", "-v")
                .directory(root.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        System.out.print(out);
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).containsPattern("Ran [1-9][0-9]* tests").contains("OK");
    }
}
