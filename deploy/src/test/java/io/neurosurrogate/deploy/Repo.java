package io.neurosurrogate.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** The checkout this module sits in, and the external tools the checks run (kubectl, docker-compose, node, npm). */
final class Repo {
    /** The repository root: the parent of this module's folder (Maven runs tests in the module's folder). */
    static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    /** Our four services, by module folder; images are named neurosurrogate/&lt;module&gt;. */
    static final List<String> SERVICES = List.of("simulator-service", "trainer-service", "inference-service", "gateway");
    static final String IMAGE_PREFIX = "neurosurrogate/";

    private Repo() {
    }

    static Path path(String relative) {
        return ROOT.resolve(relative);
    }

    /** The project version (the default image tag), from the root pom via the surefire configuration. */
    static String version() {
        String v = System.getProperty("ns.project.version");
        if (v == null || v.isBlank()) {
            throw new IllegalStateException("system property ns.project.version is not set (run the tests through Maven)");
        }
        return v;
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What a finished command printed. */
    record Result(List<String> command, int exitCode, String stdout, String stderr) {
        Result requireSuccess() {
            if (exitCode != 0) {
                throw new AssertionError(String.join(" ", command) + " exited with " + exitCode + ":\n" + stderr + stdout);
            }
            return this;
        }
    }

    /**
     * Runs a command in {@code dir} with {@code stdin} as its input; fails with a clear message when the tool is
     * not installed (the CI script installs it) or runs past {@code timeout}.
     */
    static Result run(List<String> command, Path dir, String stdin, Duration timeout) {
        return run(command, dir, stdin, timeout, env -> { });
    }

    /** As {@link #run(List, Path, String, Duration)}, with the child's environment adjusted by {@code env}. */
    static Result run(List<String> command, Path dir, String stdin, Duration timeout, Consumer<Map<String, String>> env) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        env.accept(pb.environment());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command.get(0) + " (" + e.getMessage() + "): install it; "
                    + ".ci/run shows how (kubectl, docker-compose, node and npm are needed by the deploy checks)", e);
        }
        CompletableFuture<String> out = drain(p.getInputStream());
        CompletableFuture<String> err = drain(p.getErrorStream());
        try (OutputStream in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // The tool may exit before reading its input; its exit code and stderr tell why.
        }
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout);
            }
            return new Result(command, p.exitValue(), out.join(), err.join());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new AssertionError("interrupted", e);
        }
    }

    private static CompletableFuture<String> drain(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
