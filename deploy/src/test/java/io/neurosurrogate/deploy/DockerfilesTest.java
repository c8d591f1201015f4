package io.neurosurrogate.deploy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The services' Dockerfiles (no Docker engine here to build them, so their text is checked): a glibc base, the
 * Quarkus fast-jar of the right build, a numeric non-root user, a health check, the service's ports exposed,
 * settings the service knows, java exec'd so that SIGTERM reaches it; and scripts/build-images.sh builds them.
 */
class DockerfilesTest {

    /** One Dockerfile instruction, continuation lines joined. */
    record Instruction(String keyword, String args) {
    }

    static List<String> dockerfiles() {
        List<String> out = new ArrayList<>();
        for (String m : Repo.SERVICES) {
            out.add(m + "/src/main/docker/Dockerfile.jvm");
        }
        out.add("trainer-service/src/main/docker/Dockerfile.cuda");
        out.add("inference-service/src/main/docker/Dockerfile.cuda");
        return out;
    }

    static List<Instruction> parse(Path file) {
        List<Instruction> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String raw : Repo.read(file).split("\n")) {
            String line = raw.strip();
            if (line.startsWith("#") || (line.isEmpty() && current.isEmpty())) {
                continue;
            }
            boolean continues = line.endsWith("\\");
            current.append(continues ? line.substring(0, line.length() - 1) : line).append(' ');
            if (!continues) {
                String text = current.toString().strip();
                int space = text.indexOf(' ');
                out.add(new Instruction(text.substring(0, space).toUpperCase(Locale.ROOT), text.substring(space + 1).strip()));
                current.setLength(0);
            }
        }
        return out;
    }

    @ParameterizedTest
    @MethodSource("dockerfiles")
    void theImageRunsTheServiceAsItShould(String dockerfile) {
        Path file = Repo.path(dockerfile);
        assertThat(Files.isRegularFile(file)).as(dockerfile).isTrue();
        String module = dockerfile.substring(0, dockerfile.indexOf('/'));
        boolean cuda = dockerfile.endsWith(".cuda");
        ServiceConfig config = ServiceConfig.of(module);
        List<Instruction> ins = parse(file);

        List<String> from = args(ins, "FROM");
        assertThat(from).as("one stage").hasSize(1);
        assertThat(from.get(0)).as("a glibc base (ONNX Runtime, nd4j and NEURON are glibc builds)").doesNotContain("alpine");
        if (cuda) {
            assertThat(from.get(0)).startsWith("nvidia/cuda:");
        }

        List<String> users = args(ins, "USER");
        assertThat(users).as("USER").isNotEmpty();
        String user = users.get(users.size() - 1);
        assertThat(user).as("numeric, so that Kubernetes' runAsNonRoot can check it").matches("\\d+(:\\d+)?");
        assertThat(Integer.parseInt(user.split(":")[0])).as("non-root").isPositive();

        List<String> health = args(ins, "HEALTHCHECK");
        assertThat(health).hasSize(1);
        assertThat(health.get(0)).contains("/q/health/ready").contains("localhost:8080");

        List<String> exposed = args(ins, "EXPOSE").stream().flatMap(a -> Arrays.stream(a.split("\\s+"))).toList();
        assertThat(exposed).contains(String.valueOf(config.grpcPort()), "8080");

        List<String> envNames = new ArrayList<>();
        for (String env : args(ins, "ENV")) {
            // ENV A=1 B="x y" ...: the names are what precede '=' at the start or after whitespace outside quotes.
            boolean quoted = false;
            StringBuilder token = new StringBuilder();
            for (char ch : (env + " ").toCharArray()) {
                if (ch == '"') {
                    quoted = !quoted;
                } else if (ch == '=' && !quoted && !token.isEmpty() && envNames.size() < 100
                        && token.toString().matches("[A-Z_][A-Z0-9_]*")) {
                    envNames.add(token.toString());
                    token.setLength(0);
                    continue;
                }
                if (Character.isWhitespace(ch) && !quoted) {
                    token.setLength(0);
                } else {
                    token.append(ch);
                }
            }
        }
        assertThat(envNames).contains("QUARKUS_HTTP_PORT", "JAVA_OPTS");
        for (String name : envNames) {
            assertThat(config.accepts(name)).as(dockerfile + ": ENV " + name + " is a setting of " + module).isTrue();
        }

        String build = cuda ? "target/quarkus-app-cuda/" : "target/quarkus-app/";
        List<String> copies = args(ins, "COPY");
        assertThat(copies).as("the fast-jar: lib/, app/, quarkus/, quarkus-run.jar")
                .anyMatch(c -> c.startsWith(build + "lib/")).anyMatch(c -> c.startsWith(build + "app/"))
                .anyMatch(c -> c.startsWith(build + "quarkus/")).anyMatch(c -> c.startsWith(build + "quarkus-run.jar"));
        Path packaged = Repo.path(module).resolve(build);
        if (Files.isDirectory(packaged)) {
            for (String c : copies) {
                String source = c.replaceFirst("^--\\S+\\s+", "").split("\\s+")[0];
                assertThat(Repo.path(module).resolve(source)).as("COPY source of " + dockerfile).exists();
            }
        }

        List<String> entry = args(ins, "ENTRYPOINT");
        assertThat(entry).hasSize(1);
        assertThat(entry.get(0)).as("java replaces the shell (signals reach it)").contains("exec java").contains("quarkus-run.jar");
    }

    @ParameterizedTest
    @MethodSource("dockerfiles")
    void theBuildScriptBuildsIt(String dockerfile) {
        String script = Repo.read(Repo.path("scripts/build-images.sh"));
        assertThat(script).contains(dockerfile.endsWith(".cuda") ? "Dockerfile.cuda" : "Dockerfile.jvm");
        assertThat(script).contains(Repo.IMAGE_PREFIX);
        assertThat(Files.isExecutable(Repo.path("scripts/build-images.sh"))).isTrue();
    }

    private static List<String> args(List<Instruction> ins, String keyword) {
        return ins.stream().filter(i -> i.keyword.equals(keyword)).map(Instruction::args).toList();
    }
}
