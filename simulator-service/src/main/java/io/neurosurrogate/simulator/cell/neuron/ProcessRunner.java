package io.neurosurrogate.simulator.cell.neuron;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a child process with a time limit, its stdout and stderr captured into files (so a chatty
 * child can never block on a full pipe), and kills it and its descendants when the limit passes.
 */
final class ProcessRunner {

    /** Exit status and captured output of a finished child. */
    record Result(int exitCode, String stdout, String stderr) {
        /** stderr, then stdout, trimmed to the last {@code max} characters: for error messages. */
        String tail(int max) {
            String all = (stderr.isBlank() ? "" : stderr.strip()) + (stdout.isBlank() ? "" : "\n[stdout]\n" + stdout.strip());
            return all.length() <= max ? all : "..." + all.substring(all.length() - max);
        }
    }

    private ProcessRunner() {
    }

    static Result run(List<String> command, Path workDir, Duration timeout) {
        Path out = null;
        Path err = null;
        Process p = null;
        try {
            out = Files.createTempFile("nsurr-proc-", ".out");
            err = Files.createTempFile("nsurr-proc-", ".err");
            ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
            pb.environment().put("NEURON_MODULE_OPTIONS", "-nogui");
            pb.environment().remove("PYTHONHOME");
            p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(p);
                throw new NeuronException("timed out after " + timeout.toSeconds() + " s: " + String.join(" ", command)
                        + "\n" + new Result(-1, read(out), read(err)).tail(4000));
            }
            return new Result(p.exitValue(), read(out), read(err));
        } catch (IOException e) {
            throw new NeuronException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            kill(p);
            Thread.currentThread().interrupt();
            throw new NeuronException("interrupted while running " + command.get(0), e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    private static java.io.File nullDevice() {
        return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    private static void kill(Process p) {
        if (p == null) {
            return;
        }
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String read(Path file) throws IOException {
        return file == null ? "" : Files.readString(file, StandardCharsets.UTF_8);
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a leftover temp file is harmless
            }
        }
    }
}
