package io.neurosurrogate.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One service of the stack running as a child JVM from its packaged Quarkus app
 * ({@code <module>/target/quarkus-app/quarkus-run.jar}), output to a log file.
 */
final class ServiceProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path log;
    private final List<String> command;

    private ServiceProcess(String name, Process process, Path log, List<String> command) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.command = command;
    }

    static ServiceProcess start(String name, Path app, String maxHeap, Map<String, String> properties, Path log) throws IOException {
        if (!Files.isRegularFile(app)) {
            throw new IllegalStateException(name + ": " + app + " is missing; build first (mvn -B -DskipTests install, or ./nsurr does it)");
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.add("-Xmx" + maxHeap);
        cmd.add("-XX:+ExitOnOutOfMemoryError");
        // A native crash report belongs with the service's log, not in whatever directory nsurr ran from.
        cmd.add("-XX:ErrorFile=" + log.toAbsolutePath().getParent().resolve(name + "-hs_err_%p.log"));
        properties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-jar");
        cmd.add(app.toString());
        Files.createDirectories(log.getParent());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new ServiceProcess(name, p, log, List.copyOf(cmd));
    }

    /** The same command (jar, heap, properties) started again; its output is appended to the same log. */
    ServiceProcess restart() throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return new ServiceProcess(name, p, log, command);
    }

    String name() {
        return name;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Path log() {
        return log;
    }

    /** The last lines of the log, for error messages. */
    String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** SIGKILL: no shutdown hook or clean close runs, as in a crash or an OOM kill. Returns once the JVM is gone. */
    void kill() throws InterruptedException {
        if (!process.destroyForcibly().waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException(name + " (pid " + process.pid() + ") still running 30 s after SIGKILL");
        }
    }

    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
